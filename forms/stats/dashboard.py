"""Managers' figures of their own agencies (admin home panel and reports).

Scoping: a superuser sees every agency; anyone else only the agencies they belong to
(cms.AgencyMembership) and only while in the officers' or managers' group. Counts are SQL
aggregates; the processing time in working days needs the holiday calendar, so it is summed
in Python over (receipt day, finish day, paused days) triples read in one query, with a
running count of working days built once for the whole range.
"""

from datetime import date, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from cms.models import Agency, AgencyMembership
from forms.constants import DossierStatus
from forms.models import Dossier, Timeliness
from forms.review.calendar import WorkingCalendar, local_day, overdue_q
from forms.review.models import DossierRating
from forms.review.permissions import is_dossier_staff, is_manager

from .caching import cached_figures
from .figures import (
    FINISHED_STATUSES,
    IN_PROGRESS_STATUSES,
    Scope,
    day_bounds,
    flow_counts,
    percent,
)

S = DossierStatus
# An officer's workload: the dossiers assigned to them and not finished (received or waiting).
OPEN_STATUSES = (*IN_PROGRESS_STATUSES, S.SUPPLEMENT_REQUESTED, S.PAYMENT_REQUESTED)


def staff_agencies(user):
    """The agencies whose figures `user` may see: all for a superuser, their own for staff, none else."""
    if not is_dossier_staff(user):
        return Agency.objects.none()
    if user.is_superuser:
        return Agency.objects.order_by("name")
    ids = AgencyMembership.objects.filter(user=user).values_list("agency_id", flat=True)
    return Agency.objects.filter(pk__in=ids).order_by("name")


def managed_agencies(user):
    """The agencies whose reports `user` may open (managers of them, superusers)."""
    if not is_manager(user):
        return Agency.objects.none()
    return staff_agencies(user)


def month_of(today=None):
    today = today or local_day()
    return today.replace(day=1), today


def parse_month(text, today=None):
    """(start, end, error): the month "YYYY-MM" up to today, or this month and an error message key."""
    today = today or local_day()
    if not text:
        return (*month_of(today), None)
    try:
        year, month = (int(part) for part in text.split("-"))
        start = date(year, month, 1)
    except ValueError:
        return (*month_of(today), "format")
    if start > today:
        return (*month_of(today), "future")
    end = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return start, min(end, today), None


def panel_figures(agency, today=None):
    """This month's figures of one agency (past days from the aggregates, today live), read
    through the public page's caches: the admin home is opened all day long, and counting
    the dossiers for it on every visit took ~0.9 s at a million dossiers."""
    today = today or timezone.localdate()
    start, end = month_of(today)
    return cached_figures(start, end, scope=Scope(agency_id=agency.pk), today=today)


class WorkingDayCounter:
    """Working days in (a, b] for any a, b inside [first, last], in O(1) after one Holiday query."""

    def __init__(self, first, last):
        self.first = first
        calendar = WorkingCalendar(first, last)
        self.running = [0]
        for offset in range(1, (last - first).days + 1):
            day = first + timedelta(days=offset)
            self.running.append(self.running[-1] + (1 if calendar.is_working_day(day) else 0))

    def between(self, start, end):
        if end <= start:
            return 0
        return self.running[(end - self.first).days] - self.running[(start - self.first).days]


def _processing_days(rows):
    """{key: (sum of working days, count)} from rows (key, received_at, finished_at, paused_days)."""
    triples = [(key, local_day(received), local_day(finished), paused) for key, received, finished, paused in rows]
    if not triples:
        return {}
    counter = WorkingDayCounter(min(t[1] for t in triples), max(t[2] for t in triples))
    totals = {}
    for key, received, finished, paused in triples:
        days = max(counter.between(received, finished) - paused, 0)
        total, count = totals.get(key, (0, 0))
        totals[key] = (total + days, count + 1)
    return totals


def _average(totals, key):
    total, count = totals.get(key, (0, 0))
    return round(total / count, 1) if count else None


def _finished_in(agency_ids, start, end):
    lower, upper = day_bounds(start, end)
    return Dossier.objects.filter(
        agency_id__in=agency_ids,
        status__in=[str(s) for s in FINISHED_STATUSES],
        finished_at__gte=lower,
        finished_at__lt=upper,
        received_at__isnull=False,
    )


def procedure_rows(agencies, start, end, today=None):
    """Per agency and procedure: the period's flows, today's open and overdue, average working days."""
    today = today or local_day()
    agency_ids = [agency.pk for agency in agencies]
    names = {agency.pk: agency.name for agency in agencies}
    flows = {}
    for agency_id in agency_ids:
        flows.update(flow_counts(start, end, scope=Scope(agency_id=agency_id), group_by_scope=True))
    now = {
        (row["agency_id"], row["procedure_id"]): row
        for row in Dossier.objects.filter(agency_id__in=agency_ids)
        .order_by()
        .values("agency_id", "procedure_id")
        .annotate(
            in_progress=Count("pk", filter=Q(status__in=[str(s) for s in OPEN_STATUSES])),
            overdue=Count("pk", filter=overdue_q(today)),
        )
    }
    finished = _finished_in(agency_ids, start, end).values_list(
        "agency_id", "procedure_id", "received_at", "finished_at", "paused_working_days"
    )
    totals = _processing_days(
        ((agency_id, procedure_id), received, done, paused)
        for agency_id, procedure_id, received, done, paused in finished.iterator()
    )
    from guides.models import GuidePage

    keys = set(flows) | {key for key, row in now.items() if row["in_progress"] or row["overdue"]}
    titles = dict(GuidePage.objects.filter(pk__in={key[1] for key in keys}).values_list("pk", "title"))
    rows = []
    for key in keys:
        counts = flows.get(key, {})
        timed = counts.get("early", 0) + counts.get("on_time", 0) + counts.get("late", 0)
        received = sum(counts.get(name, 0) for name in ("received_in_person", "received_online", "received_post"))
        rows.append(
            {
                "agency": names.get(key[0], ""),
                "procedure": titles.get(key[1], "—"),
                "received": received,
                "processed": counts.get("finished", 0) + counts.get("withdrawn", 0),
                "early": counts.get("early", 0),
                "on_time": counts.get("on_time", 0),
                "late": counts.get("late", 0),
                "on_time_rate": percent(counts.get("early", 0) + counts.get("on_time", 0), timed),
                "in_progress": now.get(key, {}).get("in_progress", 0),
                "overdue": now.get(key, {}).get("overdue", 0),
                "average_days": _average(totals, key),
                "satisfaction_rate": percent(counts.get("satisfied_ratings", 0), counts.get("ratings", 0)),
            }
        )
    rows.sort(key=lambda row: (row["agency"], str(row["procedure"])))
    return rows


def officer_rows(agencies, start, end, today=None):
    """Per assigned officer: open workload and overdue now, finished in the period, average working days."""
    today = today or local_day()
    agency_ids = [agency.pk for agency in agencies]
    now = {
        row["assignee_id"]: row
        for row in Dossier.objects.filter(agency_id__in=agency_ids, assignee__isnull=False)
        .order_by()
        .values("assignee_id")
        .annotate(
            workload=Count("pk", filter=Q(status__in=[str(s) for s in OPEN_STATUSES])),
            overdue=Count("pk", filter=overdue_q(today)),
        )
    }
    finished = _finished_in(agency_ids, start, end).filter(assignee__isnull=False)
    done = dict(finished.order_by().values("assignee_id").annotate(n=Count("pk")).values_list("assignee_id", "n"))
    late = dict(
        finished.filter(timeliness=Timeliness.LATE)
        .order_by()
        .values("assignee_id")
        .annotate(n=Count("pk"))
        .values_list("assignee_id", "n")
    )
    totals = _processing_days(
        finished.values_list("assignee_id", "received_at", "finished_at", "paused_working_days").iterator()
    )
    from django.contrib.auth import get_user_model

    people = get_user_model().objects.filter(pk__in=set(now) | set(done))
    rows = [
        {
            "officer": person.get_full_name() or person.get_username(),
            "workload": now.get(person.pk, {}).get("workload", 0),
            "overdue": now.get(person.pk, {}).get("overdue", 0),
            "finished": done.get(person.pk, 0),
            "late": late.get(person.pk, 0),
            "average_days": _average(totals, person.pk),
        }
        for person in people
    ]
    rows.sort(key=lambda row: row["officer"].casefold())
    return rows


def overdue_dossiers(agencies, today=None):
    """The agencies' overdue dossiers, most overdue first (no applicant data is listed)."""
    return (
        Dossier.objects.filter(overdue_q(today or local_day()), agency__in=list(agencies))
        .select_related("agency", "procedure", "assignee")
        .order_by("due_date", "code")
    )


def latest_ratings(agencies):
    """The agencies' ratings with a comment, newest first."""
    return (
        DossierRating.objects.filter(dossier__agency__in=list(agencies))
        .exclude(comment="")
        .select_related("dossier", "dossier__procedure")
        .order_by("-created_at")
    )


def decorate_overdue(dossiers, today=None):
    """Give each overdue dossier its working days past the due date, status label and assignee name."""
    today = today or local_day()
    if not dossiers:
        return dossiers
    counter = WorkingDayCounter(min(dossier.due_date for dossier in dossiers), today)
    for dossier in dossiers:
        dossier.working_days_overdue = counter.between(dossier.due_date, today)
        dossier.status_label = dossier.get_status_display()
        assignee = dossier.assignee
        dossier.assignee_name = (assignee.get_full_name() or assignee.get_username()) if assignee else "—"
    return dossiers
