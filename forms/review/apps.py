from django.apps import AppConfig
from django.db.models.signals import post_delete, post_init, post_save, pre_save
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    """The officers' side of a dossier: receive, process, return, with deadlines in working days."""

    name = "forms.review"
    label = "review"
    verbose_name = _("Xử lý hồ sơ")

    def ready(self):
        from forms.models import Dossier

        from .counts import count_deleted, count_saved, remember_loaded_status
        from .search import fill_search_text, save_search_text

        pre_save.connect(fill_search_text, sender=Dossier, dispatch_uid="review.fill_search_text")
        post_save.connect(save_search_text, sender=Dossier, dispatch_uid="review.save_search_text")
        post_init.connect(remember_loaded_status, sender=Dossier, dispatch_uid="review.remember_loaded_status")
        post_save.connect(count_saved, sender=Dossier, dispatch_uid="review.count_saved")
        post_delete.connect(count_deleted, sender=Dossier, dispatch_uid="review.count_deleted")
