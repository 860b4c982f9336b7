"""Admin registration of the statistics: the admin-home panel, the managers' reports (registration only)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .admin_panels import AgencyFiguresPanel
from .dashboard import managed_agencies, staff_agencies
from .views import REPORTS


@hooks.register("construct_homepage_panels")
def add_agency_figures_panel(request, panels):
    agencies = list(staff_agencies(request.user))
    if agencies:
        panels.append(AgencyFiguresPanel(agencies, can_report=managed_agencies(request.user).exists()))


@hooks.register("register_admin_urls")
def register_report_urls():
    urls = [
        path(route, view.as_view(), name=view.index_url_name.split(":")[1])
        for route, view in zip(("thu-tuc/", "can-bo/", "qua-han/", "danh-gia/"), REPORTS, strict=True)
    ]
    return [path("bao-cao-thong-ke/", include((urls, "stats_reports"), namespace="stats_reports"))]


class ManagerReportMenuItem(MenuItem):
    def is_shown(self, request):
        return managed_agencies(request.user).exists()


@hooks.register("register_reports_menu_item")
def register_manager_report_menu_item():
    return ManagerReportMenuItem(
        _("Thống kê hồ sơ của đơn vị"),
        reverse("stats_reports:procedures"),
        name="agency-statistics",
        icon_name="table",
        order=100,
    )
