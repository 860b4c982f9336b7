"""The inbox's counts per status and overdue: one grouped query, cached per agency for a minute.

At a million dossiers counting an agency's rows takes tens of milliseconds even as an
index-only scan on (agency, status, due_date), and the inbox shows the counts on every page.
So the counts of each agency are kept in the cache for ``COUNTS_TTL`` seconds under a key
that names the day (overdue changes at midnight), and dropped whenever one of the agency's
dossiers is saved or deleted (a ``post_save``/``post_delete`` receiver connected in
``apps.py``): every transition and every submission saves the dossier. Writes that bypass
``save()`` (``generate_dossiers``, ``QuerySet.update``) show up within the minute.
Overdue is still derived from ``due_date`` at query time, never stored.
"""

from django.core.cache import cache
from django.db.models import Count

from cms.models import Agency
from forms.constants import DossierStatus
from forms.models import Dossier

from .calendar import local_day, overdue_q

COUNTS_TTL = 60


def _key(agency_id, today):
    return f"review.inbox-counts.{agency_id}.{today.isoformat()}"


def inbox_counts(agency_ids=None, today=None):
    """``({status: count}, overdue)`` over the dossiers (drafts excluded) of `agency_ids` (None: all)."""
    today = today or local_day()
    if agency_ids is None:
        agency_ids = list(Agency.objects.values_list("pk", flat=True))
    keys = {agency_id: _key(agency_id, today) for agency_id in agency_ids}
    found = cache.get_many(list(keys.values()))
    per_agency = {agency_id: found[key] for agency_id, key in keys.items() if key in found}
    missing = [agency_id for agency_id in keys if agency_id not in per_agency]
    if missing:
        fresh = {agency_id: {"statuses": {}, "overdue": 0} for agency_id in missing}
        rows = (
            Dossier.objects.filter(agency_id__in=missing)
            .exclude(status=DossierStatus.DRAFT)
            .order_by()
            .values_list("agency_id", "status")
            # COUNT(status), not COUNT(id): the (agency, status, due_date) index holds every
            # column used, so PostgreSQL answers with an index-only scan.
            .annotate(total=Count("status"), overdue=Count("status", filter=overdue_q(today)))
        )
        for agency_id, status, total, overdue in rows:
            fresh[agency_id]["statuses"][status] = total
            fresh[agency_id]["overdue"] += overdue
        cache.set_many({keys[agency_id]: counts for agency_id, counts in fresh.items()}, COUNTS_TTL)
        per_agency.update(fresh)
    statuses, overdue = {}, 0
    for counts in per_agency.values():
        for status, total in counts["statuses"].items():
            statuses[status] = statuses.get(status, 0) + total
        overdue += counts["overdue"]
    return statuses, overdue


def forget_counts(sender, instance, **kwargs):
    """``post_save`` / ``post_delete`` of a dossier: its agency's counts are recomputed on next use."""
    if instance.agency_id is not None:
        cache.delete(_key(instance.agency_id, local_day()))
