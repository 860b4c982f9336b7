"""django-q2 tasks of the statistics (scheduled daily by migration 0002)."""

from datetime import timedelta

from django.db.models import Min

from forms.models import Dossier
from forms.review.calendar import local_day

from .aggregates import rebuild_day
from .figures import built_days

# Days left unbuilt (a worker that was down, a column added by a migration) are caught up
# oldest first, at most this many a run, so one run stays short.
CATCH_UP_PER_RUN = 62


def missing_days(start, end):
    """The days of [start, end] without an AggregatedDay mark, oldest first."""
    from .models import AggregatedDay

    if start > end:
        return []
    if built_days(start, end)[0] == (end - start).days + 1:
        return []
    built = set(AggregatedDay.objects.filter(day__range=(start, end)).values_list("day", flat=True))
    return [start + timedelta(days=n) for n in range((end - start).days + 1) if start + timedelta(days=n) not in built]


def aggregate_yesterday():
    """Rebuild yesterday's aggregates, then catch up on unbuilt earlier days (idempotent).

    Returns the number of days built.
    """
    yesterday = local_day() - timedelta(days=1)
    rebuild_day(yesterday)
    first = Dossier.objects.aggregate(first=Min("submitted_at"))["first"]
    if first is None:
        return 1
    late = missing_days(local_day(first), yesterday - timedelta(days=1))[:CATCH_UP_PER_RUN]
    for day in late:
        rebuild_day(day)
    return 1 + len(late)
