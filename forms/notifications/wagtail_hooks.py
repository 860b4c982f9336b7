"""Admin registration only (the viewsets live in viewsets.py)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .admin_panels import SHOWN, FailedNotificationsPanel, OfficerMessagesPanel, recent_officer_messages
from .constants import NotificationStatus
from .models import Notification
from .views import RETRY_ACTION
from .viewsets import ViewOnlyPermissionPolicy, notification_template_viewset, notification_viewset

register_permission_policy(Notification, ViewOnlyPermissionPolicy(Notification))


@hooks.register("register_admin_viewset")
def register_notification_template_viewset():
    return notification_template_viewset


@hooks.register("register_admin_viewset")
def register_notification_viewset():
    return notification_viewset


@hooks.register("construct_homepage_panels")
def add_officer_messages_panel(request, panels):
    messages = recent_officer_messages(request.user)
    total = messages.count()
    if total:
        panels.append(OfficerMessagesPanel(list(messages[:SHOWN]), total))
    if notification_viewset.permission_policy.user_has_permission(request.user, "retry"):
        failed = Notification.objects.filter(status=NotificationStatus.FAILED).count()
        if failed:
            panels.append(FailedNotificationsPanel(failed))


@hooks.register("register_log_actions")
def register_notification_log_actions(actions):
    actions.register_action(RETRY_ACTION, _("Gửi lại thông báo"), _("Đã xếp thông báo gửi lỗi vào hàng đợi để gửi lại"))
