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
def portal_server(django_db_setup, django_db_blocker):
    """The portal served by a separate process over the session's seeded test database.

    Browser tests read the seeded demo content (committed once per session), so they
    need no transactional test database, which would be emptied after every test.
    Tests that must change data for the server to see use `committed_changes`.
    """
    with running_server() as url:
        yield url


@pytest.fixture
def committed_changes(django_db_blocker):
    """Run ORM writes in autocommit so the server process sees them; undo them afterwards.

    Usage: `with committed_changes(): obj.save()`; register undo steps with `.undo(func)`.
    """
    undo_steps = []

    class Changes:
        def __call__(self):
            return django_db_blocker.unblock()

        def undo(self, func):
            undo_steps.append(func)

    yield Changes()
    with django_db_blocker.unblock():
        for func in reversed(undo_steps):
            func()
