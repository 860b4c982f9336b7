from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    """Public statistics of dossiers (issue 8): figures per period, agency and procedure."""

    name = "forms.stats"
    label = "stats"
    verbose_name = _("Thống kê")
