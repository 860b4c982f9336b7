"""Caching of the public figures (the page and its CSV ask for the same period many times).

* Sums of past days are cached under a key that carries the latest build time of the
  period's days: rebuilding any of them (the daily task, ``rebuild_stats``) changes the key,
  so a cached sum is never stale; old keys expire.
* Figures read from the dossiers (today's flows, the snapshots "in progress now" and
  "overdue now", and whole periods whose days are not all built yet) are fresh for
  ``LIVE_SECONDS``. After that the next request recomputes them while requests arriving
  meanwhile are answered with the previous numbers (a lock in the cache), so a busy page never
  has every worker counting a million dossiers at the same moment.

The whole-page cache (cms.caching) is not used: that cache is for pages whose content only
changes on publishing, while these figures change with the dossiers.
"""

import hashlib
import time

from django.core.cache import cache

from .figures import FLOW_FIELDS, Figures, Scope, flow_counts, period_flow_counts, snapshot_counts, stored_flow_counts

STORED_SECONDS = 24 * 60 * 60
LIVE_SECONDS = 60
# How long a live value may still be served while one request recomputes it.
STALE_SECONDS = 15 * 60
REFRESH_LOCK_SECONDS = 60


def _key(*parts):
    return "stats:" + hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:40]


def fresh_or_recent(key, compute):
    """compute() cached LIVE_SECONDS; past that, one caller recomputes while the others get the last value."""
    entry = cache.get(key)
    now = time.time()
    if entry is not None and entry["fresh_until"] > now:
        return entry["value"]
    if entry is not None and not cache.add(f"{key}:refreshing", 1, REFRESH_LOCK_SECONDS):
        return entry["value"]  # another request is recomputing it
    try:
        value = compute()
        cache.set(key, {"value": value, "fresh_until": time.time() + LIVE_SECONDS}, STALE_SECONDS)
    finally:
        cache.delete(f"{key}:refreshing")
    return value


def cached_stored_flow_counts(start, end, *, scope=None, version=None):
    """stored_flow_counts of fully built past days, cached by the days' latest build time."""
    scope = scope or Scope()
    key = _key("stored", start, end, scope.key, version.isoformat() if version else "")
    return cache.get_or_set(key, lambda: stored_flow_counts(start, end, scope=scope), STORED_SECONDS)


def cached_flow_counts(start, end, *, scope=None):
    """flow_counts read from the dossiers, fresh for LIVE_SECONDS (see fresh_or_recent)."""
    scope = scope or Scope()
    return fresh_or_recent(_key("flows", start, end, scope.key), lambda: flow_counts(start, end, scope=scope))


def cached_figures(start, end, *, scope, today):
    """The Figures of the page: the same numbers as compute_figures, read through the caches."""
    snapshots = fresh_or_recent(_key("snapshots", today, scope.key), lambda: snapshot_counts(scope=scope, today=today))
    counts = dict.fromkeys(FLOW_FIELDS, 0)  # nothing has happened yet in days after today
    if start <= today:
        counts = period_flow_counts(
            start,
            min(end, today),
            scope=scope,
            today=today,
            stored=cached_stored_flow_counts,
            live=cached_flow_counts,
        )
    return Figures(start=start, end=end, **counts, **snapshots)
