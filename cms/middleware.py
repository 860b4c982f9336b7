"""Small middleware of our own: cross-origin access to the public API, and overload shedding.

Cross-origin access to the public API is off unless an operator lists origins.

``API_CORS_ALLOWED_ORIGINS`` (environment, comma-separated, e.g.
``https://app.example.gov.vn``) names the web origins whose scripts may read /api/
responses. Only those origins get ``Access-Control-Allow-Origin``, never ``*`` and never
credentials: the API is public and read only, so a few lines here do what a CORS package
would, without another dependency.
"""

import threading
import time

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers, patch_vary_headers

API_PATH_PREFIX = "/api/"
ALLOWED_METHODS = "GET, HEAD, OPTIONS"
PREFLIGHT_MAX_AGE = 86400


def allowed_origins():
    return {origin.rstrip("/") for origin in getattr(settings, "API_CORS_ALLOWED_ORIGINS", []) if origin}


class APICorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PATH_PREFIX):
            return self.get_response(request)
        origins = allowed_origins()
        origin = request.headers.get("Origin", "")
        is_allowed = origin in origins
        is_preflight = request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers
        if is_allowed and is_preflight:
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
            requested_headers = request.headers.get("Access-Control-Request-Headers")
            if requested_headers:
                response["Access-Control-Allow-Headers"] = requested_headers
            response["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE)
        else:
            response = self.get_response(request)
        if origins:
            # The answer depends on the Origin header: caches must keep one copy per origin.
            patch_vary_headers(response, ["Origin"])
        if is_allowed:
            response["Access-Control-Allow-Origin"] = origin
        return response


# --- overload: shed requests that waited too long for a worker --------------------------------

_queued = threading.local()
OVERLOAD_MESSAGE = (
    "Hệ thống đang quá tải, vui lòng thử lại sau ít phút.\n"
    "The service is overloaded, please try again in a few minutes.\n"
)


def mark_queued(waited):
    """Called by the gunicorn worker (gunicorn.conf.py) in the thread that takes a connection:
    how many seconds it waited in the worker's queue for that thread (None clears)."""
    _queued.waited = waited


def _proxy_queue_seconds(header, now):
    """Seconds since a proxy's ``X-Request-Start`` (nginx: ``t=${msec}``; also ms or µs)."""
    try:
        stamp = float(header.strip().removeprefix("t="))
    except ValueError:
        return None
    if stamp > 1e14:  # microseconds
        stamp /= 1e6
    elif stamp > 1e11:  # milliseconds
        stamp /= 1e3
    return now - stamp


def queue_seconds(request):
    """How long this request waited before a thread took it, or None when unknown."""
    waited = getattr(_queued, "waited", None)
    if waited is not None:
        return waited
    header = request.META.get("HTTP_X_REQUEST_START")
    if header:
        return _proxy_queue_seconds(header, time.time())
    return None


class OverloadMiddleware:
    """Answer 503 with Retry-After, at once, to a request that already waited longer than
    ``PORTAL_MAX_QUEUE_SECONDS`` for a worker thread, instead of starting work whose answer the
    client will likely never wait for (and which would delay every request behind it past the
    gunicorn timeout). A burst then drains at the speed of these tiny answers.

    The waiting time comes from our gunicorn worker (gunicorn.conf.py stamps each connection
    when it is queued for a thread) or from the proxy's ``X-Request-Start`` header. First in
    MIDDLEWARE, so a refused request costs no session, database or cache access.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.max_wait = float(getattr(settings, "PORTAL_MAX_QUEUE_SECONDS", 5))
        self.retry_after = int(getattr(settings, "PORTAL_OVERLOAD_RETRY_AFTER", 10))

    def __call__(self, request):
        waited = queue_seconds(request)
        if waited is not None and waited > self.max_wait:
            response = HttpResponse(OVERLOAD_MESSAGE, status=503, content_type="text/plain; charset=utf-8")
            response["Retry-After"] = str(self.retry_after)
            add_never_cache_headers(response)
            return response
        return self.get_response(request)
