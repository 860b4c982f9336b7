"""Published pages are served from cache to anonymous visitors and refreshed on publish."""

import pytest
from django.core.cache import cache

from cms.models import HomePage, SiteSettings


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
def test_second_anonymous_visit_is_a_cache_hit(client, demo_site):
    first = client.get("/")
    assert first["X-Page-Cache"] == "miss"
    assert "public" in first["Cache-Control"]
    second = client.get("/")
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content


@pytest.mark.django_db
def test_publishing_refreshes_every_cached_copy(client, demo_site):
    client.get("/")
    client.get("/gioi-thieu/")
    home = HomePage.objects.get(pk=demo_site.pk)
    home.hero_title = "Tiêu đề mới sau khi đăng"
    home.save_revision().publish()
    response = client.get("/")
    assert response["X-Page-Cache"] == "miss"
    assert "Tiêu đề mới sau khi đăng" in response.content.decode()
    # Pages that were not edited are refreshed too (menus and listings may have changed).
    assert client.get("/gioi-thieu/")["X-Page-Cache"] == "miss"


@pytest.mark.django_db
def test_site_settings_change_refreshes_cached_pages(client, demo_site):
    client.get("/")
    site_settings = SiteSettings.objects.get()
    site_settings.hotline = "1900 9999"
    site_settings.save()
    assert "1900 9999" in client.get("/").content.decode()


@pytest.mark.django_db
def test_logged_in_staff_never_get_the_cached_copy(client, demo_site):
    from django.contrib.auth import get_user_model

    client.get("/")
    client.force_login(get_user_model().objects.get(username="editor"))
    response = client.get("/")
    assert "X-Page-Cache" not in response


@pytest.mark.django_db
def test_unknown_query_parameters_are_never_stored(client, demo_site):
    client.get("/?utm_source=poster")
    assert client.get("/?utm_source=poster").get("X-Page-Cache") != "hit"


@pytest.mark.django_db
def test_index_filters_are_cached_per_url(client, demo_site):
    from guides.models import ProcedureIndexPage

    url = ProcedureIndexPage.objects.live().filter(locale__language_code="vi").first().url + "?level=toan_trinh"
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"


@pytest.mark.django_db
def test_a_cached_guide_page_costs_no_query_and_an_uncached_one_a_bounded_number(
    client, demo_site, django_assert_max_num_queries, django_assert_num_queries
):
    from guides.models import GuidePage

    url = GuidePage.objects.live().filter(locale__language_code="vi").first().url
    with django_assert_max_num_queries(60):
        assert client.get(url)["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        assert client.get(url)["X-Page-Cache"] == "hit"


@pytest.mark.django_db
def test_a_hit_replays_the_final_headers_with_an_etag_and_answers_304(client, demo_site):
    first = client.get("/")
    second = client.get("/")
    assert second["X-Page-Cache"] == "hit"
    for header in ("Cache-Control", "Content-Language", "Content-Type", "X-Frame-Options"):
        assert second[header] == first[header], header
    assert "Cookie" in second["Vary"] and "Accept-Language" in second["Vary"]
    assert second["ETag"] == first["ETag"]
    assert int(second["Content-Length"]) == len(second.content)
    not_modified = client.get("/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert not_modified["Cache-Control"] == first["Cache-Control"]
    assert client.get("/", HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


@pytest.mark.django_db
def test_a_hit_is_gzipped_for_browsers_that_accept_it(client, demo_site):
    import gzip

    plain = client.get("/")
    zipped = client.get("/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert zipped["X-Page-Cache"] == "hit"
    assert zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"]
    assert gzip.decompress(zipped.content) == plain.content
    assert zipped["ETag"] != plain["ETag"]
    assert client.get("/", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=zipped["ETag"]).status_code == 304


@pytest.mark.django_db
def test_a_logged_in_editors_page_is_never_stored_for_others(client, demo_site):
    from django.contrib.auth import get_user_model
    from django.test import Client

    client.force_login(get_user_model().objects.get(username="editor"))
    client.get("/")
    client.get("/")
    assert Client().get("/")["X-Page-Cache"] == "miss"


@pytest.mark.django_db
def test_a_visitor_with_messages_waiting_never_gets_the_cached_copy(client, demo_site):
    client.get("/")
    client.cookies["messages"] = "anything"
    assert client.get("/").get("X-Page-Cache") != "hit"


def _middleware_with(response_factory):
    from django.test import RequestFactory

    from cms.caching import REQUEST_MARK, PageCacheMiddleware, cache_key

    def view(request):
        setattr(request, REQUEST_MARK, (cache_key(request), 60))
        return response_factory()

    return PageCacheMiddleware(view), RequestFactory()


@pytest.mark.parametrize(
    "make",
    [
        "cookie",
        "private",
        "no-store",
        "not-200",
    ],
)
def test_responses_that_are_personal_or_not_ok_are_never_stored(make):
    from django.http import HttpResponse

    def response():
        r = HttpResponse("Hồ sơ của bạn", status=404 if make == "not-200" else 200)
        if make == "cookie":
            r.set_cookie("sessionid", "x")
        elif make in ("private", "no-store"):
            r["Cache-Control"] = make
        return r

    middleware, factory = _middleware_with(response)
    middleware(factory.get("/trang/"))
    assert middleware(factory.get("/trang/")).get("X-Page-Cache") != "hit"


@pytest.mark.django_db
def test_the_worker_memory_copy_serves_without_the_shared_cache_and_follows_a_publish(
    client, demo_site, settings, monkeypatch
):
    from cms import caching

    settings.PORTAL_PAGE_CACHE_LOCAL = True
    caching._local.forget()
    try:
        client.get("/gioi-thieu/")
        cache.clear()  # the shared copy is gone; this worker still has its own
        monkeypatch.setattr(caching, "GENERATION_TTL", 60)
        assert client.get("/gioi-thieu/")["X-Page-Cache"] == "hit"
        caching.bump_generation()  # a publish in this worker forgets its copies at once
        assert client.get("/gioi-thieu/")["X-Page-Cache"] == "miss"
        # Bounded: the oldest entries go first.
        monkeypatch.setattr(caching._local.entries, "max_entries", 2)
        for path in ("/", "/gioi-thieu/", "/en/"):
            client.get(path)
        assert len(caching._local.entries) == 2
    finally:
        caching._local.forget()


@pytest.mark.parametrize(("backend", "local"), [("dummy.DummyCache", False), ("locmem.LocMemCache", False)])
def test_no_worker_copies_in_front_of_a_cache_that_is_local_or_keeps_nothing(settings, backend, local):
    """The browser tests' server runs on DummyCache so that it never serves a page the tests
    changed since: its workers must not keep their own copies either."""
    from cms import caching

    settings.CACHES = {**settings.CACHES, "default": {"BACKEND": f"django.core.cache.backends.{backend}"}}
    assert caching.local_copies_enabled() is local
    settings.CACHES = {**settings.CACHES, "default": {"BACKEND": "cms.cache.RedisCache"}}
    assert caching.local_copies_enabled() is True


@pytest.mark.django_db
def test_pages_with_personal_data_are_private_and_never_cached(client, demo_site):
    from forms.models import ApplicationFormPage

    form = ApplicationFormPage.objects.live().filter(locale__language_code="vi").first()
    for url in (form.step_url(1), "/tra-cuu/"):
        client.get(url)
        response = client.get(url)
        assert response.get("X-Page-Cache") != "hit", url
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"], url


# --- the shared building block: SharedGeneration and BoundedStore ---------------------------


def _generation(trust, **kwargs):
    from cms.caching import SharedGeneration

    return SharedGeneration("test:generation", trusted_for=lambda: trust[0], max_entries=10, **kwargs)


def test_a_worker_trusts_its_copy_of_the_generation_for_the_trust_window():
    trust = [60.0]
    generation = _generation(trust)
    first = generation.current()
    generation.remember("key", "value", generation=first)
    cache.set("test:generation", "another worker's", timeout=None)
    assert generation.current() == first  # trusted: no cache round trip
    assert generation.get("key") == "value"
    trust[0] = 0.0
    assert generation.current() == "another worker's"
    assert generation.get("key") is None  # a new value empties the worker's store


@pytest.mark.django_db  # bump() registers its second step with transaction.on_commit
def test_a_bump_gives_a_new_value_and_empties_the_store_at_once(django_capture_on_commit_callbacks):
    generation = _generation([60.0])
    first = generation.current()
    generation.remember("key", "value", generation=first)
    with django_capture_on_commit_callbacks() as callbacks:
        generation.bump()
        assert len(generation.entries) == 0
        second = generation.current()
        assert second != first
    assert len(callbacks) == 1  # bumped again when the transaction commits
    callbacks[0]()
    assert generation.current() not in (first, second)


def test_a_generation_made_again_after_eviction_is_new():
    generation = _generation([0.0])
    first = generation.current()
    cache.delete("test:generation")  # evicted, or Redis restarted empty
    assert generation.current() not in (None, first)


@pytest.mark.django_db  # bump() registers its second step with transaction.on_commit
def test_a_value_read_under_a_generation_the_worker_has_left_is_not_kept():
    generation = _generation([60.0])
    before = generation.current()
    generation.bump()  # a change in this worker while the value was being read
    generation.remember("key", "stale", generation=before)
    assert generation.get("key") is None
    generation.remember("key", "fresh", generation=generation.current())
    assert generation.get("key") == "fresh"


def test_a_cache_that_keeps_nothing_has_no_generation(settings):
    settings.CACHES = {**settings.CACHES, "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    assert _generation([60.0]).current() is None


def test_the_store_is_bounded_and_drops_the_least_recently_used_first():
    from cms.caching import BoundedStore

    store = BoundedStore(2)
    store.remember("a", 1)
    store.remember("b", 2)
    assert store.get("a") == 1  # now the most recently used
    store.remember("c", 3)
    assert len(store) == 2
    assert store.get("b") is None and store.get("a") == 1 and store.get("c") == 3
    store.clear(lambda key: key == "a")
    assert store.get("a") is None and store.get("c") == 3


def test_an_entry_older_than_max_age_is_not_returned():
    import time

    from cms.caching import BoundedStore

    store = BoundedStore(10, max_age=60.0)
    store.remember("old", 1, read_at=time.monotonic() - 61)
    store.remember("new", 2)
    assert store.get("old", "missing") == "missing"
    assert store.get("new") == 2
