"""Erase the personal data and files of finished dossiers once their retention period is over.

A dossier is *finished* in a terminal status (``forms.constants.TERMINAL_STATUSES``: returned
result 10, refused 3, stopped 8, withdrawn 7); it finished at its StatusChange into that status
(else ``returned_at``, ``finished_at``, ``submitted_at``). It is erased when that moment is more
than N months ago: N from the procedure's ``RetentionRule`` (empty months = never), else
``settings.PORTAL_RETENTION_MONTHS`` (24; ``None`` = never).

Erased: the answers, the applicant's name, ID number, phone, email and postal address, the
postal tracking number, the idempotency key, the stored files (the ``DossierFile`` rows stay,
named by their field key, with no stored file), supplement answers and messages, the notes of
the status history and internal notes (free text may name people), the rating comment and the
notifications' recipients, texts and errors. Kept: code, procedure, agency, channel, statuses,
every StatusChange row and its time, every date, due date, timeliness, satisfaction, counts, so
``forms.stats`` figures are unchanged. The dossier gets a ``DossierErasure`` mark and a Wagtail
log entry; each run (dry or real) is a ``RetentionRun`` row.
"""

import calendar
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone
from wagtail.log_actions import log

from forms.constants import TERMINAL_STATUSES
from forms.models import Dossier, DossierFile, StatusChange
from forms.storage import private_storage

from .models import DossierErasure, RetentionRule, RetentionRun

logger = logging.getLogger("portal.housekeeping")

DEFAULT_RETENTION_MONTHS = 24
ERASED_ACTION = "portal.dossier.erased"
BATCH_SIZE = 200
NO_PROCEDURE = "none"


# The Dossier columns that carry personal data, and what they become.
ERASED_DOSSIER_VALUES = {
    "answers": {},
    "applicant_name": "",
    "applicant_phone": "",
    "applicant_email": "",
    "personal_id": "",
    "postal_address": "",
    "tracking_number": "",
    "idempotency_key": None,
}


def _search_text_reset():
    """The officers' search column (folded code, name, phone digits; forms.review.search), when the
    model has it, keeps only the code: ``update()`` skips the pre_save receiver that fills it."""
    if any(field.name == "search_text" for field in Dossier._meta.concrete_fields):
        return {"search_text": Lower("code")}  # codes are ASCII: folding is lower-casing
    return {}


def default_retention_months():
    """Months kept when a procedure has no rule (``None``: never erase)."""
    return getattr(settings, "PORTAL_RETENTION_MONTHS", DEFAULT_RETENTION_MONTHS)


def months_before(moment, months):
    """``moment`` moved back by whole calendar months (31 March - 1 month = 28/29 February)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def finished_moment():
    """SQL expression: when the dossier entered its current (terminal) status."""
    entered = (
        StatusChange.objects.filter(dossier=OuterRef("pk"), to_status=OuterRef("status"))
        .order_by("-created_at", "-pk")
        .values("created_at")[:1]
    )
    return Coalesce(Subquery(entered), F("returned_at"), F("finished_at"), F("submitted_at"))


def due_for_erasure(now=None):
    """``(queryset of dossiers to erase, {procedure id or None: months})``."""
    now = now or timezone.now()
    rules = dict(RetentionRule.objects.values_list("procedure_id", "months"))
    default = default_retention_months()
    due = Q(pk__in=[])
    for procedure_id, months in rules.items():
        if months is not None:
            due |= Q(procedure_id=procedure_id, finished_moment__lt=months_before(now, months))
    if default is not None:
        due |= ~Q(procedure_id__in=list(rules)) & Q(finished_moment__lt=months_before(now, default))
    queryset = (
        Dossier.objects.filter(status__in=[str(status) for status in TERMINAL_STATUSES], erasure__isnull=True)
        .annotate(finished_moment=finished_moment())
        .filter(due)
    )
    return queryset, rules, default


@dataclass
class RetentionReport:
    """What a run erased (or would): totals and per procedure; no personal data."""

    dry_run: bool
    dossiers: int = 0
    files: int = 0
    per_procedure: dict = field(default_factory=dict)
    run_id: int | None = None


def _per_procedure(queryset, rules, default):
    from guides.models import GuidePage

    dossier_counts = dict(queryset.order_by().values_list("procedure_id").annotate(n=Count("pk")))
    file_counts = dict(
        DossierFile.objects.filter(dossier__in=queryset.values("pk"))
        .exclude(stored_name="")
        .order_by()
        .values_list("dossier__procedure_id")
        .annotate(n=Count("pk"))
    )
    titles = dict(GuidePage.objects.filter(pk__in=[pk for pk in dossier_counts if pk]).values_list("pk", "title"))
    return {
        str(procedure_id or NO_PROCEDURE): {
            "procedure_id": procedure_id,
            "title": titles.get(procedure_id, "—"),
            "months": rules.get(procedure_id, default),
            "dossiers": count,
            "files": file_counts.get(procedure_id, 0),
        }
        for procedure_id, count in dossier_counts.items()
    }


def apply_retention(*, dry_run=True, now=None):
    """Erase (or, with ``dry_run``, count) the dossiers past their retention period.

    Safe to run again: erased dossiers are marked and skipped; files are deleted before the
    rows are changed, so a crash in between leaves a dossier that the next run erases again.
    """
    now = now or timezone.now()
    queryset, rules, default = due_for_erasure(now)
    per_procedure = _per_procedure(queryset, rules, default)
    run = RetentionRun.objects.create(started_at=now, dry_run=dry_run, per_procedure=per_procedure)
    report = RetentionReport(dry_run=dry_run, per_procedure=per_procedure, run_id=run.pk)
    if dry_run:
        report.dossiers = sum(entry["dossiers"] for entry in per_procedure.values())
        report.files = sum(entry["files"] for entry in per_procedure.values())
    else:
        ids = list(queryset.values_list("pk", flat=True))
        for start in range(0, len(ids), BATCH_SIZE):
            dossiers, files = _erase_batch(ids[start : start + BATCH_SIZE], rules, default, run, now)
            report.dossiers += dossiers
            report.files += files
    run.dossiers, run.files, run.finished_at = report.dossiers, report.files, timezone.now()
    run.save(update_fields=["dossiers", "files", "finished_at"])
    logger.info(
        "retention run %s%s: %d dossiers, %d files", run.pk, " (dry run)" if dry_run else "", run.dossiers, run.files
    )
    return report


def _erase_batch(ids, rules, default, run, now):
    """Erase one batch of dossiers: files first (outside the transaction), then the rows."""
    from forms.notifications.models import Notification
    from forms.review.models import DossierNote, DossierRating, SupplementRequest

    stored = list(DossierFile.objects.filter(dossier_id__in=ids).exclude(stored_name="").values_list("stored_name"))
    for (name,) in stored:
        private_storage.delete(name)  # a file already gone is not an error
    with transaction.atomic():
        eligible = Dossier.objects.filter(pk__in=ids, status__in=[str(s) for s in TERMINAL_STATUSES]).exclude(
            pk__in=DossierErasure.objects.values("dossier_id")
        )
        # The first statement writes: it locks the rows on PostgreSQL and takes SQLite's write lock
        # at once (after a read, SQLite refuses the write at once while another process writes).
        eligible.update(**ERASED_DOSSIER_VALUES, **_search_text_reset())
        dossiers = list(eligible.only("pk", "code", "procedure_id"))
        locked = [dossier.pk for dossier in dossiers]
        files = (
            DossierFile.objects.filter(dossier_id__in=locked)
            .exclude(stored_name="")
            .update(stored_name="", sha256="", original_name=F("field_key"))
        )
        StatusChange.objects.filter(dossier_id__in=locked).update(note="")
        SupplementRequest.objects.filter(dossier_id__in=locked).update(message="", previous_answers={}, new_answers={})
        DossierNote.objects.filter(dossier_id__in=locked).update(text="")
        DossierRating.objects.filter(dossier_id__in=locked).update(comment="")
        Notification.objects.filter(dossier_id__in=locked).update(
            recipient="", subject="", body_text="", body_html="", last_error=""
        )
        marks = []
        for dossier in dossiers:
            months = rules.get(dossier.procedure_id, default)
            marks.append(DossierErasure(dossier=dossier, erased_at=now, retention_months=months, run=run))
            log(instance=dossier, action=ERASED_ACTION, data={"months": months, "run": run.pk})
        DossierErasure.objects.bulk_create(marks)
    return len(locked), files
