"""Whole-page caching for published pages seen by anonymous visitors.

A cached copy is keyed by page, language, full path and a site-wide generation
number. Publishing or unpublishing any page, or saving site settings or a menu,
bumps the generation, so every cached copy (the guide itself, the index and the
home page that list it) is refreshed at once; old keys simply expire. In
production the cache is Redis, shared by all workers; in the embedded run it is
process-local memory, which is fine for one process.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils.cache import patch_cache_control

GENERATION_KEY = "pagecache:generation"
DEFAULT_TIMEOUT = 60 * 60


def current_generation():
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = 1
        cache.add(GENERATION_KEY, generation, timeout=None)
    return generation


def bump_generation(**_kwargs):
    """Invalidate every cached page (signal receiver; also callable directly)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)


def _is_cacheable_request(request):
    if request.method not in ("GET", "HEAD"):
        return False
    if getattr(request, "is_preview", False):
        return False
    # The middleware runs before authentication: a session cookie is what marks a
    # signed-in user (or a visitor with messages waiting); they are never cached.
    # A visitor with a session may have messages waiting to be shown.
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


def cache_key(request):
    """One key per host, full path (the language is in the path) and generation."""
    raw = f"{request.get_host()}|{request.get_full_path()}"
    digest = hashlib.sha256(raw.encode()).hexdigest()[:32]
    return f"pagecache:{current_generation()}:{digest}"


class PageCacheMiddleware:
    """Answer anonymous GETs for cached pages before URL routing, sessions and
    Wagtail's page lookup run: a hit costs two cache reads. Pages are stored by
    `CachedPageMixin.serve`; nothing else is ever cached here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _is_cacheable_request(request):
            cached = cache.get(cache_key(request))
            if cached is not None:
                cached["X-Page-Cache"] = "hit"
                return cached
        return self.get_response(request)


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
        key = cache_key(request)
        response = super().serve(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response.render()
        patch_cache_control(response, public=True, max_age=self.browser_max_age)
        if response.status_code == 200 and not response.cookies:
            cache.set(key, response, self.cache_timeout)
        response["X-Page-Cache"] = "miss"
        return response
