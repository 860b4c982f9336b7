"""Test settings: fast hashing, local memory cache, SQLite unless DATABASE_URL is set."""

import os

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"},
    "queue": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        # Concurrent test runs on one machine keep apart by setting QUEUE_CACHE_DIR.
        "LOCATION": env.str("QUEUE_CACHE_DIR", default="/tmp/portal-test-queue-cache"),  # noqa: S108
    },
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DEFAULT_FROM_EMAIL = "no-reply@localhost"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = env.path("TEST_MEDIA_ROOT", default="/tmp/portal-test-media")  # noqa: S108
PRIVATE_MEDIA_ROOT = env.path("TEST_PRIVATE_MEDIA_ROOT", default="/tmp/portal-test-private")  # noqa: S108
WAGTAILADMIN_BASE_URL = "http://testserver"
# A server process started by the browser tests must not cache pages or site roots:
# the tests change and re-seed the data behind its back.
if env.bool("PORTAL_TEST_DUMMY_CACHE", default=False):
    CACHES["default"] = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}

# Static files come from the app directories in tests; nothing is collected.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# A file-backed SQLite test database (not in-memory), so that a real django-q2
# worker started by a test in another process sees the same data.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": f"/tmp/portal-test-{os.getpid()}.sqlite3"}  # noqa: F405, S108

# A test with a real worker and a local SMTP server (tests/notifications) points the worker
# process at that server through the environment; without EMAIL_PORT mail stays in memory.
if os.environ.get("EMAIL_PORT"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env.str("EMAIL_HOST", default="127.0.0.1")
    EMAIL_PORT = env.int("EMAIL_PORT")
    EMAIL_TIMEOUT = 10
