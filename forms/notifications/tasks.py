"""Sending notifications (django-q2). Tasks receive ids; sending is idempotent.

``send_notification`` claims the row with a compare-and-set (queued → sending), sends outside
any transaction, then marks it sent. A failure is recorded and retried with backoff
(a one-off ``Schedule`` at now + 2^attempts minutes) up to ``MAX_ATTEMPTS``, then the row is
``failed``. The dossier is never touched here.
"""

import logging
import smtplib
from datetime import timedelta

from django.db.models import F, Q
from django.utils import timezone
from django_q.models import Schedule
from django_q.tasks import async_task, schedule

from .constants import MAX_ATTEMPTS, NotificationStatus
from .sms import SmsError

logger = logging.getLogger("portal.forms.notifications")

TASK = "forms.notifications.tasks.send_notification"
# A claim older than this belongs to a worker that died (Q_CLUSTER timeout is 60 s).
STALE_CLAIM = timedelta(minutes=5)
SEND_ERRORS = (smtplib.SMTPException, OSError, SmsError)


def send_notification(notification_id):
    """Send one notification unless it is already sent (or being sent); returns its status."""
    from .channels import deliver
    from .models import Notification

    now = timezone.now()
    claimable = Q(status=NotificationStatus.QUEUED) | Q(
        status=NotificationStatus.SENDING, claimed_at__lt=now - STALE_CLAIM
    )
    claimed = Notification.objects.filter(claimable, pk=notification_id).update(
        status=NotificationStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    notification = Notification.objects.filter(pk=notification_id).select_related("dossier").first()
    if notification is None:
        logger.warning("send_notification: notification %s no longer exists", notification_id)
        return None
    if not claimed:
        return notification.status
    try:
        deliver(notification)
    except SEND_ERRORS as error:
        return _failed(notification, error)
    Notification.objects.filter(pk=notification.pk).update(
        status=NotificationStatus.SENT, sent_at=timezone.now(), last_error=""
    )
    logger.info("dossier %s: %s %s sent", notification.dossier.code, notification.channel, notification.event)
    return NotificationStatus.SENT


def _failed(notification, error):
    from .models import Notification

    message = f"{type(error).__name__}: {error}"[:2000]
    final = notification.attempts >= MAX_ATTEMPTS
    status = NotificationStatus.FAILED if final else NotificationStatus.QUEUED
    Notification.objects.filter(pk=notification.pk).update(status=status, last_error=message)
    logger.warning(
        "dossier %s: %s %s attempt %d failed%s: %s",
        notification.dossier.code,
        notification.channel,
        notification.event,
        notification.attempts,
        " (giving up)" if final else "",
        type(error).__name__,
    )
    if not final:
        schedule(
            TASK,
            notification.pk,
            name=f"notification-{notification.pk}-retry-{notification.attempts}",
            schedule_type=Schedule.ONCE,
            next_run=timezone.now() + timedelta(minutes=2**notification.attempts),
        )
    return status


def enqueue_send(notification_id):
    """Queue ``send_notification``; called by ``transaction.on_commit`` (never rolls the event back)."""
    try:
        return async_task(TASK, notification_id, task_name=f"notification-{notification_id}")
    except Exception:
        logger.exception("could not queue notification %s", notification_id)
        return None
