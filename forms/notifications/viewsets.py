"""Admin listings: the message templates (Settings → Mẫu thông báo) and the sent/failed messages."""

from django.middleware.csrf import get_token
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import BaseColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from .constants import NotificationStatus
from .models import Notification, NotificationTemplate


class NotificationTemplateViewSet(ModelViewSet):
    """One template per event, channel and language; placeholders are checked when saved."""

    model = NotificationTemplate
    icon = "mail"
    menu_label = _("Mẫu thông báo")
    menu_order = 830
    add_to_settings_menu = True
    list_display = ["event", "channel", "language", "subject"]
    list_filter = ["event", "channel", "language"]
    form_fields = ["event", "channel", "language", "subject", "body_text", "body_html"]
    copy_view_enabled = False
    edit_template_name = "notifications/admin/template_edit.html"

    @property
    def edit_view_class(self):
        from .views import NotificationTemplateEditView

        return NotificationTemplateEditView


class ViewOnlyPermissionPolicy(ModelPermissionPolicy):
    """Messages are a record: staff with the view permission read them, nobody edits them here.

    "retry" (queue a failed message again) needs the model's change permission.
    """

    def user_has_permission(self, user, action):
        if action == "retry":
            return super().user_has_permission(user, "change")
        return action == "view" and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([action for action in actions if action == "view"])


class RetryColumn(BaseColumn):
    """A POST button on failed rows, for staff who may retry (no JavaScript needed)."""

    cell_template_name = "notifications/admin/retry_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context.get("request")
        can_retry = (
            request is not None
            and instance.status == NotificationStatus.FAILED
            and notification_viewset.permission_policy.user_has_permission(request.user, "retry")
        )
        if can_retry:
            context["retry_url"] = reverse("notifications:retry", args=[instance.pk])
            context["csrf_token"] = get_token(request)
        return context


class NotificationViewSet(ModelViewSet):
    """Messages to citizens and officers: staff see which failed and why, and retry them."""

    model = Notification
    icon = "mail"
    menu_label = _("Thông báo đã gửi")
    menu_order = 840
    add_to_settings_menu = True
    list_display = [
        "dossier",
        "event",
        "channel",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "sent_at",
        RetryColumn("retry", label=_("Gửi lại")),
    ]
    list_filter = ["status", "channel", "event"]
    ordering = ["-created_at"]
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["last_error"]

    def get_urlpatterns(self):
        from .views import retry

        return [*super().get_urlpatterns(), path("retry/<int:pk>/", retry, name="retry")]


notification_template_viewset = NotificationTemplateViewSet("notification_templates")
notification_viewset = NotificationViewSet("notifications")
