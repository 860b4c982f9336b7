"""Record the messages an event causes, inside the event's own transaction.

``record_submission`` (forms.services), ``record_status_change`` and ``record_assignment``
(forms.review.services) are called inside the event's transaction: the Notification rows
commit or roll back with it, and ``send_notification`` is queued with
``transaction.on_commit`` (ids only). Citizens get email and SMS in the dossier's language;
officers get email in their admin language.
"""

import logging
import re

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone, translation

from forms.constants import DossierStatus, NotifyBy

from . import tasks
from .constants import EVENT_OF_STATUS, RATING_REQUEST_STATUSES, RETURN_EVENTS, Channel, Event, NotificationStatus
from .models import Notification, NotificationTemplate
from .rendering import render

logger = logging.getLogger("portal.forms.notifications")

SUPPORTED_LANGUAGES = ("vi", "en")
__all__ = [
    "Event",
    "events_for_change",
    "record_assignment",
    "record_event",
    "record_status_change",
    "record_submission",
]


def events_for_change(dossier, change):
    """The citizen's events of a status change: its status's event, then (when the dossier
    ends in 3, 8 or 10) the invitation to rate. A result returned (10) is announced by the
    variant of its return method."""
    status = DossierStatus(change.to_status)
    if status == DossierStatus.DELIVERED:
        events = [RETURN_EVENTS.get(dossier.return_method, Event.RETURNED_IN_PERSON)]
    else:
        events = [EVENT_OF_STATUS[status]] if status in EVENT_OF_STATUS else []
    if status in RATING_REQUEST_STATUSES:
        events.append(Event.RATING_REQUESTED)
    return events


def _language_of(dossier):
    language = (dossier.language or "vi").split("-")[0].lower()
    return language if language in SUPPORTED_LANGUAGES else "vi"


def signed_url(dossier, language, purpose):
    """A link that opens the dossier without code and phone (forms.review's signed tokens):
    "theo-doi" the tracking page, "bo-sung" the supplement form, "danh-gia" the rating form."""
    from forms.review.citizen import signed_token

    with translation.override(language):
        path = reverse("review_tracking:signed_link", args=[signed_token(dossier, purpose)])
    return settings.PORTAL_PUBLIC_BASE_URL.rstrip("/") + path


def tracking_url(dossier, language):
    return signed_url(dossier, language, "theo-doi")


def admin_url(dossier):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("dossiers:inspect", args=[dossier.pk])


def message_context(dossier, language):
    """The only values a template can see (``constants.PLACEHOLDERS``)."""
    with translation.override(language):
        return {
            "code": dossier.code,
            "procedure": str(dossier.procedure.title) if dossier.procedure_id else "",
            "due_date": formats.date_format(dossier.due_date, "d/m/Y") if dossier.due_date else "",
            "status": str(DossierStatus(dossier.status).citizen_label),
            "tracking_url": tracking_url(dossier, language),
            "supplement_url": signed_url(dossier, language, "bo-sung"),
            "rating_url": signed_url(dossier, language, "danh-gia"),
            "waybill": dossier.tracking_number or "",
            "admin_url": admin_url(dossier),
        }


def _citizen_recipients(dossier):
    """The contacts the citizen gave, on the channels they chose (both by default)."""
    if dossier.applicant_email and dossier.notify_by != NotifyBy.SMS:
        yield Channel.EMAIL, dossier.applicant_email
    if dossier.applicant_phone and dossier.notify_by != NotifyBy.EMAIL:
        yield Channel.SMS, dossier.applicant_phone


def _officer_language(user):
    profile = getattr(user, "wagtail_userprofile", None)
    language = ((profile.preferred_language if profile else "") or "vi").split("-")[0].lower()
    return language if language in SUPPORTED_LANGUAGES else "vi"


def agency_officers(dossier):
    """Active officers of the dossier's agency (cms.AgencyMembership + the officers' group) with an email."""
    from django.contrib.auth import get_user_model

    from forms.review.permissions import OFFICERS_GROUP

    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            agency_memberships__agency_id=dossier.agency_id,
            groups__name=OFFICERS_GROUP,
        )
        .exclude(email="")
        .select_related("wagtail_userprofile")
        .distinct()
        .order_by("pk")
    )


class _Messages:
    """Builds the unsaved rows of one event: its templates read in one query, each language's
    context rendered once."""

    def __init__(self, dossier, event, change=None):
        self.dossier, self.event, self.change = dossier, event, change
        self.contexts = {}
        self.rows = []
        self._templates = None

    def template(self, channel, language):
        """The event's template for ``channel`` in ``language``, else the Vietnamese one."""
        if self._templates is None:
            self._templates = {
                (t.channel, t.language): t for t in NotificationTemplate.objects.filter(event=self.event)
            }
        return self._templates.get((channel, language)) or self._templates.get((channel, "vi"))

    def add(self, channel, recipient, language, dedupe_key, user=None):
        template = self.template(channel, language)
        if template is None:
            return
        if template.language not in self.contexts:
            self.contexts[template.language] = message_context(self.dossier, template.language)
        context = self.contexts[template.language]
        html = template.body_html if channel == Channel.EMAIL else ""
        self.rows.append(
            Notification(
                dossier=self.dossier,
                user=user,
                status_change=self.change,
                dedupe_key=dedupe_key,
                event=self.event,
                channel=channel,
                recipient=recipient,
                language=template.language,
                subject=" ".join(render(template.subject, context).split())[:255],
                body_text=render(template.body_text, context),
                body_html=render(html, context, html=True),
            )
        )


def _event_key(dossier, change):
    return f"change-{change.pk}" if change is not None else f"dossier-{dossier.pk}"


def _build(dossier, event, change):
    """Unsaved Notification rows of ``event`` for the citizen, one per contact channel with a template."""
    messages = _Messages(dossier, event, change)
    for channel, recipient in _citizen_recipients(dossier):
        messages.add(channel, recipient, _language_of(dossier), _event_key(dossier, change))
    return messages.rows


def _build_for_officers(dossier, event, officers, key, change=None):
    messages = _Messages(dossier, event, change)
    for officer in officers:
        if officer.email:
            messages.add(Channel.EMAIL, officer.email, _officer_language(officer), f"{key}-user-{officer.pk}", officer)
    return messages.rows


def _save_and_queue(rows):
    """Save each row (a duplicate of an earlier event is skipped) and queue its sending after commit."""
    if not rows:
        return []
    try:
        # The usual case (a new event): one INSERT for all its messages.
        with transaction.atomic():
            created = [notification.pk for notification in Notification.objects.bulk_create(rows)]
    except IntegrityError:
        # Some of them exist already (the event was recorded before): save one by one,
        # skipping the duplicates.
        created = []
        for notification in rows:
            notification.pk = None
            notification._state.adding = True
            try:
                with transaction.atomic():
                    notification.save()
            except IntegrityError:
                continue  # this event already made its message for this recipient and channel
            created.append(notification.pk)
    for notification_id in created:
        transaction.on_commit(lambda pk=notification_id: tasks.enqueue_send(pk))
    return created


def record_event(dossier, event, *, change=None):
    """Create the citizen's Notification rows of ``event`` (queued) and queue their sending after commit.

    Must run inside the event's transaction. A dossier without email gets no email row; a
    second call for the same event (same status change, or same dossier for submission)
    creates nothing.
    """
    if event is None:
        return []
    return _save_and_queue(_build(dossier, event, change))


def record_submission(dossier):
    """A citizen submitted ``dossier``: their receipt, and a message to each officer of the agency."""
    key = _event_key(dossier, None)
    rows = _build(dossier, Event.SUBMITTED, None)
    rows += _build_for_officers(dossier, Event.OFFICER_NEW_DOSSIER, agency_officers(dossier), key)
    return _save_and_queue(rows)  # one INSERT for all of them


def record_status_change(dossier, change):
    """Every message a status change causes, in its transaction (called by forms.review.services).

    The citizen's events (``events_for_change``); and when the citizen answered a supplement
    request (5 → 4 or 1, no actor), a message to the assigned officer (or, if none, to the
    agency's officers).
    """
    created = []
    for event in events_for_change(dossier, change):
        created += record_event(dossier, event, change=change)
    if change.from_status == DossierStatus.SUPPLEMENT_REQUESTED and change.actor_id is None:
        officers = [dossier.assignee] if dossier.assignee_id else agency_officers(dossier)
        created += _save_and_queue(
            _build_for_officers(
                dossier, Event.OFFICER_SUPPLEMENT_RETURNED, officers, _event_key(dossier, change), change=change
            )
        )
    return created


def record_assignment(dossier, assignee, actor, *, previous_id=None):
    """``actor`` gave ``dossier`` to ``assignee``: tell the assignee (unless they took it
    themself or already had it)."""
    if assignee is None or assignee == actor or assignee.pk == previous_id:
        return []
    key = f"assigned-{timezone.now():%Y%m%d%H%M%S%f}"
    return _save_and_queue(_build_for_officers(dossier, Event.OFFICER_ASSIGNED, [assignee], key))


def record_as_sent(dossier, event, *, change=None, sent_at=None):
    """The rows ``record_event`` would make, stored as already sent and never queued (demo data)."""
    rows = _build(dossier, event, change)
    for notification in rows:
        notification.status = NotificationStatus.SENT
        notification.attempts = 1
        notification.sent_at = sent_at or dossier.submitted_at
    return Notification.objects.bulk_create(rows, ignore_conflicts=True)


_LINK = re.compile(r"\s*https?://\S+")


def citizen_notices(dossier):
    """The messages sent to the citizen, as in-page notices for the tracking page: one entry per
    event (newest first) with its short text and how each channel fared; never the recipients."""
    notices = {}
    rows = (
        Notification.objects.filter(dossier=dossier, user__isnull=True)
        .order_by("-created_at", "channel")
        .only("event", "channel", "status", "subject", "body_text", "created_at", "sent_at", "dedupe_key")
    )
    for row in rows:
        notice = notices.setdefault(
            (row.dedupe_key, row.event),
            {"at": row.sent_at or row.created_at, "event": row.get_event_display(), "text": "", "channels": []},
        )
        # The SMS says it in a few words; an email's subject does too.
        # Its links lead to the page the citizen is reading: leave them out.
        text = row.body_text if row.channel == Channel.SMS else row.subject
        text = _LINK.sub("", text).strip()
        if text and (row.channel == Channel.SMS or not notice["text"]):
            notice["text"] = text
        notice["channels"].append({"channel": row.get_channel_display(), "status": row.get_status_display()})
    return list(notices.values())
