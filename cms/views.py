"""Site-wide views: health check and friendly error pages."""

import logging
import time
from datetime import datetime

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django_q.conf import Conf

from .search import search_site

logger = logging.getLogger("portal")

# A django-q2 cluster that has not written a heartbeat for this long is reported stale.
HEARTBEAT_STALE_SECONDS = 120
# A pending task older than this marks the queue "backlog" (reported, never a 503: see healthz).
BACKLOG_STALE_SECONDS = 600


def _database_state():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any database error means "down" here
        logger.warning("healthz: database check failed: %s", exc.__class__.__name__)
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True, "vendor": connection.vendor}


def _cache_state():
    key = "healthz:probe"
    try:
        stamp = str(time.time())
        cache.set(key, stamp, 10)
        ok = cache.get(key) == stamp
    except Exception as exc:  # noqa: BLE001 - report, never raise, from a health probe
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": ok}


def _enqueued_at(payload):
    """When a task was queued: django-q2 stamps ``started`` into the signed package at enqueue time."""
    from django_q.signing import SignedPackage

    try:
        started = SignedPackage.loads(payload).get("started")
    except Exception:  # noqa: BLE001 - an unreadable package has no known age
        return None
    return started if isinstance(started, datetime) else None


def _pending_tasks(broker, now):
    """``(pending count, age in seconds of the oldest pending task or None)`` for the broker in use.

    ORM broker: pending = OrmQ rows of our cluster whose lock has passed (not held by a worker);
    the oldest is the one with the earliest lock, aged from the enqueue time in its package (a
    task whose worker died counts from then too). Redis broker: ``LLEN`` of the list; the oldest
    is its head (``LINDEX 0``: tasks are pushed right, popped left), aged the same way. Tasks a
    worker has already taken are not pending on either broker.
    """
    count = broker.queue_size()
    if not count:
        return 0, None
    if Conf.ORM:
        from django_q.models import OrmQ

        head = (
            OrmQ.objects.using(Conf.ORM)
            .filter(key=broker.list_key, lock__lte=now)
            .order_by("lock", "pk")
            .values_list("payload", "lock")
            .first()
        )
        payload, lock = head if head else (None, None)
        enqueued = (_enqueued_at(payload) if payload else None) or lock
    elif Conf.REDIS:
        payload = broker.connection.lindex(broker.list_key, 0)
        enqueued = _enqueued_at(payload) if payload else None
    else:  # other brokers: the count only
        enqueued = None
    age = round(max((now - enqueued).total_seconds(), 0.0), 1) if enqueued else None
    return count, age


def _queue_state():
    """The django-q2 queue: pending tasks, the oldest one's age and the clusters' last heartbeat.

    ``ok`` is false when no cluster has written a heartbeat for HEARTBEAT_STALE_SECONDS or the
    oldest pending task has waited longer than BACKLOG_STALE_SECONDS. Only counts and ages are
    reported: no task names, arguments or broker addresses.
    """
    now = timezone.now()
    try:
        from django_q.brokers import get_broker
        from django_q.status import Stat

        broker = get_broker()
        stats = Stat.get_all(broker=broker)
        pending, oldest_age = _pending_tasks(broker, now)
    except Exception as exc:  # noqa: BLE001 - broker down is a reportable state
        logger.warning("healthz: queue check failed: %s", exc.__class__.__name__)
        return {"ok": False, "error": exc.__class__.__name__, "clusters": 0}
    state = {
        "broker": "orm" if Conf.ORM else "redis" if Conf.REDIS else "other",
        "pending": pending,
        "oldest_pending_age_seconds": oldest_age,
        "backlog": oldest_age is not None and oldest_age > BACKLOG_STALE_SECONDS,
        "clusters": len(stats),
        "last_heartbeat": None,
        "age_seconds": None,
    }
    if stats:
        last = max(stat.timestamp for stat in stats)
        state["last_heartbeat"] = last.isoformat()
        state["age_seconds"] = round((now - last).total_seconds(), 1)
    heartbeat_fresh = state["age_seconds"] is not None and state["age_seconds"] < HEARTBEAT_STALE_SECONDS
    state["ok"] = heartbeat_fresh and not state["backlog"]
    return state


@never_cache
def healthz(request):
    """200 when the database answers, 503 when it does not; cache and queue are reported.

    A stale worker or a queue backlog is reported (``queue.ok`` false) but keeps the 200: the
    web process can still take applications (they are saved before any task runs), and a load
    balancer that took every web node out for a stuck worker would turn a delay into an outage.
    Monitoring alerts on ``queue.ok``.
    """
    database = _database_state()
    body = {
        "status": "ok" if database["ok"] else "error",
        "database": database,
        "cache": _cache_state(),
        "queue": _queue_state() if database["ok"] else {"ok": False, "error": "database unavailable"},
    }
    return JsonResponse(body, status=200 if database["ok"] else 503)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # Rendered without context processors: the database may be what failed.
    html = loader.get_template("500.html").render({"LANGUAGE_CODE": get_language()})
    return HttpResponseServerError(html)


def search(request):
    """The site search (/tim-kiem/?q=): results over every page type, or suggestions."""
    outcome = search_site(request.GET.get("q", ""), request.GET.get("page"))
    return render(request, "pages/search.html", {"search": outcome})
