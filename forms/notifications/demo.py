"""Demo seed: the default notification templates, and a message history for the demo dossiers.

Production gets the templates from migrations 0002 and 0004; ``seed_demo`` calls this so that a
database flushed by a transactional test (or a hand-reset dev database) has them too.

The demo dossiers are submitted with ``notify=False`` (forms.demo): fifty invented people
would otherwise put a hundred sends in the worker's queue on the first ``make run``. Their
submission messages are recorded here as already sent, and one SMS as failed, so that staff
see a realistic list (and a retry button) without the worker sending anything.
"""

from importlib import import_module

from forms.models import Dossier

from .constants import MAX_ATTEMPTS, Channel, Event, NotificationStatus
from .models import Notification, NotificationTemplate
from .services import record_as_sent

FAILED_DEMO_DOSSIER = "demo:3"
FAILED_DEMO_ERROR = "SmsError: SMS gateway answered HTTP 503"


def ensure_default_templates():
    created = 0
    # 0004 first: it replaces some 0002 defaults; events 0004 retired are skipped.
    for module in ("0004_default_templates_more_events", "0002_default_templates"):
        defaults = import_module(f"forms.notifications.migrations.{module}")
        for row in defaults._rows():
            if row["event"] not in Event.values:
                continue
            _template, was_created = NotificationTemplate.objects.get_or_create(
                event=row["event"], channel=row["channel"], language=row["language"], defaults=row
            )
            created += was_created
    return created


def ensure_demo_history():
    dossiers = Dossier.objects.filter(idempotency_key__startswith="demo:").exclude(notifications__event=Event.SUBMITTED)
    made = 0
    for dossier in dossiers.select_related("procedure"):
        made += len(record_as_sent(dossier, Event.SUBMITTED))
        if dossier.idempotency_key == FAILED_DEMO_DOSSIER:
            Notification.objects.filter(dossier=dossier, channel=Channel.SMS).update(
                status=NotificationStatus.FAILED, sent_at=None, attempts=MAX_ATTEMPTS, last_error=FAILED_DEMO_ERROR
            )
    return made


SCHEDULE_MIGRATIONS = ("0005_schedule_officer_digest", "0006_schedule_requeue_stalled")


def ensure_schedules():
    """The Schedules of migrations 0005 (officers' digest) and 0006 (sweep), again after a
    flushed database. Returns how many were missing."""
    from django.apps import apps
    from django_q.models import Schedule

    made = 0
    for name in SCHEDULE_MIGRATIONS:
        migration = import_module(f"forms.notifications.migrations.{name}")
        if not Schedule.objects.filter(name=migration.SCHEDULE_NAME).exists():
            migration.create_schedule(apps, None)
            made += 1
    return made


def seed(report, context):
    if ensure_default_templates():
        report.made("mẫu thông báo mặc định")
    if ensure_schedules():
        report.made("lịch tác vụ thông báo")
    made = ensure_demo_history()
    if made:
        report.made(f"{made} thông báo mẫu (đã gửi)")
    return context
