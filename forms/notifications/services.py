"""Record the messages an event causes, inside the event's own transaction.

``record_status_change`` and ``record_assignment`` (forms.review.services) are called inside
the event's transaction: the Notification rows commit or roll back with it, and their sending
is queued with ``transaction.on_commit`` (ids only, one task per call: ``queue_sends``). A
submission's rows (``submission_messages``) are written in the same statement as the new
dossier (forms.services, ``cms.db.insert_together``), then ``queue_sends`` queues them.
Citizens get email and SMS in the dossier's language; officers get email in their admin language. Templates and each agency's
officers are read from per-worker copies (``caching``).
"""

import logging
import re
from types import MappingProxyType
from typing import NamedTuple

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone, translation

from forms.constants import DossierStatus, NotifyBy

from . import caching, tasks
from .constants import (
    EVENT_OF_STATUS,
    PLACEHOLDERS,
    RATING_REQUEST_STATUSES,
    RETURN_EVENTS,
    Channel,
    Event,
    NotificationStatus,
)
from .models import Notification, NotificationTemplate
from .rendering import placeholders_in, render

logger = logging.getLogger("portal.forms.notifications")

SUPPORTED_LANGUAGES = ("vi", "en")
__all__ = [
    "Event",
    "events_for_change",
    "record_assignment",
    "record_event",
    "record_status_change",
    "queue_sends",
    "record_submission",
    "submission_messages",
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


def _supported(language):
    language = (language or "vi").split("-")[0].lower()
    return language if language in SUPPORTED_LANGUAGES else "vi"


def _language_of(dossier):
    return _supported(dossier.language)


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


# How each placeholder is computed, in the message's language (active while it runs).
_VALUES = {
    "code": lambda dossier, language: dossier.code,
    "procedure": lambda dossier, language: str(dossier.procedure.title) if dossier.procedure_id else "",
    "due_date": lambda dossier, language: formats.date_format(dossier.due_date, "d/m/Y") if dossier.due_date else "",
    "status": lambda dossier, language: str(DossierStatus(dossier.status).citizen_label),
    "tracking_url": tracking_url,
    "supplement_url": lambda dossier, language: signed_url(dossier, language, "bo-sung"),
    "rating_url": lambda dossier, language: signed_url(dossier, language, "danh-gia"),
    "waybill": lambda dossier, language: dossier.tracking_number or "",
    "admin_url": lambda dossier, language: admin_url(dossier),
}


def message_context(dossier, language, names=PLACEHOLDERS):
    """The values a template can see (``constants.PLACEHOLDERS``), or only ``names`` of them:
    the three links are signed (an HMAC each) and reversed, too costly to make unused."""
    with translation.override(language):
        return {name: _VALUES[name](dossier, language) for name in names if name in _VALUES}


class _Contexts:
    """One dossier's placeholder values per language, each computed once, when a template first uses it."""

    def __init__(self, dossier):
        self.dossier = dossier
        self.values = {}

    def for_template(self, template, *, html):
        names = placeholders_in(template.subject) | placeholders_in(template.body_text)
        if html:
            names |= placeholders_in(template.body_html, html=True)
        values = self.values.setdefault(template.language, {})
        missing = names - values.keys()
        if missing:
            values.update(message_context(self.dossier, template.language, missing))
        return values


def _citizen_recipients(dossier):
    """The contacts the citizen gave, on the channels they chose (both by default)."""
    if dossier.applicant_email and dossier.notify_by != NotifyBy.SMS:
        yield Channel.EMAIL, dossier.applicant_email
    if dossier.applicant_phone and dossier.notify_by != NotifyBy.EMAIL:
        yield Channel.SMS, dossier.applicant_phone


def _officer_language(user):
    profile = getattr(user, "wagtail_userprofile", None)
    return _supported(profile.preferred_language if profile else "")


class Officer(NamedTuple):
    """What an officer's message needs of the officer: kept per worker (``caching``) instead of a user."""

    pk: int
    email: str
    language: str

    @classmethod
    def of(cls, user):
        return cls(user.pk, user.email, _officer_language(user))


def _read_agency_officers(agency_id):
    from django.contrib.auth import get_user_model

    from forms.review.permissions import OFFICERS_GROUP

    rows = (
        get_user_model()
        .objects.filter(is_active=True, agency_memberships__agency_id=agency_id, groups__name=OFFICERS_GROUP)
        .exclude(email="")
        .order_by("pk")
        .values_list("pk", "email", "wagtail_userprofile__preferred_language")
        .distinct()
    )
    return tuple(Officer(pk, email, _supported(language)) for pk, email, language in rows)


def agency_officers(dossier):
    """Active officers of the dossier's agency (cms.AgencyMembership + the officers' group) with an
    email, as ``Officer`` records; read once per worker until a user, membership or group changes
    (``caching``: seen by every worker within a second)."""
    return caching.cached("agency_officers", dossier.agency_id, lambda: _read_agency_officers(dossier.agency_id))


def _read_templates():
    return MappingProxyType({(t.event, t.channel, t.language): t for t in NotificationTemplate.objects.all()})


def templates():
    """Every ``NotificationTemplate`` by (event, channel, language), read once per worker until one
    is saved or deleted (``caching``: the next message of every worker uses the new text, at most
    a second after it is saved). The rows are shared: never change them."""
    return caching.cached("templates", None, _read_templates)


class _Messages:
    """Builds the unsaved rows of one event from the cached templates, each placeholder computed once."""

    def __init__(self, dossier, event, change=None, contexts=None):
        self.dossier, self.event, self.change = dossier, event, change
        self.contexts = contexts or _Contexts(dossier)
        self.rows = []
        self._templates = templates()

    def template(self, channel, language):
        """The event's template for ``channel`` in ``language``, else the Vietnamese one."""
        return self._templates.get((self.event, channel, language)) or self._templates.get((self.event, channel, "vi"))

    def add(self, channel, recipient, language, dedupe_key, user_id=None):
        template = self.template(channel, language)
        if template is None:
            return
        is_email = channel == Channel.EMAIL
        context = self.contexts.for_template(template, html=is_email)
        html = template.body_html if is_email else ""
        self.rows.append(
            Notification(
                dossier=self.dossier,
                user_id=user_id,
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


def _build(dossier, event, change, contexts=None):
    """Unsaved Notification rows of ``event`` for the citizen, one per contact channel with a template."""
    messages = _Messages(dossier, event, change, contexts)
    for channel, recipient in _citizen_recipients(dossier):
        messages.add(channel, recipient, _language_of(dossier), _event_key(dossier, change))
    return messages.rows


def _build_for_officers(dossier, event, officers, key, change=None, contexts=None):
    """Unsaved email rows of ``event`` for ``officers`` (``Officer`` records)."""
    messages = _Messages(dossier, event, change, contexts)
    for officer in officers:
        if officer.email:
            messages.add(Channel.EMAIL, officer.email, officer.language, f"{key}-user-{officer.pk}", officer.pk)
    return messages.rows


def _save_and_queue(rows):
    """Save each row (a duplicate of an earlier event is skipped) and queue their sending after
    commit: one task for all of them (``queue_sends``)."""
    if not rows:
        return []
    try:
        # The usual case (a new event): one INSERT for all its messages.
        with transaction.atomic():
            created = Notification.objects.bulk_create(rows)
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
            created.append(notification)
    return queue_sends(created)


def record_event(dossier, event, *, change=None):
    """Create the citizen's Notification rows of ``event`` (queued) and queue their sending after commit.

    Must run inside the event's transaction. A dossier without email gets no email row; a
    second call for the same event (same status change, or same dossier for submission)
    creates nothing.
    """
    if event is None:
        return []
    return _save_and_queue(_build(dossier, event, change))


def submission_messages(dossier):
    """A citizen submitted ``dossier``: their receipt, and a message to each officer of the
    agency, as unsaved rows (``forms.services.submit_application`` writes them with the
    dossier, then calls ``queue_sends``).

    Templates and officers come from the worker's copies and the placeholders are computed
    once for both events. Nothing can collide with these rows: the dossier is new.
    """
    key = _event_key(dossier, None)
    contexts = _Contexts(dossier)
    rows = _build(dossier, Event.SUBMITTED, None, contexts)
    rows += _build_for_officers(dossier, Event.OFFICER_NEW_DOSSIER, agency_officers(dossier), key, contexts=contexts)
    return rows


def queue_sends(rows):
    """Queue the sending of saved rows after the commit (one task for all of them); their ids."""
    created = [notification.pk for notification in rows]
    if created:
        transaction.on_commit(lambda: tasks.enqueue_sends(created))
    return created


def record_submission(dossier):
    """``submission_messages`` saved and queued on their own, for a dossier that exists already
    (a new one's are written with it by ``forms.services.submit_application``). Nothing can
    collide with them, so no savepoint."""
    return queue_sends(Notification.objects.bulk_create(submission_messages(dossier)))


def record_status_change(dossier, change):
    """Every message a status change causes, in its transaction (called by forms.review.services).

    The citizen's events (``events_for_change``); and when the citizen answered a supplement
    request (5 → 4 or 1, no actor), a message to the assigned officer (or, if none, to the
    agency's officers).
    """
    contexts = _Contexts(dossier)  # one set of values for all the events
    rows = []
    for event in events_for_change(dossier, change):
        rows += _build(dossier, event, change, contexts)
    if change.from_status == DossierStatus.SUPPLEMENT_REQUESTED and change.actor_id is None:
        officers = [Officer.of(dossier.assignee)] if dossier.assignee_id else agency_officers(dossier)
        rows += _build_for_officers(
            dossier, Event.OFFICER_SUPPLEMENT_RETURNED, officers, _event_key(dossier, change), change, contexts
        )
    return _save_and_queue(rows)


def record_assignment(dossier, assignee, actor, *, previous_id=None):
    """``actor`` gave ``dossier`` to ``assignee``: tell the assignee (unless they took it
    themself or already had it)."""
    if assignee is None or assignee == actor or assignee.pk == previous_id:
        return []
    key = f"assigned-{timezone.now():%Y%m%d%H%M%S%f}"
    return _save_and_queue(_build_for_officers(dossier, Event.OFFICER_ASSIGNED, [Officer.of(assignee)], key))


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
