"""State changes of dossiers: submission (with its code) and status transitions.

Views, the API and demo data all come through here. Each function runs in one
transaction, writes the history row and a Wagtail log entry, and schedules side effects
with ``transaction.on_commit`` passing ids, so nothing after the commit (a slow SMTP or
SMS gateway) can lose or roll back a citizen's application.
"""

import logging
from dataclasses import dataclass
from types import SimpleNamespace

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from wagtail.log_actions import get_active_log_context, log
from wagtail.models import ModelLogEntry

from cms.db import insert_together, reserve_ids
from forms.notifications import services as notifications
from forms.notifications.models import Notification

from .builder import answer_to_json, definition_hash, form_definition, input_fields_by_key, page_steps
from .constants import (
    APPLICANT_EMAIL_KEYS,
    APPLICANT_GIVEN_NAMES_KEY,
    APPLICANT_ID_KEYS,
    APPLICANT_NAME_KEYS,
    APPLICANT_PHONE_KEYS,
    APPLICANT_SURNAME_KEY,
    NOTIFY_BY_KEY,
    POSTAL_ADDRESS_KEY,
    RESULT_DELIVERY_KEY,
    Channel,
    DossierStatus,
    NotifyBy,
    ResultDelivery,
    is_allowed_transition,
)
from .models import Dossier, DossierCodeCounter, DossierFile, FieldType, FormVersion, StatusChange
from .storage import private_storage, store_upload
from .validators import normalize_phone

logger = logging.getLogger("portal.forms")

SUBMITTED_ACTION = "portal_forms.dossier.submitted"
STATUS_CHANGED_ACTION = "portal_forms.dossier.status_changed"


class TransitionRefused(Exception):
    """The dossier's status does not allow the requested change (see constants.ALLOWED_TRANSITIONS)."""


@dataclass(frozen=True)
class SubmissionResult:
    dossier: Dossier
    created: bool  # False when the idempotency key had already produced this dossier


# --- codes ------------------------------------------------------------------------------


def local_day(moment=None):
    """The calendar day in Asia/Ho_Chi_Minh (TIME_ZONE) of an aware datetime."""
    return timezone.localtime(moment or timezone.now()).date()


def _counter_upsert():
    table = connection.ops.quote_name(DossierCodeCounter._meta.db_table)
    return (
        f"INSERT INTO {table} (agency_id, day, last_number) VALUES (%s, %s, 1) "  # noqa: S608 (table name only)
        f"ON CONFLICT (agency_id, day) DO UPDATE SET last_number = {table}.last_number + 1 "
        "RETURNING last_number"
    )


def next_dossier_number(agency, day):
    """Take the next number of `agency` on `day`, atomically.

    One ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` statement (PostgreSQL, and SQLite
    ≥ 3.35): two concurrent submissions can never read the same last number. Called
    outside a transaction (``submit_application`` does), the statement commits at once and
    the day's counter row is locked only for that statement; inside one, the row stays
    locked until that transaction ends and every other submission of the agency waits.
    """
    with connection.cursor() as cursor:
        cursor.execute(_counter_upsert(), [agency.pk, connection.ops.adapt_datefield_value(day)])
        return cursor.fetchone()[0]


def take_number_and_id(agency, day):
    """``(number, primary key)`` for a new dossier of `agency` on `day`, before it is written.

    The key lets the dossier, its files (stored under ``dossiers/<key>/``) and every row that
    points at it be written in one statement (``cms.db.insert_together``). On PostgreSQL the
    number and the key come from one statement, whose commit does not wait for the disk
    (``synchronous_commit`` off for that statement only): the submission's own commit, which
    does wait, comes after it in the write-ahead log and makes it durable too. Should the
    server stop between the two, no stored dossier has that number, so giving it again after
    the restart harms nothing; the citizen was not yet answered.
    """
    if connection.vendor != "postgresql":
        return next_dossier_number(agency, day), reserve_ids(Dossier)[0]
    # Only a statement that commits on its own: inside a caller's transaction the setting
    # would last until that transaction's commit, the dossier's included.
    no_flush = "" if connection.in_atomic_block else ", set_config('synchronous_commit', 'off', true)"
    sql = (
        f"WITH counter AS ({_counter_upsert()}) "  # noqa: S608 (table name only)
        f"SELECT counter.last_number, nextval(pg_get_serial_sequence(%s, %s)){no_flush} FROM counter"
    )
    params = [agency.pk, connection.ops.adapt_datefield_value(day), Dossier._meta.db_table, Dossier._meta.pk.column]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        number, pk = cursor.fetchone()[:2]
    return number, pk


def format_dossier_code(agency, day, number):
    """``000.20.79.H29-260315-0042`` (TT 01/2018/TT-VPCP art. 19)."""
    return f"{agency.code}-{day:%y%m%d}-{number:04d}"


# --- form versions ---------------------------------------------------------------------


def current_form_version(form_page, steps=None):
    """The FormVersion matching the page's current definition (created when it changed)."""
    definition = form_definition(form_page, steps)
    digest = definition_hash(definition)
    # A submission needs only the id: the stored definition (a large JSON document, ~4 ms to
    # read and parse per submission) is left deferred and loads if something reads it.
    version = FormVersion.objects.filter(form_page=form_page, definition_hash=digest).defer("definition").first()
    if version is None:
        version, _ = FormVersion.objects.get_or_create(
            form_page=form_page, definition_hash=digest, defaults={"definition": definition}
        )
    return version


# --- submission ------------------------------------------------------------------------


def _first(answers, keys):
    for key in keys:
        value = answers.get(key)
        if value not in (None, ""):
            return value
    return ""


def _applicant_name(answers, fields_by_key):
    name = _first(answers, APPLICANT_NAME_KEYS)
    if not name and answers.get(APPLICANT_SURNAME_KEY):
        name = f"{answers.get(APPLICANT_SURNAME_KEY, '')} {answers.get(APPLICANT_GIVEN_NAMES_KEY, '')}"
    if not name:
        name = next(
            (
                answers[key]
                for key, f in fields_by_key.items()
                if f.field_type == FieldType.PERSON_NAME and answers.get(key)
            ),
            "",
        )
    return " ".join(str(name).split())[:200]


def _applicant_phone(answers):
    phone = _first(answers, APPLICANT_PHONE_KEYS)
    if not phone:
        return ""
    try:
        return normalize_phone(phone)
    except Exception:  # noqa: BLE001 - a malformed phone never blocks a submission; keep it as typed
        return str(phone)[:20]


def _notify_by(answers):
    value = answers.get(NOTIFY_BY_KEY) or NotifyBy.ALL
    return value if value in NotifyBy.values else NotifyBy.ALL


def _delivery(answers):
    value = answers.get(RESULT_DELIVERY_KEY) or ResultDelivery.IN_PERSON
    return value if value in ResultDelivery.values else ResultDelivery.IN_PERSON


def _postal_address(answers):
    value = answers.get(POSTAL_ADDRESS_KEY)
    if isinstance(value, dict):
        from .provinces import format_address

        return format_address(value)
    return str(value or "")


def _store_uploads(dossier, uploads, allowed_keys, rows):
    """Unsaved DossierFile rows, added to ``rows``, for the uploads of visible file fields; new
    files go to private storage now (under ``dossiers/<dossier key>/``)."""
    for key, items in (uploads or {}).items():
        if key not in allowed_keys:
            continue
        for item in items or []:
            if hasattr(item, "file"):  # a CleanUpload straight from a form (API path)
                stored_name = store_upload(item, prefix=f"dossiers/{dossier.pk}")
                meta = {"name": item.name, "content_type": item.content_type, "size": item.size, "sha256": item.sha256}
            else:  # stored privately while the citizen filled in the draft: copy it to the dossier
                with private_storage.open(item["stored_name"], "rb") as handle:
                    stored_name = store_upload(
                        SimpleNamespace(name=item["name"], file=handle), prefix=f"dossiers/{dossier.pk}"
                    )
                meta = item
            rows.append(
                DossierFile(
                    dossier=dossier,
                    field_key=key,
                    original_name=str(meta["name"])[:255],
                    content_type=str(meta.get("content_type") or "application/octet-stream")[:100],
                    size=int(meta.get("size") or 0),
                    sha256=str(meta.get("sha256") or ""),
                    stored_name=stored_name,
                )
            )
    return rows


def _discard(files):
    """The stored files of a submission that was not written (nothing points at them)."""
    for row in files:
        try:
            private_storage.delete(row.stored_name)
        except OSError:
            logger.warning("could not remove %s after a failed submission", row.stored_name)


def _log_submitted(dossier, channel, moment):
    """The dossier's "submitted" entry in Wagtail's log (its history in the admin), unsaved.

    The row ``wagtail.log_actions.log`` would write, in the active log context, written with
    the dossier's other rows instead of by ``ModelLogEntry.save()``: its ``full_clean()``
    checks the content type's foreign key with a query of its own, once per submission, for a
    content type Django has cached. The action is registered in wagtail_hooks
    (tests/forms/test_submission.py compares the two rows).
    """
    context = get_active_log_context()
    return ModelLogEntry(
        content_type=ContentType.objects.get_for_model(dossier, for_concrete_model=False),
        object_id=str(dossier.pk),
        label=ModelLogEntry.objects.get_instance_title(dossier),
        action=SUBMITTED_ACTION,
        data={"channel": int(channel)},
        timestamp=moment,
        user=context.user,
        uuid=context.uuid,
    )


def submit_application(
    form_page,
    cleaned_answers,
    uploads=None,
    *,
    idempotency_key=None,
    language="vi",
    channel=Channel.ONLINE,
    submitted_at=None,
    notify=True,
    compiled=None,
):
    """Turn validated answers into a Dossier (status 1 "Mới đăng ký") in one transaction.

    ``cleaned_answers`` are the answers of visible fields, as the step forms cleaned them
    (see ``forms.steps.validate_draft``); ``uploads`` maps a file field's key to a list of
    ``CleanUpload`` (stored now) or of draft descriptors (``{"name", "content_type",
    "size", "sha256", "stored_name"}``, already in private storage).

    ``idempotency_key`` makes the call safe to repeat: the same key returns the dossier
    the first call created (``created=False``) and creates nothing. The HTML path passes
    ``html:<one-time token>``; the API passes the client's ``Idempotency-Key`` header.

    The dossier, its files, history entry, log entry and the citizen's and the officers'
    Notification rows are written together (one statement on PostgreSQL, ``cms.db``); the
    messages are queued for sending after the commit (``forms.notifications``);
    ``notify=False`` (the demo seed) makes none.
    ``compiled`` is the page's ``forms.compiled.CompiledForm`` when the caller has it (the API):
    its steps and form version are then not read again.
    """
    if idempotency_key:
        existing = Dossier.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return SubmissionResult(existing, created=False)

    agency = form_page.get_agency()
    if agency is None:
        raise ImproperlyConfigured(f"Form page {form_page.pk} has no agency (nor does its procedure).")
    procedure = form_page.get_procedure()
    if compiled is not None:
        steps, fields_by_key, file_keys = compiled.steps, compiled.fields_by_key, compiled.file_keys
    else:
        steps = page_steps(form_page)
        fields_by_key, file_keys = input_fields_by_key(steps)
    answers = {
        key: answer_to_json(value)
        for key, value in cleaned_answers.items()
        if key in fields_by_key and key not in file_keys
    }
    visible_file_keys = file_keys & set(cleaned_answers)  # hidden fields' files are never stored
    for key in visible_file_keys:
        if uploads and uploads.get(key):
            answers[key] = [getattr(item, "name", None) or item["name"] for item in uploads[key]]
    version = compiled.form_version(form_page) if compiled is not None else current_form_version(form_page, steps)
    moment = submitted_at or timezone.now()
    day = local_day(moment)

    # The number (and the dossier's key) is taken first, in its own statement: every
    # submission of the agency and day updates the same counter row, and holding its lock
    # through the writes below serialised them all. A submission that fails after this leaves
    # a gap in the day's numbers; numbers never repeat.
    number, pk = take_number_and_id(agency, day)
    dossier = Dossier(
        pk=pk,
        code=format_dossier_code(agency, day, number),
        form_page=form_page,
        form_version=version,
        procedure=procedure,
        agency=agency,
        status=DossierStatus.NEW,
        channel=channel,
        answers=answers,
        applicant_name=_applicant_name(answers, fields_by_key),
        applicant_phone=_applicant_phone(answers),
        applicant_email=str(_first(answers, APPLICANT_EMAIL_KEYS))[:254],
        personal_id=str(_first(answers, APPLICANT_ID_KEYS))[:20],
        result_delivery=_delivery(answers),
        postal_address=_postal_address(answers),
        notify_by=_notify_by(answers),
        language=(language or "vi")[:10],
        idempotency_key=idempotency_key or None,
        submitted_at=moment,
    )
    files = []
    messages = notifications.submission_messages(dossier) if notify else []
    history = StatusChange(dossier=dossier, from_status="", to_status=DossierStatus.NEW, created_at=moment)
    try:
        _store_uploads(dossier, uploads, visible_file_keys, files)
        # The dossier and every row of its submission: one statement on PostgreSQL.
        insert_together(
            [
                (Dossier, [dossier]),
                (DossierFile, files),
                (StatusChange, [history]),
                (ModelLogEntry, [_log_submitted(dossier, channel, moment)]),
                (Notification, messages),
            ]
        )
    except IntegrityError:
        _discard(files)
        # A concurrent request with the same key won the race: return its dossier.
        if idempotency_key:
            existing = Dossier.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                return SubmissionResult(existing, created=False)
        raise
    except BaseException:
        _discard(files)
        raise
    notifications.queue_sends(messages)
    logger.info("dossier %s submitted (form %s, channel %s)", dossier.code, form_page.pk, int(channel))
    return SubmissionResult(dossier, created=True)


# --- status transitions ------------------------------------------------------------------


def change_status(dossier_id, to_status, *, actor=None, note="", at=None):
    """Move a dossier to `to_status` if the law allows it from its current status.

    Locks the row, checks ``ALLOWED_TRANSITIONS``, writes the StatusChange and a log
    entry. Permission checks belong to the caller's service (the workflow issue adds
    officer-facing services on top of this one).
    """
    to_status = DossierStatus(to_status)
    moment = at or timezone.now()
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().get(pk=dossier_id)
        if not is_allowed_transition(dossier.status, to_status):
            raise TransitionRefused(f"{dossier.code}: {dossier.status} → {to_status} is not allowed")
        change = StatusChange.objects.create(
            dossier=dossier, actor=actor, from_status=dossier.status, to_status=to_status, note=note, created_at=moment
        )
        update_fields = ["status"]
        dossier.status = to_status
        if to_status == DossierStatus.ACCEPTED and dossier.received_at is None:
            dossier.received_at = moment
            update_fields.append("received_at")
        dossier.save(update_fields=update_fields)
        log(
            instance=dossier,
            action=STATUS_CHANGED_ACTION,
            user=actor,
            data={"from": change.from_status, "to": change.to_status},
        )
    return change
