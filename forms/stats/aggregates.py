"""Building DailyAggregate rows: one local day at a time, idempotently."""

from django.db import transaction

from .figures import flow_counts
from .models import AggregatedDay, DailyAggregate


def rebuild_day(day):
    """Replace the aggregates of `day` (delete + insert in one transaction); returns the row count.

    Running it twice gives the same rows: nothing depends on what was there before.
    """
    groups = flow_counts(day, day, group_by_scope=True)
    with transaction.atomic():
        DailyAggregate.objects.filter(day=day).delete()
        DailyAggregate.objects.bulk_create(
            DailyAggregate(day=day, agency_id=agency_id, procedure_id=procedure_id, **counts)
            for (agency_id, procedure_id), counts in sorted(
                groups.items(), key=lambda item: (item[0][0], item[0][1] or 0)
            )
        )
        AggregatedDay.objects.update_or_create(day=day)
    return len(groups)
