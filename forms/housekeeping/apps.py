from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HousekeepingConfig(AppConfig):
    """Scheduled clean-up and the retention of finished dossiers' personal data (issue 7, part 6)."""

    name = "forms.housekeeping"
    label = "housekeeping"
    verbose_name = _("Dọn dẹp và lưu trữ")
    default_auto_field = "django.db.models.BigAutoField"
