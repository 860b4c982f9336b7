from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    """The officers' side of a dossier: receive, process, return, with deadlines in working days."""

    name = "forms.review"
    label = "review"
    verbose_name = _("Xử lý hồ sơ")

    def ready(self):
        from forms.models import Dossier

        from .counts import forget_counts
        from .search import fill_search_text, save_search_text

        pre_save.connect(fill_search_text, sender=Dossier, dispatch_uid="review.fill_search_text")
        post_save.connect(save_search_text, sender=Dossier, dispatch_uid="review.save_search_text")
        post_save.connect(forget_counts, sender=Dossier, dispatch_uid="review.forget_counts_saved")
        post_delete.connect(forget_counts, sender=Dossier, dispatch_uid="review.forget_counts_deleted")
