"""Managers' reports in the Wagtail admin (Wagtail ReportView: table, CSV and XLSX export).

Four reports of the manager's own agencies (forms.stats.dashboard): per procedure, per
officer, the overdue dossiers and the latest rating comments. Every view refuses anyone who
is not a manager of some agency (or a superuser), and every row comes from
``managed_agencies(request.user)``.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.reports import ReportView

from forms.review.calendar import local_day

from . import dashboard

MONTH_ERRORS = {
    "format": _("Tháng không đúng định dạng (yyyy-mm); đang hiện tháng này."),
    "future": _("Tháng đã chọn chưa đến; đang hiện tháng này."),
}


class ManagerReportView(ReportView):
    """A report of the manager's agencies for one month (``?thang=yyyy-mm``, default this month)."""

    template_name = "stats/admin/report.html"
    header_icon = "table"
    paginate_by = 50
    fields = ()  # (name, label): the table columns and the export fields, in order
    export_name = "bao-cao"

    def dispatch(self, request, *args, **kwargs):
        self.agencies = list(dashboard.managed_agencies(request.user))
        if not self.agencies:
            raise PermissionDenied
        self.today = local_day()
        self.start, self.end, error = dashboard.parse_month(request.GET.get("thang", ""), self.today)
        if error:
            messages.warning(request, MONTH_ERRORS[error])
        return super().dispatch(request, *args, **kwargs)

    @property
    def columns(self):
        return [Column(name, label=label) for name, label in self.fields]

    @property
    def list_export(self):
        return [name for name, _label in self.fields]

    @property
    def export_headings(self):
        return dict(self.fields)

    def get_filename(self):
        return f"{self.export_name}-{self.start:%Y-%m}"

    def get_index_url(self):
        return reverse(self.index_url_name)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "reports": [(reverse(view.index_url_name), view.page_title) for view in REPORTS],
                "current_url": reverse(self.index_url_name),
                "month_value": f"{self.start:%Y-%m}",
                "period_start": self.start,
                "period_end": self.end,
                "agencies": self.agencies,
                "export_query": f"thang={self.start:%Y-%m}",
                # The all-time satisfaction and timeliness tables of forms.review (not repeated here).
                "review_statistics_url": reverse("dossiers:statistics"),
            }
        )
        return context


class ProcedureReportView(ManagerReportView):
    page_title = _("Báo cáo theo thủ tục")
    index_url_name = "stats_reports:procedures"
    export_name = "bao-cao-theo-thu-tuc"
    fields = (
        ("agency", _("Cơ quan")),
        ("procedure", _("Thủ tục")),
        ("received", _("Tiếp nhận")),
        ("processed", _("Đã giải quyết")),
        ("early", _("Trước hạn")),
        ("on_time", _("Đúng hạn")),
        ("late", _("Trễ hạn")),
        ("on_time_rate", _("Tỷ lệ đúng hạn (%)")),
        ("in_progress", _("Đang giải quyết (hiện tại)")),
        ("overdue", _("Quá hạn (hiện tại)")),
        ("average_days", _("Thời gian xử lý trung bình (ngày làm việc)")),
        ("satisfaction_rate", _("Tỷ lệ hài lòng (%)")),
    )

    def get_queryset(self):
        return dashboard.procedure_rows(self.agencies, self.start, self.end, self.today)


class OfficerReportView(ManagerReportView):
    page_title = _("Báo cáo theo cán bộ")
    index_url_name = "stats_reports:officers"
    export_name = "bao-cao-theo-can-bo"
    fields = (
        ("officer", _("Cán bộ")),
        ("workload", _("Đang thụ lý (hiện tại)")),
        ("overdue", _("Quá hạn (hiện tại)")),
        ("finished", _("Xử lý xong trong tháng")),
        ("late", _("Trong đó trễ hạn")),
        ("average_days", _("Thời gian xử lý trung bình (ngày làm việc)")),
    )

    def get_queryset(self):
        return dashboard.officer_rows(self.agencies, self.start, self.end, self.today)


class OverdueReportView(ManagerReportView):
    page_title = _("Hồ sơ quá hạn")
    index_url_name = "stats_reports:overdue"
    export_name = "ho-so-qua-han"
    fields = (
        ("code", _("Mã hồ sơ")),
        ("procedure.title", _("Thủ tục")),
        ("status_label", _("Trạng thái")),
        ("assignee_name", _("Cán bộ thụ lý")),
        ("due_date", _("Ngày hẹn trả")),
        ("working_days_overdue", _("Số ngày làm việc quá hạn")),
    )

    @property
    def columns(self):
        return [
            DateColumn(name, label=label) if name == "due_date" else Column(name, label=label)
            for name, label in self.fields
        ]

    def get_queryset(self):
        return dashboard.overdue_dossiers(self.agencies, self.today)

    def decorate_paginated_queryset(self, object_list):
        return dashboard.decorate_overdue(list(object_list), self.today)


class RatingReportView(ManagerReportView):
    page_title = _("Góp ý đánh giá mới nhất")
    index_url_name = "stats_reports:ratings"
    export_name = "gop-y-danh-gia"
    fields = (
        ("created_at", _("Đánh giá lúc")),
        ("dossier.code", _("Mã hồ sơ")),
        ("dossier.procedure.title", _("Thủ tục")),
        ("get_satisfaction_display", _("Mức độ hài lòng")),
        ("comment", _("Góp ý")),
    )

    @property
    def columns(self):
        return [
            DateColumn(name, label=label) if name == "created_at" else Column(name, label=label)
            for name, label in self.fields
        ]

    def get_queryset(self):
        return dashboard.latest_ratings(self.agencies)


REPORTS = (ProcedureReportView, OfficerReportView, OverdueReportView, RatingReportView)
