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


def _on_test_database(connection):
    name = str(connection.settings_dict["NAME"])
    return name == str(connection.settings_dict.get("TEST", {}).get("NAME")) or name.startswith("test_")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    own_setup = None
    with django_db_blocker.unblock():
        if not _on_test_database(connection):
            # pytest-django makes test databases only for collected tests marked django_db;
            # a run of the browser tests alone (they are not: they commit) would seed the
            # real database otherwise.
            own_setup = setup_databases(verbosity=0, interactive=False, aliases={"default"})
        _seed()
    yield
    if own_setup is not None:
        from django.db import connections

        with django_db_blocker.unblock():
            _end_other_sessions()
            connections.close_all()
            teardown_databases(own_setup, verbosity=0)


def _end_other_sessions():
    """Sessions still open on the test database (a stopped server's, or one the browser
    tests' event loop opened in its own context) would make dropping it fail."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The memory cache outlives each test's rolled-back transaction (Wagtail's site
    root paths, cached pages), and so do the forms a worker built (forms.compiled, whose
    form versions may have been rolled back): start every test with empty ones."""
    from django.core.cache import cache

    from forms import compiled

    cache.clear()
    compiled.forget()
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
