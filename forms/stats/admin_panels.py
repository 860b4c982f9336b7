"""The admin-home panel: this month's key figures of the user's own agencies."""

from django.urls import reverse
from wagtail.admin.ui.components import Component

from .dashboard import month_of, panel_figures


class AgencyFiguresPanel(Component):
    name = "agency_figures"
    template_name = "stats/admin/home_panel.html"
    order = 50  # above Wagtail's own panels: officers open the admin for their dossiers

    def __init__(self, agencies, *, can_report=False):
        self.agencies = agencies
        self.can_report = can_report

    def get_context_data(self, parent_context):
        start, end = month_of()
        return {
            "rows": [(agency, panel_figures(agency)) for agency in self.agencies],
            "start": start,
            "end": end,
            "report_url": reverse("stats_reports:procedures") if self.can_report else None,
            "overdue_url": reverse("stats_reports:overdue") if self.can_report else None,
        }
