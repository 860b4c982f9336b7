"""Shared fixtures.

The demo content is loaded once per test session into the test database (seeding
creates thousands of rows through Wagtail's page API, too slow to repeat per test).
Ordinary tests run inside a transaction that is rolled back, so they all see the
seeded site. Transactional tests (a live server, a real worker, concurrency) empty
the database when they finish; `demo_site` seeds again when it finds it empty.
"""

import os
from io import StringIO

import pytest
from django.core.management import call_command

DEMO_PASSWORD = "demo-pass-2026"


def _seed():
    os.environ["DEMO_PASSWORD"] = DEMO_PASSWORD
    call_command("seed_demo", stdout=StringIO())


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _seed()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The memory cache outlives each test's rolled-back transaction (Wagtail's site
    root paths, cached pages): start every test with an empty one."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _default_language():
    """A request through LocaleMiddleware leaves its language active on the thread: every
    test starts in the site's default language, whatever the previous test asked for."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def demo_site(db):
    """The Vietnamese home page of the site as `seed_demo` leaves it
    (both languages, guides, menus, demo users with DEMO_PASSWORD)."""
    from cms.models import HomePage

    home = HomePage.objects.filter(locale__language_code="vi").first()
    if home is None:
        _seed()
        home = HomePage.objects.get(locale__language_code="vi")
    return home


@pytest.fixture
def demo_password():
    return DEMO_PASSWORD
