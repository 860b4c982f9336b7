"""The admin-home panel: the officer's own messages of the last days (new dossiers, assignments,
supplements returned), so they see them without opening their mailbox."""

from datetime import timedelta

from django.utils import timezone
from wagtail.admin.ui.components import Component

from .constants import OFFICER_EVENTS, Event
from .models import Notification

RECENT = timedelta(days=7)
SHOWN = 8


def recent_officer_messages(user):
    return (
        Notification.objects.filter(
            user=user,
            event__in=OFFICER_EVENTS - {Event.OFFICER_DIGEST},
            created_at__gte=timezone.now() - RECENT,
        )
        .select_related("dossier")
        .order_by("-created_at")
    )


class OfficerMessagesPanel(Component):
    name = "officer_messages"
    template_name = "notifications/admin/home_panel.html"
    order = 40  # above the agency figures: what needs this officer's attention first

    def __init__(self, messages, total):
        self.messages = messages
        self.total = total

    def get_context_data(self, parent_context):
        return {"messages": self.messages, "total": self.total}


class FailedNotificationsPanel(Component):
    """For staff who may retry: how many messages failed, linking to that filtered list."""

    name = "failed_notifications"
    template_name = "notifications/admin/failed_panel.html"
    order = 35

    def __init__(self, count):
        self.count = count

    def get_context_data(self, parent_context):
        from django.urls import reverse

        from .constants import NotificationStatus

        return {
            "count": self.count,
            "url": reverse("notifications:index") + f"?status={NotificationStatus.FAILED}",
        }
