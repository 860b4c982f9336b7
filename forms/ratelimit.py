"""A small per-client rate limit for form submissions, kept in the cache.

The client is identified by a keyed hash of its IP address (never stored elsewhere, gone
when the window ends). django-ratelimit would do the same; this is 30 lines and adds no
dependency. Behind a proxy, REMOTE_ADDR must be the client's address (gunicorn's
``forwarded_allow_ips`` / the proxy's real-IP module).
"""

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache

# (requests, seconds): at most 10 final submissions per hour per client by default.
DEFAULT_SUBMIT_RATE = (10, 60 * 60)


def client_fingerprint(request):
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    digest = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()
    return digest[:32]


def submit_rate():
    return getattr(settings, "PORTAL_FORMS_SUBMIT_RATE", DEFAULT_SUBMIT_RATE)


def is_rate_limited(request, scope="submit", rate=None):
    """Count this request; True when the client has gone over the limit of `scope`."""
    limit, window = rate or submit_rate()
    key = f"portal_forms.rl.{scope}.{client_fingerprint(request)}"
    if hasattr(cache, "count"):  # cms.cache.RedisCache (production): one round trip
        return cache.count(key, window) > limit
    if cache.add(key, 1, timeout=window):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.add(key, 1, timeout=window)
            count = 1
    return count > limit


def retry_after_seconds(rate=None):
    return (rate or submit_rate())[1]
