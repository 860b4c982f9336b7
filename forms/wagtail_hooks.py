"""Admin registration for the forms app: privacy of dossiers and log actions.

Editors build ApplicationFormPages but never see what citizens send: those pages are
removed from Wagtail's "Forms" listing (and its submissions/export views), and their
submissions are Dossiers that only the agency's officers may open.
"""

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from .models import ApplicationFormPage
from .services import STATUS_CHANGED_ACTION, SUBMITTED_ACTION


@hooks.register("filter_form_submissions_for_user")
def hide_application_forms_from_form_submissions(user, editable_forms):
    content_type = ContentType.objects.get_for_model(ApplicationFormPage)
    return editable_forms.exclude(content_type=content_type)


@hooks.register("register_log_actions")
def register_dossier_log_actions(actions):
    actions.register_action(SUBMITTED_ACTION, _("Nộp hồ sơ"), _("Hồ sơ đã được nộp"))
    actions.register_action(STATUS_CHANGED_ACTION, _("Đổi trạng thái hồ sơ"), _("Trạng thái hồ sơ đã thay đổi"))
