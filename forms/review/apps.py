from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    """The officers' side of a dossier: receive, process, return, with deadlines in working days."""

    name = "forms.review"
    label = "review"
    verbose_name = _("Xử lý hồ sơ")
