"""Sending notifications (django-q2). Tasks receive ids; sending is idempotent.

``send_notification`` claims the row with a compare-and-set (queued → sending), sends outside
any transaction, then marks it sent. The messages of one event go in one task
(``send_notifications``): queuing a task costs more than most of what a submission does. A failure is recorded and retried with backoff
(a one-off ``Schedule`` at now + ``retry_delay``) up to ``MAX_ATTEMPTS``, then the row is
``failed``; a permanent refusal (SMTP 5xx for the recipient, SMS gateway 4xx) fails at once.
The dossier is never touched here.
"""

import logging
import smtplib
import time
from datetime import timedelta
from functools import lru_cache

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone
from django_q.brokers import get_broker
from django_q.models import Schedule
from django_q.tasks import async_task, schedule

from .constants import MAX_ATTEMPTS, NotificationStatus
from .sms import SmsError

logger = logging.getLogger("portal.forms.notifications")

TASK = "forms.notifications.tasks.send_notification"
BATCH_TASK = "forms.notifications.tasks.send_notifications"
SWEEP_TASK = "forms.notifications.tasks.requeue_stalled"
# A message never attempted this long after it was recorded lost its task (broker failure).
LOST_AFTER = timedelta(minutes=15)
SEND_ERRORS = (smtplib.SMTPException, OSError, SmsError)
# A batch starts no send after this many seconds: the rest goes in a task of its own, so that a
# slow server (each send may take up to EMAIL_TIMEOUT, 20 s) never runs a task into the
# Q_CLUSTER timeout (60 s), which would kill it with messages unsent.
BATCH_SECONDS = 15


def send_notification(notification_id):
    """Send one notification unless it is already sent (or being sent); returns its status."""
    from .channels import deliver
    from .models import Notification

    now = timezone.now()
    claimable = Q(status=NotificationStatus.QUEUED) | Q(
        status=NotificationStatus.SENDING, claimed_at__lt=now - stale_claim()
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
    logger.info("%s: %s %s sent", _about(notification), notification.channel, notification.event)
    return NotificationStatus.SENT


def stale_claim():
    """A "sending" claim older than this belongs to a worker that died mid-send: it is taken over.

    PORTAL_NOTIFICATION_STALE_CLAIM_SECONDS (300) is well above a send's own timeouts and the
    Q_CLUSTER task timeout (60 s), so a live send is never taken over.
    """
    return timedelta(seconds=getattr(settings, "PORTAL_NOTIFICATION_STALE_CLAIM_SECONDS", 300))


def requeue_stalled():
    """Queue again the messages whose task was lost: claimed by a worker that died mid-send
    (django-q2's Redis broker never redelivers), or never attempted because queuing failed.

    Scheduled every 5 minutes (migration 0006). A duplicate task is harmless: the claim in
    ``send_notification`` lets one run send. Returns how many were queued.
    """
    from .models import Notification

    now = timezone.now()
    stalled = Notification.objects.filter(
        Q(status=NotificationStatus.SENDING, claimed_at__lt=now - stale_claim())
        | Q(status=NotificationStatus.QUEUED, attempts=0, created_at__lt=now - LOST_AFTER)
    ).order_by("pk")
    ids = list(stalled.values_list("pk", flat=True)[:500])
    for notification_id in ids:
        enqueue_send(notification_id)
    if ids:
        logger.warning("requeued %d stalled notifications", len(ids))
    return len(ids)


def retry_delay(attempts):
    """Seconds before the next attempt: PORTAL_NOTIFICATION_RETRY_SECONDS × 2^attempts (2, 4, 8, 16 min by default)."""
    return getattr(settings, "PORTAL_NOTIFICATION_RETRY_SECONDS", 60) * 2**attempts


def is_permanent(error):
    """True when sending again cannot help: every recipient refused with a 5xx SMTP code, or
    the SMS gateway refused the message itself (``SmsError.permanent``)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return bool(error.recipients) and all(code >= 500 for code, _msg in error.recipients.values())
    # Other SMTP errors (authentication, sender refused) are ours to fix: keep retrying.
    return isinstance(error, SmsError) and error.permanent


def _about(notification):
    """What a log line may name: the dossier code, or the officer's id for a digest (never an address)."""
    if notification.dossier_id:
        return f"dossier {notification.dossier.code}"
    return f"user {notification.user_id}"


def _failed(notification, error):
    from .models import Notification

    message = f"{type(error).__name__}: {error}"[:2000]
    final = notification.attempts >= MAX_ATTEMPTS or is_permanent(error)
    status = NotificationStatus.FAILED if final else NotificationStatus.QUEUED
    Notification.objects.filter(pk=notification.pk).update(status=status, last_error=message)
    logger.warning(
        "%s: %s %s attempt %d failed%s: %s",
        _about(notification),
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
            next_run=timezone.now() + timedelta(seconds=retry_delay(notification.attempts)),
        )
    return status


def send_notifications(notification_ids):
    """Send several messages one after the other (the messages of one event); returns their statuses.

    A message that fails in an unexpected way is logged and the others still go: it stays
    "sending" and the ``requeue_stalled`` sweep queues it again once its claim is stale.
    """
    started = time.monotonic()
    statuses = []
    for index, notification_id in enumerate(notification_ids):
        if time.monotonic() - started > BATCH_SECONDS:
            enqueue_sends(notification_ids[index:])
            break
        try:
            statuses.append(send_notification(notification_id))
        except Exception:
            logger.exception("notification %s: unexpected error while sending", notification_id)
            statuses.append(None)
    return statuses


@lru_cache(maxsize=1)
def _broker():
    """The process's queue broker, made once: ``async_task`` otherwise makes a broker, and with
    Redis a client with its own connection pool (a new connection), for every task: ~1 ms.
    Shared by threads like any redis-py client; a forked process opens its own connections."""
    return get_broker()


def enqueue_send(notification_id):
    """Queue ``send_notification``; called by ``transaction.on_commit`` (never rolls the event back)."""
    try:
        return async_task(TASK, notification_id, task_name=f"notification-{notification_id}", broker=_broker())
    except Exception:
        logger.exception("could not queue notification %s", notification_id)
        return None


def enqueue_sends(notification_ids):
    """Queue the sending of several messages as one task (one message: ``send_notification`` itself).

    Called by ``transaction.on_commit``; a broker failure is logged and never rolls the event
    back (the sweep queues the messages again after ``LOST_AFTER``).
    """
    notification_ids = list(notification_ids)
    if not notification_ids:
        return None
    if len(notification_ids) == 1:
        return enqueue_send(notification_ids[0])
    try:
        return async_task(
            BATCH_TASK,
            notification_ids,
            task_name=f"notifications-{notification_ids[0]}-{len(notification_ids)}",
            broker=_broker(),
        )
    except Exception:
        logger.exception("could not queue notifications %s", notification_ids)
        return None


DIGEST_TASK = "forms.notifications.tasks.send_officer_digests"


def send_officer_digests(today=None):
    """Each officer's morning email: their dossiers due by the next working day, and overdue ones.

    Scheduled daily (migration 0005). One Notification per officer and day (``digest-<date>``
    dedupe key), so a second run the same day queues nothing new. Returns how many were queued.
    """
    from django.db import IntegrityError, transaction
    from django.template.loader import render_to_string
    from django.utils import translation

    from forms.constants import OVERDUE_CANDIDATE_STATUSES
    from forms.models import Dossier
    from forms.review.calendar import add_working_days, local_day

    from .constants import Channel, Event
    from .models import Notification
    from .services import _officer_language, admin_url

    today = today or local_day()
    next_working_day = add_working_days(today, 1)
    dossiers = (
        Dossier.objects.filter(
            assignee__is_active=True,
            status__in=[str(status) for status in OVERDUE_CANDIDATE_STATUSES],
            due_date__isnull=False,
            due_date__lte=next_working_day,
        )
        .exclude(due_date=today)
        .exclude(assignee__email="")
        .select_related("procedure", "assignee__wagtail_userprofile")
        .order_by("assignee_id", "due_date", "code")
    )
    by_officer = {}
    for dossier in dossiers:
        by_officer.setdefault(dossier.assignee, []).append(dossier)
    queued = []
    for officer, items in by_officer.items():
        language = _officer_language(officer)
        context = {
            "officer": officer,
            "today": today,
            "due": [(d, admin_url(d)) for d in items if d.due_date > today],
            "overdue": [(d, admin_url(d)) for d in items if d.due_date < today],
            "count": len(items),
        }
        with translation.override(language):
            subject = render_to_string("notifications/officer_digest_subject.txt", context)
            body_text = render_to_string("notifications/officer_digest.txt", context)
            body_html = render_to_string("notifications/officer_digest.html", context)
        try:
            with transaction.atomic():
                notification = Notification.objects.create(
                    user=officer,
                    dedupe_key=f"digest-{today.isoformat()}-user-{officer.pk}",
                    event=Event.OFFICER_DIGEST,
                    channel=Channel.EMAIL,
                    recipient=officer.email,
                    language=language,
                    subject=" ".join(subject.split())[:255],
                    body_text=body_text,
                    body_html=body_html,
                )
        except IntegrityError:
            continue  # today's digest of this officer exists already
        queued.append(notification.pk)
        enqueue_send(notification.pk)
    logger.info("officer digests: %d queued for %s", len(queued), today.isoformat())
    return len(queued)
