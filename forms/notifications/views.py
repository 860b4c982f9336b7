"""Admin views: a template's edit page with a preview, and the retry of a failed message."""

import datetime
from types import SimpleNamespace

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.views.generic import EditView
from wagtail.log_actions import log

from forms.constants import DossierStatus

from .constants import Channel, NotificationStatus
from .models import Notification
from .rendering import render
from .services import message_context

RETRY_ACTION = "portal.notification.retried"
SAMPLE_PROCEDURE = gettext_lazy("Cấp hộ chiếu phổ thông trong nước")


def sample_dossier():
    """An invented dossier for previews: no real code, name or contact ever appears there."""
    return SimpleNamespace(
        pk=0,
        code="000.00.00.H00-260101-0001",
        procedure_id=0,
        procedure=SimpleNamespace(title=SAMPLE_PROCEDURE),
        due_date=datetime.date.today() + datetime.timedelta(days=8),
        status=DossierStatus.ACCEPTED,
        tracking_number="EB123456789VN",
    )


def preview_of(template):
    """The template rendered with ``sample_dossier`` in its own language (subject, text, HTML)."""
    context = message_context(sample_dossier(), template.language)
    is_email = template.channel == Channel.EMAIL
    return {
        "subject": " ".join(render(template.subject, context).split()) if is_email else "",
        "text": render(template.body_text, context),
        "html": render(template.body_html, context, html=True) if is_email else "",
    }


class NotificationTemplateEditView(EditView):
    """Wagtail's edit view plus a preview of the saved template (the form below changes it)."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["preview"] = preview_of(self.object)
        return context


@require_POST
def retry(request, pk):
    """Queue a failed message again (attempts start over); logged. Needs the change permission."""
    from .viewsets import notification_viewset

    if not notification_viewset.permission_policy.user_has_permission(request.user, "retry"):
        raise PermissionDenied
    with transaction.atomic():
        notification = get_object_or_404(Notification.objects.select_for_update(), pk=pk)
        if notification.status != NotificationStatus.FAILED:
            messages.warning(request, _("Chỉ gửi lại được thông báo gửi lỗi."))
            return redirect(reverse("notifications:inspect", args=[pk]))
        notification.status = NotificationStatus.QUEUED
        notification.attempts = 0
        notification.claimed_at = None
        notification.save(update_fields=["status", "attempts", "claimed_at"])
        log(instance=notification, action=RETRY_ACTION, user=request.user, data={"last_error": notification.last_error})
        from . import tasks

        transaction.on_commit(lambda: tasks.enqueue_send(pk))
    messages.success(request, _("Đã xếp thông báo vào hàng đợi để gửi lại."))
    return redirect(reverse("notifications:index") + f"?status={NotificationStatus.FAILED}")
