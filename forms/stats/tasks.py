"""django-q2 tasks of the statistics (scheduled daily by migration 0002)."""

from datetime import timedelta

from forms.review.calendar import local_day

from .aggregates import rebuild_day


def aggregate_yesterday():
    """Rebuild yesterday's aggregates (idempotent: safe to run again or twice)."""
    day = local_day() - timedelta(days=1)
    return rebuild_day(day)
