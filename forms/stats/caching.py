"""Caching of the public figures (the page and its CSV ask for the same period many times).

* Sums of past days are cached under a key that carries the latest build time of the
  period's days: rebuilding any of them (the daily task, ``rebuild_stats``) changes the key,
  so a cached sum is never stale; old keys expire.
* Today's flows and the snapshots ("in progress now", "overdue now") are computed from the
  dossiers and kept for ``LIVE_SECONDS`` only, like the page's public ``max-age``.

The whole-page cache (cms.caching) is not used: that cache is for pages whose content only
changes on publishing, while these figures change with the dossiers.
"""

import hashlib
from datetime import timedelta

from django.core.cache import cache

from .figures import FLOW_FIELDS, Figures, Scope, flow_counts, period_flow_counts, snapshot_counts, stored_flow_counts

STORED_SECONDS = 24 * 60 * 60
LIVE_SECONDS = 60


def _key(*parts):
    return "stats:" + hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:40]


def cached_stored_flow_counts(start, end, *, scope=None, version=None):
    """stored_flow_counts of fully built past days, cached by the days' latest build time."""
    scope = scope or Scope()
    key = _key("stored", start, end, scope.key, version.isoformat() if version else "")
    return cache.get_or_set(key, lambda: stored_flow_counts(start, end, scope=scope), STORED_SECONDS)


def _cached_live(start, end, scope, today):
    """Today's flows (when the period reaches today) and the snapshots, for LIVE_SECONDS."""

    def compute():
        live = {"snapshots": snapshot_counts(scope=scope, today=today)}
        if end >= today >= start:
            live["today"] = flow_counts(today, today, scope=scope)
        return live

    return cache.get_or_set(_key("live", today, start <= today <= end, scope.key), compute, LIVE_SECONDS)


def cached_figures(start, end, *, scope, today):
    """The Figures of the page: the same numbers as compute_figures, read through the caches."""
    live = _cached_live(start, end, scope, today)
    past_end = min(end, today - timedelta(days=1))
    counts = dict.fromkeys(FLOW_FIELDS, 0)  # nothing has happened yet in days after today
    if start <= past_end:
        counts = period_flow_counts(start, past_end, scope=scope, today=today, stored=cached_stored_flow_counts)
    if "today" in live:
        counts = {name: counts[name] + live["today"][name] for name in FLOW_FIELDS}
    return Figures(start=start, end=end, **counts, **live["snapshots"])
