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
