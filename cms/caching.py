"""Whole-page caching for published pages seen by anonymous visitors.

A cached copy is keyed by host, full path (the language is in the path) and a site-wide
generation, a random value in the shared cache. Publishing or unpublishing any page, or saving
site settings or a menu, gives it a new value, so every cached copy (the guide itself, the
index and the home page that list it) is refreshed at once; old keys simply expire. In
production the cache is Redis, shared by all workers; in the embedded run it is process-local
memory.

What is stored is the final response as the visitor got it (after every inner middleware:
Vary, Content-Language, X-Frame-Options...), as plain data: status, headers, body, a gzip copy
of the body and a strong ETag. A hit replays it without routing, sessions or the database:
304 when the browser's If-None-Match matches, the gzip copy when it accepts gzip.

Each worker also keeps the last few hundred entries in memory and trusts its copy of the
generation for GENERATION_TTL seconds, so a hit usually costs no cache round trip at all; after
a publish another worker may serve the previous copy for at most that long (browsers and
proxies may keep public pages for ``browser_max_age`` anyway). In front of an in-process cache
it trusts nothing and keeps no copies, unless PORTAL_PAGE_CACHE_LOCAL says otherwise
(``local_copies_enabled``).

That generation and the worker's copies are a ``SharedGeneration``, defined here with the
``BoundedStore`` it keeps its entries in: the one implementation of "a generation shared through
the default cache, a per-worker copy of it trusted for a moment, and a bounded per-worker store".
forms.notifications.caching (templates and officers) and forms.compiled (built forms, live form
pages) use them too.

Never cached: requests that are not GET/HEAD, previews, requests with a session cookie (a
signed-in user, or a visitor with a draft or messages) or a messages cookie, pages without
CachedPageMixin, responses that set a cookie, are not 200, or say private/no-store.
"""

import gzip
import hashlib
import threading
import time
import uuid
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


class BoundedStore:
    """A worker's own dictionary of at most ``max_entries``, shared by its threads.

    When it is full the least recently used entry goes first. With ``max_age`` (seconds) an entry
    older than that is no longer returned; its age counts from ``read_at``, when its value was
    read (by default, when it was stored).
    """

    def __init__(self, max_entries, *, max_age=None):
        self.max_entries = max_entries
        self.max_age = max_age
        # Re-entrant: SharedGeneration holds it around its own calls to the store.
        self.lock = threading.RLock()
        self._entries = OrderedDict()  # key -> (read_at, value)

    def __len__(self):
        return len(self._entries)

    def get(self, key, default=None):
        with self.lock:
            found = self._entries.get(key)
            if found is None:
                return default
            if self.max_age is not None and time.monotonic() - found[0] >= self.max_age:
                del self._entries[key]
                return default
            self._entries.move_to_end(key)
            return found[1]

    def remember(self, key, value, *, read_at=None):
        with self.lock:
            self._entries[key] = (time.monotonic() if read_at is None else read_at, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self, match=None):
        """Drop every entry, or only those whose key ``match(key)`` is true for."""
        with self.lock:
            if match is None:
                self._entries.clear()
            else:
                for key in [key for key in self._entries if match(key)]:
                    del self._entries[key]


class SharedGeneration:
    """A value in Django's default cache that changes whenever what it stands for changes, and
    what this worker keeps for it.

    Every process reads the same value (Redis in production). A worker trusts its copy of it for
    ``trusted_for()`` seconds (a callable: settings may decide) before asking the cache again, and
    keeps entries in ``entries``, a ``BoundedStore`` emptied as soon as the worker sees another
    value. Read the generation first, then load, then ``remember`` with that generation: what is
    loaded after the read is at least as new, and a value read under a generation the worker has
    left since is not kept.

    The value is a random string, so that a value made again after the key was evicted or the
    cache cleared never equals one a worker still holds (a counter would start again at 1 and
    meet copies from before).
    """

    def __init__(self, key, *, trusted_for, max_entries, max_age=None):
        self.key = key
        self.trusted_for = trusted_for
        self.entries = BoundedStore(max_entries, max_age=max_age)
        self._copy = None  # (value, monotonic time it was read): one attribute, read without the lock

    def current(self):
        """The generation, or None when the cache keeps nothing (a dummy cache): keep nothing then."""
        now = time.monotonic()
        copy = self._copy
        if copy is not None and now - copy[1] < self.trusted_for():
            return copy[0]
        generation = cache.get(self.key)
        if generation is None:
            # Never set, evicted or cleared: a new value.
            cache.add(self.key, uuid.uuid4().hex, timeout=None)
            generation = cache.get(self.key)
            if generation is None:
                return None
        with self.entries.lock:
            if self._copy is None or generation != self._copy[0]:
                self.entries.clear()
            self._copy = (generation, now)
        return generation

    def get(self, key, default=None):
        return self.entries.get(key, default)

    def remember(self, key, value, *, generation=None, read_at=None):
        """Keep ``value``, unless ``generation`` (the one read before loading it) is given and is
        no longer this worker's. Entries whose keys carry their generation need no check."""
        with self.entries.lock:
            if generation is not None and (self._copy is None or self._copy[0] != generation):
                return
            self.entries.remember(key, value, read_at=read_at)

    def forget(self):
        """Drop this worker's copy of the generation and every entry."""
        with self.entries.lock:
            self._copy = None
            self.entries.clear()

    def bump(self):
        """Give the generation a new value at once and again when the transaction commits (at
        once outside one): what another worker loads between the two, from data not yet
        committed, cannot outlive the second. This worker forgets its entries each time."""
        self._advance()
        transaction.on_commit(self._advance)

    def _advance(self):
        cache.set(self.key, uuid.uuid4().hex, timeout=None)
        self.forget()


def default_cache_is(*kinds):
    """Whether the default cache's backend is one of ``kinds`` ("locmem", "dummy", "redis"...)."""
    backend = settings.CACHES["default"]["BACKEND"].lower()
    return any(kind in backend for kind in kinds)


def local_copies_enabled():
    """The per-worker layer pays off in front of a shared cache (Redis); an in-process cache
    is its own local copy (and tests clear it between cases), and a cache that keeps nothing
    (DummyCache: the browser tests' server) asks for no caching at all.
    PORTAL_PAGE_CACHE_LOCAL forces it."""
    forced = getattr(settings, "PORTAL_PAGE_CACHE_LOCAL", None)
    if forced is not None:
        return forced
    return not default_cache_is("locmem", "dummy")


def _trusted_for():
    return GENERATION_TTL if local_copies_enabled() else 0.0


# This worker's copy of the site generation and its last LOCAL_ENTRIES pages (cache key -> entry).
_local = SharedGeneration(GENERATION_KEY, trusted_for=_trusted_for, max_entries=LOCAL_ENTRIES)


def current_generation():
    """The site-wide generation; None with a cache that keeps nothing (nothing is kept then)."""
    return _local.current()


def bump_generation(**_kwargs):
    """Invalidate every cached page (signal receiver; also callable directly): at once and
    again when the transaction commits (``SharedGeneration.bump``)."""
    _local.bump()


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
    _local.remember(key, entry)  # the key carries its generation


def _lookup(key):
    entry = _local.get(key)
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
