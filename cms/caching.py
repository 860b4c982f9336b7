"""Whole-page caching for published pages seen by anonymous visitors.

A cached copy is keyed by host, full path (the language is in the path) and a site-wide
generation number. Publishing or unpublishing any page, or saving site settings or a menu,
bumps the generation, so every cached copy (the guide itself, the index and the home page
that list it) is refreshed at once; old keys simply expire. In production the cache is Redis,
shared by all workers; in the embedded run it is process-local memory.

What is stored is the final response as the visitor got it (after every inner middleware:
Vary, Content-Language, X-Frame-Options...), as plain data: status, headers, body, a gzip copy
of the body and a strong ETag. A hit replays it without routing, sessions or the database:
304 when the browser's If-None-Match matches, the gzip copy when it accepts gzip.

Each worker also keeps the last few hundred entries in memory and trusts its copy of the
generation for GENERATION_TTL seconds, so a hit usually costs no cache round trip at all; after
a publish another worker may serve the previous copy for at most that long (browsers and
proxies may keep public pages for ``browser_max_age`` anyway).

Never cached: requests that are not GET/HEAD, previews, requests with a session cookie (a
signed-in user, or a visitor with a draft or messages) or a messages cookie, pages without
CachedPageMixin, responses that set a cookie, are not 200, or say private/no-store.
"""

import gzip
import hashlib
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control, patch_vary_headers

GENERATION_KEY = "pagecache:generation"
DEFAULT_TIMEOUT = 60 * 60
# How long a worker trusts its copy of the generation before asking the shared cache again.
GENERATION_TTL = 1.0
# Per-worker memory copy: at most this many entries, none bigger than LOCAL_MAX_BYTES.
LOCAL_ENTRIES = 300
LOCAL_MAX_BYTES = 512 * 1024
GZIP_MIN_BYTES = 1024
MESSAGES_COOKIE = "messages"
# Headers a hit recomputes itself.
NOT_REPLAYED = {"content-length", "content-encoding", "etag", "x-page-cache", "set-cookie"}
REQUEST_MARK = "_portal_page_cache"


class _Local:
    def __init__(self):
        self.lock = threading.Lock()
        self.generation = None
        self.checked_at = 0.0
        self.entries = OrderedDict()

    def forget(self):
        with self.lock:
            self.generation = None
            self.entries.clear()


_local = _Local()


def local_copies_enabled():
    """The per-worker layer pays off in front of a shared cache (Redis); an in-process cache
    is its own local copy (and tests clear it between cases). PORTAL_PAGE_CACHE_LOCAL forces it."""
    forced = getattr(settings, "PORTAL_PAGE_CACHE_LOCAL", None)
    if forced is not None:
        return forced
    return "locmem" not in settings.CACHES["default"]["BACKEND"].lower()


def current_generation():
    local = local_copies_enabled()
    now = time.monotonic()
    if local and _local.generation is not None and now - _local.checked_at < GENERATION_TTL:
        return _local.generation
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = 1
        cache.add(GENERATION_KEY, generation, timeout=None)
    if not local:
        return generation
    with _local.lock:
        if generation != _local.generation:
            _local.entries.clear()
        _local.generation, _local.checked_at = generation, now
    return generation


def _bump():
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)
    _local.forget()


def bump_generation(**_kwargs):
    """Invalidate every cached page (signal receiver; also callable directly).

    Bumped at once and again when the transaction commits: a page rendered by another
    worker between the two, from data not yet committed, cannot outlive the second bump.
    """
    _bump()
    transaction.on_commit(_bump)


def _is_cacheable_request(request):
    if request.method not in ("GET", "HEAD"):
        return False
    if getattr(request, "is_preview", False):
        return False
    # The middleware runs before authentication: a session cookie is what marks a
    # signed-in user (or a visitor with a draft or messages waiting); a messages cookie
    # holds messages for this visitor. Neither is ever served or stores a cached copy.
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and MESSAGES_COOKIE not in cookies


def cache_key(request):
    """One key per host, full path (the language is in the path) and generation."""
    raw = f"{request.get_host()}|{request.get_full_path()}"
    digest = hashlib.sha256(raw.encode()).hexdigest()[:32]
    return f"pagecache:{current_generation()}:{digest}"


def _remember(key, entry):
    if len(entry["body"]) > LOCAL_MAX_BYTES or not local_copies_enabled():
        return
    with _local.lock:
        _local.entries[key] = entry
        _local.entries.move_to_end(key)
        while len(_local.entries) > LOCAL_ENTRIES:
            _local.entries.popitem(last=False)


def _lookup(key):
    entry = _local.entries.get(key)
    if entry is None:
        entry = cache.get(key)
        if isinstance(entry, dict) and "body" in entry:
            _remember(key, entry)
        else:
            entry = None
    return entry


def _entry_from(response):
    body = response.content
    headers = [(name, value) for name, value in response.items() if name.lower() not in NOT_REPLAYED]
    zipped = gzip.compress(body, 6, mtime=0) if len(body) >= GZIP_MIN_BYTES else None
    return {
        "status": response.status_code,
        "headers": headers,
        "body": body,
        "gzip": zipped if zipped is not None and len(zipped) < len(body) else None,
        "etag": '"' + hashlib.sha256(body).hexdigest()[:32] + '"',
    }


def _accepts_gzip(request):
    return "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "")


def _etag(entry, zipped):
    return entry["etag"][:-1] + '-gz"' if zipped else entry["etag"]


def _matches(request, etag):
    header = request.META.get("HTTP_IF_NONE_MATCH")
    if not header:
        return False
    if header.strip() == "*":
        return True
    return etag in {tag.strip().removeprefix("W/") for tag in header.split(",")}


def _replay(request, entry):
    zipped = entry["gzip"] is not None and _accepts_gzip(request)
    etag = _etag(entry, zipped)
    if _matches(request, etag):
        response = HttpResponseNotModified()
        for name, value in entry["headers"]:
            if name.lower() in ("cache-control", "vary", "content-language", "expires"):
                response[name] = value
    else:
        body = entry["gzip"] if zipped else entry["body"]
        response = HttpResponse(body, status=entry["status"])
        for name, value in entry["headers"]:
            response[name] = value
        response["Content-Length"] = str(len(body))
        if zipped:
            response["Content-Encoding"] = "gzip"
    response["ETag"] = etag
    if entry["gzip"] is not None:
        patch_vary_headers(response, ["Accept-Encoding"])
    response["X-Page-Cache"] = "hit"
    return response


def _storable(response):
    if response.status_code != 200 or response.cookies or getattr(response, "streaming", False):
        return False
    control = response.get("Cache-Control", "").lower()
    return "private" not in control and "no-store" not in control


class PageCacheMiddleware:
    """Answer anonymous GETs for cached pages before URL routing, sessions and Wagtail's
    page lookup run, and store the final response of pages that asked for it
    (``CachedPageMixin``). Nothing else is ever cached here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        cacheable = _is_cacheable_request(request)
        if cacheable:
            entry = _lookup(cache_key(request))
            if entry is not None:
                return _replay(request, entry)
        response = self.get_response(request)
        mark = getattr(request, REQUEST_MARK, None)
        if mark is not None and cacheable and _storable(response):
            key, timeout = mark
            entry = _entry_from(response)
            cache.set(key, entry, timeout)
            _remember(key, entry)
            response["ETag"] = entry["etag"]
        return response


class CachedPageMixin:
    """Serve a published page from the cache to anonymous visitors.

    Pages that render per-visitor content (forms with CSRF tokens, personal data)
    must not use this mixin.
    """

    cache_timeout = DEFAULT_TIMEOUT
    # Browsers and shared proxies may keep a public page this long.
    browser_max_age = 60
    # Query parameters the page understands; a URL with any other one is served
    # fresh and not stored, so made-up query strings cannot fill the cache.
    cacheable_query_params = frozenset()

    def serve(self, request, *args, **kwargs):
        if not _is_cacheable_request(request) or not set(request.GET) <= self.cacheable_query_params:
            return super().serve(request, *args, **kwargs)
        # The key is taken before rendering: a publish during the render bumps the
        # generation, so what was rendered from older content lands under the older key.
        key = cache_key(request)
        response = super().serve(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response.render()
        patch_cache_control(response, public=True, max_age=self.browser_max_age)
        # PageCacheMiddleware stores the final response on its way out.
        setattr(request, REQUEST_MARK, (key, self.cache_timeout))
        response["X-Page-Cache"] = "miss"
        return response
