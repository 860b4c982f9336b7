"""Dossier statistics for a period [start, end] (local days), optionally one agency / procedure.

Every figure is an SQL aggregate (``Count``/``Sum`` with filters), never a loop over dossiers.
Definitions (national portal groupings, /work/shared/domain.md §2 and §5):

* **received** (tiếp nhận) = dossiers whose ``received_at`` falls in the period, split by
  ``channel`` (1 in person, 2 online, 3 public post). A status-1 dossier not yet accepted is
  not received.
* **processed** (đã giải quyết) = ``finished`` + ``withdrawn``:
  ``finished`` = dossiers now in status 9 or 10 whose ``finished_at`` falls in the period;
  ``withdrawn`` = dossiers now in status 7 that had been received (``received_at`` set) and
  whose withdrawal (the StatusChange to 7) falls in the period. A dossier withdrawn before
  reception was never received and is not counted at all.
* **early / on time / late** = finished dossiers by their stored ``timeliness``;
  percentage = count / (early + on time + late) × 100. Withdrawn dossiers have no
  timeliness and are outside this split.
* **online rate** = received online (channel 2) / all received × 100.
* **satisfaction rate** = (very satisfied + satisfied) / ratings × 100, for ratings given in
  the period.
* **in progress now** = dossiers now in status 2 or 4; **overdue now** = ``overdue_q()``
  (status 2/4/9 past the due date). These two are snapshots of today, not of the period.

Percentages are ``None`` (shown as "—") when their denominator is 0.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from forms.constants import Channel, DossierStatus
from forms.models import Dossier, StatusChange, Timeliness
from forms.review.calendar import local_day, overdue_q
from forms.review.models import DossierRating, Satisfaction

S = DossierStatus

FINISHED_STATUSES = (S.DONE, S.DELIVERED)  # with S.WITHDRAWN: forms.constants.PROCESSED_STATUSES
IN_PROGRESS_STATUSES = (S.ACCEPTED, S.PROCESSING)
SATISFIED = (Satisfaction.VERY_SATISFIED, Satisfaction.SATISFIED)

# The per-day flow counts, stored in DailyAggregate under the same names.
FLOW_FIELDS = (
    "received_in_person",
    "received_online",
    "received_post",
    "finished",
    "withdrawn",
    "early",
    "on_time",
    "late",
    "ratings",
    "satisfied_ratings",
)


def day_bounds(start, end):
    """The aware datetimes [start 00:00, day after end 00:00) in the site's time zone."""
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(start, time.min), tz),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), tz),
    )


def _scope(prefix="", agency=None, procedure=None):
    q = Q()
    if agency is not None:
        q &= Q(**{f"{prefix}agency": agency})
    if procedure is not None:
        q &= Q(**{f"{prefix}procedure": procedure})
    return q


def flow_counts(start, end, *, agency=None, procedure=None, group_by_scope=False):
    """The flow counts of [start, end] computed from the dossiers (four aggregate queries).

    With ``group_by_scope`` a dict {(agency_id, procedure_id): counts} (for DailyAggregate),
    else one dict of counts.
    """
    lower, upper = day_bounds(start, end)
    queries = [
        (
            Dossier.objects.filter(_scope("", agency, procedure), received_at__gte=lower, received_at__lt=upper),
            "",
            {
                "received_in_person": Count("pk", filter=Q(channel=Channel.IN_PERSON)),
                "received_online": Count("pk", filter=Q(channel=Channel.ONLINE)),
                "received_post": Count("pk", filter=Q(channel=Channel.POST)),
            },
        ),
        (
            Dossier.objects.filter(
                _scope("", agency, procedure),
                status__in=[str(s) for s in FINISHED_STATUSES],
                finished_at__gte=lower,
                finished_at__lt=upper,
            ),
            "",
            {
                "finished": Count("pk"),
                "early": Count("pk", filter=Q(timeliness=Timeliness.EARLY)),
                "on_time": Count("pk", filter=Q(timeliness=Timeliness.ON_TIME)),
                "late": Count("pk", filter=Q(timeliness=Timeliness.LATE)),
            },
        ),
        (
            # Withdrawn: dated by the change to status 7 (the service sets no finished_at).
            StatusChange.objects.filter(
                _scope("dossier__", agency, procedure),
                to_status=S.WITHDRAWN,
                dossier__status=S.WITHDRAWN,
                dossier__received_at__isnull=False,
                created_at__gte=lower,
                created_at__lt=upper,
            ),
            "dossier__",
            {"withdrawn": Count("dossier", distinct=True)},
        ),
        (
            DossierRating.objects.filter(
                _scope("dossier__", agency, procedure), created_at__gte=lower, created_at__lt=upper
            ),
            "dossier__",
            {
                "ratings": Count("pk"),
                "satisfied_ratings": Count("pk", filter=Q(satisfaction__in=SATISFIED)),
            },
        ),
    ]
    if not group_by_scope:
        counts = dict.fromkeys(FLOW_FIELDS, 0)
        for queryset, _prefix, aggregates in queries:
            counts.update(queryset.aggregate(**aggregates))
        return counts
    groups = {}
    for queryset, prefix, aggregates in queries:
        keys = (f"{prefix}agency_id", f"{prefix}procedure_id")
        for row in queryset.order_by().values(*keys).annotate(**aggregates):
            scope = (row[keys[0]], row[keys[1]])
            counts = groups.setdefault(scope, dict.fromkeys(FLOW_FIELDS, 0))
            counts.update({name: row[name] for name in aggregates})
    return groups


def stored_flow_counts(start, end, *, agency=None, procedure=None):
    """The flow counts of [start, end] summed from DailyAggregate (one query)."""
    from .models import DailyAggregate

    sums = DailyAggregate.objects.filter(_scope("", agency, procedure), day__range=(start, end)).aggregate(
        **{name: Sum(name) for name in FLOW_FIELDS}
    )
    return {name: sums[name] or 0 for name in FLOW_FIELDS}


def period_flow_counts(start, end, *, agency=None, procedure=None, today=None):
    """Past days from DailyAggregate when every one of them was built, today live.

    If a past day of the period was never aggregated (the task did not run), the whole
    period is computed live: slower, never wrong.
    """
    from .models import AggregatedDay

    today = today or local_day()
    last_past = min(end, today - timedelta(days=1))
    if start > last_past:
        return flow_counts(start, end, agency=agency, procedure=procedure)
    days = (last_past - start).days + 1
    if AggregatedDay.objects.filter(day__range=(start, last_past)).count() < days:
        return flow_counts(start, end, agency=agency, procedure=procedure)
    counts = stored_flow_counts(start, last_past, agency=agency, procedure=procedure)
    if end >= today:
        live = flow_counts(today, end, agency=agency, procedure=procedure)
        counts = {name: counts[name] + live[name] for name in FLOW_FIELDS}
    return counts


def percent(part, whole):
    """part / whole × 100 rounded to 2 decimals, or None when whole is 0."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class Figures:
    """The published figures of one period and scope (no personal data)."""

    start: date
    end: date
    received_in_person: int = 0
    received_online: int = 0
    received_post: int = 0
    finished: int = 0
    withdrawn: int = 0
    early: int = 0
    on_time: int = 0
    late: int = 0
    ratings: int = 0
    satisfied_ratings: int = 0
    in_progress: int = 0
    overdue: int = 0

    @property
    def received(self):
        """received = in person + online + public post."""
        return self.received_in_person + self.received_online + self.received_post

    @property
    def processed(self):
        """processed = finished (status 9, 10) + withdrawn after reception (status 7)."""
        return self.finished + self.withdrawn

    @property
    def timed(self):
        """early + on time + late: the denominator of the timeliness percentages."""
        return self.early + self.on_time + self.late

    @property
    def early_percent(self):
        return percent(self.early, self.timed)

    @property
    def on_time_percent(self):
        return percent(self.on_time, self.timed)

    @property
    def late_percent(self):
        return percent(self.late, self.timed)

    @property
    def online_rate(self):
        """received online / received × 100."""
        return percent(self.received_online, self.received)

    @property
    def satisfaction_rate(self):
        """(very satisfied + satisfied) / ratings × 100."""
        return percent(self.satisfied_ratings, self.ratings)


def compute_figures(start, end, *, agency=None, procedure=None, today=None):
    """The Figures of [start, end]: flows of the period plus today's snapshots (see the module doc)."""
    today = today or local_day()
    counts = period_flow_counts(start, end, agency=agency, procedure=procedure, today=today)
    snapshots = Dossier.objects.filter(_scope("", agency, procedure)).aggregate(
        in_progress=Count("pk", filter=Q(status__in=[str(s) for s in IN_PROGRESS_STATUSES])),
        overdue=Count("pk", filter=overdue_q(today)),
    )
    return Figures(start=start, end=end, **counts, **snapshots)
