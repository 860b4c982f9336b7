"""Site-wide views: health check and friendly error pages."""

import logging
import time

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache

from .search import search_site

logger = logging.getLogger("portal")

# A django-q2 cluster that has not written a heartbeat for this long is reported stale.
HEARTBEAT_STALE_SECONDS = 120


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


def _queue_state():
    """Last heartbeat of the django-q2 cluster(s), read from django-q2's own Stat API."""
    try:
        from django_q.status import Stat

        stats = Stat.get_all()
    except Exception as exc:  # noqa: BLE001 - broker down is a reportable state
        return {"ok": False, "error": exc.__class__.__name__, "clusters": 0}
    if not stats:
        return {"ok": False, "clusters": 0, "last_heartbeat": None}
    last = max(stat.timestamp for stat in stats)
    age = (timezone.now() - last).total_seconds()
    return {
        "ok": age < HEARTBEAT_STALE_SECONDS,
        "clusters": len(stats),
        "last_heartbeat": last.isoformat(),
        "age_seconds": round(age, 1),
    }


@never_cache
def healthz(request):
    """200 when the database answers, 503 when it does not; cache and queue are reported."""
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
