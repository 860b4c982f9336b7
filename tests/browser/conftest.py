"""Playwright in Debian's chromium, launched by its executable path against pytest-django's live server."""

import os
import shutil

import pytest

from tests.support.server import running_server

# Playwright's sync API runs an event loop in this thread; the Django ORM calls the
# tests make around it (fixtures, assertions) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PHONE = {"width": 375, "height": 740}
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path():
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise RuntimeError("Debian's chromium is required for browser tests: apt-get install chromium")
    return path


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture(scope="session")
def portal_server(django_db_setup):
    """The portal served by a separate process over the session's test database.

    The server process runs with a dummy cache so that data written or re-seeded by
    the tests is never hidden behind a stale cached page or site root.
    """
    with running_server() as url:
        yield url


@pytest.fixture(autouse=True)
def _committed_database(django_db_setup, django_db_blocker):
    """Browser tests talk to another process, so their database writes must be committed:
    they run outside any test transaction (pytest-django runs them after the transactional
    tests, which may have emptied the database, so the demo is seeded again when missing)."""
    from cms.models import HomePage
    from tests.conftest import _seed

    with django_db_blocker.unblock():
        if not HomePage.objects.exists():
            _seed()
        yield


@pytest.fixture
def committed_changes():
    """Undo steps for data a browser test changed: `committed_changes.undo(func)`."""
    undo_steps = []

    class Changes:
        def undo(self, func):
            undo_steps.append(func)

    yield Changes()
    for func in reversed(undo_steps):
        func()
