"""Admin listings: the message templates (Settings → Mẫu thông báo) and the sent/failed messages."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

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


class ViewOnlyPermissionPolicy(ModelPermissionPolicy):
    """Messages are a record: staff with the view permission read them, nobody edits them here."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([action for action in actions if action == "view"])


class NotificationViewSet(ModelViewSet):
    """Messages sent to citizens: staff see which failed and why (read-only)."""

    model = Notification
    icon = "mail"
    menu_label = _("Thông báo đã gửi")
    menu_order = 840
    add_to_settings_menu = True
    list_display = ["dossier", "event", "channel", "status", "attempts", "last_error", "created_at", "sent_at"]
    list_filter = ["status", "channel", "event"]
    ordering = ["-created_at"]
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["last_error"]


notification_template_viewset = NotificationTemplateViewSet("notification_templates")
notification_viewset = NotificationViewSet("notifications")
