"""Dossier statistics for a period [start, end] (local days), optionally one agency, field or procedure.

Every figure is an SQL aggregate (``Count``/``Sum`` with filters), never a loop over dossiers.
Definitions (national portal groupings, /work/shared/domain.md §2 and §5):

* **received** (tiếp nhận) = dossiers whose ``received_at`` falls in the period, split by
  ``channel`` (1 in person, 2 online, 3 public post). A status-1 dossier not yet accepted is
  not received.
* **processed** (đã giải quyết, the national group 9, 10, 7) = ``finished`` + ``withdrawn``:
  ``finished`` = dossiers now in status 9 or 10 whose ``finished_at`` falls in the period;
  ``withdrawn`` = dossiers now in status 7 that had been received (``received_at`` set) and
  whose withdrawal (the StatusChange to 7) falls in the period. A dossier withdrawn before
  reception was never received, so it is in neither "received" nor "processed".
* **paused** (tạm dừng, the national group 5, 6, 8) = received dossiers waiting now for
  papers (5) or for a payment (6) + dossiers stopped (8, ``finished_at`` set by the stop) in
  the period. The waiting part is a snapshot of today, the stopped part a flow of the period.
* **early / on time / late** = finished dossiers by their stored ``timeliness``, which the
  review workflow sets on completion against a due date already moved by the paused working
  days (``forms.review.calendar``): days waiting for the citizen never make a dossier late.
  Percentage = count / (early + on time + late) × 100. Withdrawn and stopped dossiers have no
  timeliness and are outside this split.
* **on-time rate** (Decision 766 "tiến độ") = (early + on time) / (early + on time + late) × 100.
* **online rate** = received online (channel 2) / all received × 100.
* **online-payment rate**: not recorded. A Dossier stores that a fee was asked (status 6) and
  paid (resumed), not how it was paid, so the portal publishes no number for it.
* **satisfaction rate** = (very satisfied + satisfied) / ratings × 100, for ratings given in
  the period.
* **in progress now** = dossiers now in status 2 or 4; **overdue now** = ``overdue_q()``
  (status 2/4/9 past the due date). Snapshots of today, not of the period.

Percentages are ``None`` (shown as "—") when their denominator is 0.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from forms.constants import CLOCK_PAUSED_STATUSES, OVERDUE_CANDIDATE_STATUSES, Channel, DossierStatus
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
    "stopped",
    "early",
    "on_time",
    "late",
    "ratings",
    "satisfied_ratings",
)
SNAPSHOT_FIELDS = ("in_progress", "waiting_supplement", "waiting_payment", "overdue")


def day_bounds(start, end):
    """The aware datetimes [start 00:00, day after end 00:00) in the site's time zone."""
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(start, time.min), tz),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), tz),
    )


@dataclass(frozen=True)
class Scope:
    """Which dossiers a figure covers: all, or one agency and/or a set of procedures (guide ids).

    A procedure is every language version of one guide (a dossier points at the guide of the
    form it was sent from); a field (lĩnh vực) is every guide of that field.
    """

    agency_id: int | None = None
    procedure_ids: tuple | None = None

    def q(self, prefix=""):
        q = Q()
        if self.agency_id is not None:
            q &= Q(**{f"{prefix}agency_id": self.agency_id})
        if self.procedure_ids is not None:
            q &= Q(**{f"{prefix}procedure_id__in": self.procedure_ids})
        return q

    @property
    def key(self):
        return f"{self.agency_id}:{','.join(map(str, self.procedure_ids)) if self.procedure_ids is not None else '*'}"


def make_scope(agency=None, procedure=None, field=None):
    """The Scope of an agency, a procedure (GuidePage) and a field (ProcedureField), each optional."""
    from guides.models import GuidePage

    ids = None
    if procedure is not None:
        ids = set(GuidePage.objects.filter(translation_key=procedure.translation_key).values_list("pk", flat=True))
    if field is not None:
        in_field = set(GuidePage.objects.filter(procedure_field=field).values_list("pk", flat=True))
        ids = in_field if ids is None else ids & in_field
    return Scope(
        agency_id=getattr(agency, "pk", agency),
        procedure_ids=None if ids is None else tuple(sorted(ids)),
    )


def flow_counts(start, end, *, scope=None, group_by_scope=False):
    """The flow counts of [start, end] computed from the dossiers (five aggregate queries).

    With ``group_by_scope`` a dict {(agency_id, procedure_id): counts} (for DailyAggregate),
    else one dict of counts.
    """
    scope = scope or Scope()
    lower, upper = day_bounds(start, end)
    in_scope = scope.q()
    queries = [
        (
            Dossier.objects.filter(in_scope, received_at__gte=lower, received_at__lt=upper),
            "",
            {
                "received_in_person": Count("pk", filter=Q(channel=Channel.IN_PERSON)),
                "received_online": Count("pk", filter=Q(channel=Channel.ONLINE)),
                "received_post": Count("pk", filter=Q(channel=Channel.POST)),
            },
        ),
        (
            Dossier.objects.filter(
                in_scope,
                status__in=[str(s) for s in (*FINISHED_STATUSES, S.STOPPED)],
                finished_at__gte=lower,
                finished_at__lt=upper,
            ),
            "",
            {
                "finished": Count("pk", filter=~Q(status=S.STOPPED)),
                "stopped": Count("pk", filter=Q(status=S.STOPPED)),
                "early": Count("pk", filter=Q(timeliness=Timeliness.EARLY) & ~Q(status=S.STOPPED)),
                "on_time": Count("pk", filter=Q(timeliness=Timeliness.ON_TIME) & ~Q(status=S.STOPPED)),
                "late": Count("pk", filter=Q(timeliness=Timeliness.LATE) & ~Q(status=S.STOPPED)),
            },
        ),
        (
            # Withdrawn: dated by the change to status 7 (the service sets no finished_at).
            StatusChange.objects.filter(
                scope.q("dossier__"),
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
            DossierRating.objects.filter(scope.q("dossier__"), created_at__gte=lower, created_at__lt=upper),
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
            key = (row[keys[0]], row[keys[1]])
            counts = groups.setdefault(key, dict.fromkeys(FLOW_FIELDS, 0))
            counts.update({name: row[name] for name in aggregates})
    return groups


def stored_flow_counts(start, end, *, scope=None, version=None):
    """The flow counts of [start, end] summed from DailyAggregate (one query); ``version`` is unused here."""
    scope = scope or Scope()
    from .models import DailyAggregate

    sums = DailyAggregate.objects.filter(scope.q(), day__range=(start, end)).aggregate(
        **{name: Sum(name) for name in FLOW_FIELDS}
    )
    return {name: sums[name] or 0 for name in FLOW_FIELDS}


def built_days(start, end):
    """(number of days of [start, end] whose aggregates were built, the latest build time): one query.

    The pair changes whenever a day of the range is rebuilt, so it also versions cached sums.
    """
    from .models import AggregatedDay

    built = AggregatedDay.objects.filter(day__range=(start, end)).aggregate(days=Count("pk"), latest=Max("built_at"))
    return built["days"], built["latest"]


def period_flow_counts(start, end, *, scope=None, today=None, stored=None, live=None):
    """Past days from DailyAggregate when every one of them was built, today live.

    If a past day of the period was never aggregated (the task did not run), the whole
    period is computed live: slower, never wrong. ``stored`` may replace
    ``stored_flow_counts`` and ``live`` may replace ``flow_counts`` (the page passes cached
    versions of both).
    """
    scope = scope or Scope()
    today = today or local_day()
    stored = stored or stored_flow_counts
    live = live or flow_counts
    last_past = min(end, today - timedelta(days=1))
    if start > last_past:
        return live(start, end, scope=scope)
    days, latest = built_days(start, last_past)
    if days < (last_past - start).days + 1:
        return live(start, end, scope=scope)
    counts = stored(start, last_past, scope=scope, version=latest)
    if end >= today:
        from_today = live(today, end, scope=scope)
        counts = {name: counts[name] + from_today[name] for name in FLOW_FIELDS}
    return counts


def snapshot_counts(*, scope=None, today=None):
    """Today's in progress, waiting (5, 6, once received) and overdue counts (one query)."""
    scope = scope or Scope()
    today = today or local_day()
    received = Q(received_at__isnull=False)
    # Only the open statuses are read (the status index), not the many finished dossiers.
    open_statuses = [str(s) for s in (*IN_PROGRESS_STATUSES, *OVERDUE_CANDIDATE_STATUSES, *CLOCK_PAUSED_STATUSES)]
    return Dossier.objects.filter(scope.q(), status__in=sorted(set(open_statuses))).aggregate(
        in_progress=Count("pk", filter=Q(status__in=[str(s) for s in IN_PROGRESS_STATUSES])),
        waiting_supplement=Count("pk", filter=Q(status=S.SUPPLEMENT_REQUESTED) & received),
        waiting_payment=Count("pk", filter=Q(status=S.PAYMENT_REQUESTED) & received),
        overdue=Count("pk", filter=overdue_q(today)),
    )


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
    stopped: int = 0
    early: int = 0
    on_time: int = 0
    late: int = 0
    ratings: int = 0
    satisfied_ratings: int = 0
    in_progress: int = 0
    waiting_supplement: int = 0
    waiting_payment: int = 0
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
    def paused(self):
        """paused = waiting for papers (5) + waiting for a payment (6) now + stopped (8) in the period."""
        return self.waiting_supplement + self.waiting_payment + self.stopped

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
    def on_time_rate(self):
        """Decision 766 progress: (early + on time) / (early + on time + late) × 100."""
        return percent(self.early + self.on_time, self.timed)

    @property
    def online_rate(self):
        """received online / received × 100."""
        return percent(self.received_online, self.received)

    @property
    def satisfaction_rate(self):
        """(very satisfied + satisfied) / ratings × 100."""
        return percent(self.satisfied_ratings, self.ratings)

    # A Dossier records no payment method: the online-payment rate cannot be computed.
    online_payment_rate = None
    online_payment_recorded = False


def compute_figures(start, end, *, agency=None, procedure=None, field=None, scope=None, today=None, stored=None):
    """The Figures of [start, end]: flows of the period plus today's snapshots (see the module doc)."""
    today = today or local_day()
    scope = scope or make_scope(agency, procedure, field)
    counts = period_flow_counts(start, end, scope=scope, today=today, stored=stored)
    return Figures(start=start, end=end, **counts, **snapshot_counts(scope=scope, today=today))
