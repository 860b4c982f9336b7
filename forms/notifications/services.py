"""Record the messages an event causes, inside the event's own transaction.

``record_event`` is called by ``forms.services`` and ``forms.review.services`` right where
they schedule their own tasks: the Notification rows commit or roll back with the event,
and ``send_notification`` is queued with ``transaction.on_commit`` (ids only).
"""

import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, translation

from forms.constants import DossierStatus

from . import tasks
from .constants import EVENT_OF_STATUS, RATING_REQUEST_STATUSES, RETURN_EVENTS, Channel, Event, NotificationStatus
from .models import Notification, NotificationTemplate
from .rendering import render

logger = logging.getLogger("portal.forms.notifications")

SUPPORTED_LANGUAGES = ("vi", "en")
__all__ = ["Event", "events_for_change", "record_event", "record_status_change"]


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


def record_status_change(dossier, change):
    """Record every message a committed-with-it status change causes (called by forms.review.services)."""
    created = []
    for event in events_for_change(dossier, change):
        created += record_event(dossier, event, change=change)
    return created


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


def _recipients(dossier):
    if dossier.applicant_email:
        yield Channel.EMAIL, dossier.applicant_email
    if dossier.applicant_phone:
        yield Channel.SMS, dossier.applicant_phone


def _template(event, channel, language):
    templates = {
        t.language: t
        for t in NotificationTemplate.objects.filter(event=event, channel=channel, language__in=[language, "vi"])
    }
    return templates.get(language) or templates.get("vi")


def _build(dossier, event, change):
    """Unsaved Notification rows of ``event`` for the citizen, one per contact channel with a template."""
    language = _language_of(dossier)
    context = None
    dedupe_key = f"change-{change.pk}" if change is not None else f"dossier-{dossier.pk}"
    rows = []
    for channel, recipient in _recipients(dossier):
        template = _template(event, channel, language)
        if template is None:
            continue
        context = context or message_context(dossier, template.language)
        html = template.body_html if channel == Channel.EMAIL else ""
        rows.append(
            Notification(
                dossier=dossier,
                status_change=change,
                dedupe_key=dedupe_key,
                event=event,
                channel=channel,
                recipient=recipient,
                language=template.language,
                subject=" ".join(render(template.subject, context).split())[:255],
                body_text=render(template.body_text, context),
                body_html=render(html, context, html=True),
            )
        )
    return rows


def record_event(dossier, event, *, change=None):
    """Create the Notification rows of ``event`` (queued) and queue their sending after commit.

    Must run inside the event's transaction. A dossier without email gets no email row; a
    second call for the same event (same status change, or same dossier for submission)
    creates nothing.
    """
    if event is None:
        return []
    created = []
    for notification in _build(dossier, event, change):
        try:
            with transaction.atomic():
                notification.save()
        except IntegrityError:
            continue  # this event already made its message on this channel
        created.append(notification.pk)
    for notification_id in created:
        transaction.on_commit(lambda pk=notification_id: tasks.enqueue_send(pk))
    return created


def record_as_sent(dossier, event, *, change=None, sent_at=None):
    """The rows ``record_event`` would make, stored as already sent and never queued (demo data)."""
    rows = _build(dossier, event, change)
    for notification in rows:
        notification.status = NotificationStatus.SENT
        notification.attempts = 1
        notification.sent_at = sent_at or dossier.submitted_at
    return Notification.objects.bulk_create(rows, ignore_conflicts=True)
