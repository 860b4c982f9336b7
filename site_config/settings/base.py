"""Settings shared by every environment.

Nothing insecure lives here: DEBUG and SECRET_KEY are set by dev.py, test.py or
production.py. The database defaults to an embedded SQLite file and switches to
PostgreSQL when DATABASE_URL is set; the cache uses Redis when REDIS_URL is set.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

env = environ.Env()

INSTALLED_APPS = [
    "forms",
    "forms.review",
    "forms.notifications",
    "forms.stats",
    "forms.housekeeping",
    "guides",
    "cms",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.table_block",
    "wagtail.contrib.typed_table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.locales",
    "wagtail.admin",
    "wagtail.api.v3",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_q",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cms.middleware.APICorsMiddleware",  # /api/ only, for API_CORS_ALLOWED_ORIGINS
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "cms.caching.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "site_config.urls"
WSGI_APPLICATION = "site_config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Database: embedded SQLite unless DATABASE_URL points elsewhere (PostgreSQL in
# production and CI).
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
POSTGRESQL = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
if POSTGRESQL:
    # Django's backend with small bulk inserts as plain VALUES lists (cms/postgresql).
    DATABASES["default"]["ENGINE"] = "cms.postgresql"
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Parameters are sent apart from the SQL (psycopg's server-side binding) instead of being
    # quoted into it by Python, and a statement a connection has run DB_PREPARE_THRESHOLD (5)
    # times is prepared, so PostgreSQL stops parsing and planning it again (Django leaves
    # psycopg's automatic preparing off unless OPTIONS asks for it). For a form submission
    # (bench/post_load.py, 25 s runs taken in turn, 2026-11-28): binding ~1 ms less CPU in the
    # worker; preparing another ~0.5 ms in PostgreSQL and ~0.5 ms in the worker (~10% more
    # submissions a second). The officer pages at 1M dossiers timed the same with and without
    # binding (bench/README.md). Behind PgBouncer in transaction mode before 1.21, set
    # DB_SERVER_SIDE_BINDING=false (prepared statements need the same server connection), which
    # turns both off; DB_PREPARE_THRESHOLD= (empty) keeps binding without preparing.
    DATABASES["default"].setdefault("OPTIONS", {})["server_side_binding"] = env.bool(
        "DB_SERVER_SIDE_BINDING", default=True
    )
    if DATABASES["default"]["OPTIONS"]["server_side_binding"]:
        _threshold = env.str("DB_PREPARE_THRESHOLD", default="5")
        DATABASES["default"]["OPTIONS"]["prepare_threshold"] = int(_threshold) if _threshold else None
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set, otherwise process-local memory.
REDIS_URL = env.str("REDIS_URL", default="")
# django-q2 keeps its cluster heartbeat (read by /healthz) in the "queue" cache,
# which must be shared between the web and worker processes: Redis when there
# is one, a small file cache otherwise.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "cms.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "portal",
        },
        "queue": {
            "BACKEND": "cms.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "portal-q",
        },
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "portal",
        },
        "queue": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env.str("QUEUE_CACHE_DIR", default=str(BASE_DIR / ".cache" / "queue")),
        },
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: Vietnamese is the default (no URL prefix), English second (/en/).
LANGUAGE_CODE = "vi"
LANGUAGES = [
    ("vi", "Tiếng Việt"),
    ("en", "English"),
]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATIC_URL = "/static/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media/"
# Citizens' uploads never live under MEDIA_ROOT: they are served only through
# permission-checked views.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private_media")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Request size limits. The non-file part of a POST (answers, admin page JSON) may be
# 2.5 MB; uploads above 1 MB stream to a temporary file instead of memory. Each upload
# field checks its own size (forms.fields.PrivateFileField). Django has no cap on the
# whole body: the reverse proxy in front must set one (nginx: client_max_body_size 25m).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 1_048_576

LOGIN_URL = "wagtailadmin_login"

# Wagtail
WAGTAIL_SITE_NAME = "Cổng dịch vụ công"
WAGTAILADMIN_BASE_URL = env.str("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
PORTAL_PUBLIC_BASE_URL = env.str(
    "PORTAL_PUBLIC_BASE_URL", default=WAGTAILADMIN_BASE_URL
)  # printed in QR codes: {this}/q/<code>
# cms.search_backend: Wagtail's database backend, folding Vietnamese queries on SQLite.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "cms.search_backend"}}
if POSTGRESQL:
    # 'simple' + unaccent, created by cms/migrations/0002_search_unaccent.py, so search
    # ignores Vietnamese diacritics. (SQLite folds in its FTS5 tokenizer instead.)
    WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"] = "portal_vi"
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "doc", "odt", "pdf", "rtf", "txt", "xlsx", "xls", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILAPI_DOCS_ENABLED = True
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"

# Wagtail 8 hands its own background work (reference index, search index,
# image renditions) to django-tasks. It runs immediately, inside the request:
# the jobs are small and a separate queue would add a second moving part for
# no gain at our size. Our own background work runs on django-q2 (Q_CLUSTER).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# django-q2: the ORM broker works with the embedded SQLite database and needs
# no other server; Redis is used when REDIS_URL is set. `retry` must exceed
# `timeout` so that a slow task is never started twice while it still runs.
Q_CLUSTER = {
    "name": "portal",
    "workers": env.int("Q_WORKERS", default=2),
    "timeout": 60,
    "retry": 120,
    "max_attempts": 5,
    "queue_limit": 50,
    "bulk": 10,
    "catch_up": False,
    "cache": "queue",
    "label": _("Tác vụ nền"),
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"

# Notifications (forms.notifications). Every network call of a send task has its own timeout,
# well under Q_CLUSTER["timeout"], so a hanging server fails the attempt (retried with backoff:
# PORTAL_NOTIFICATION_RETRY_SECONDS × 2^attempt, at most MAX_ATTEMPTS) instead of the worker.
# Email: Django's backend (SMTP settings from the environment in production.py).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
# SMS: a dotted path to a class with send(phone, text). The default only logs (masked number);
# production sets forms.notifications.sms.HttpGatewayBackend and the gateway below: it POSTs
# {"to", "text"} as JSON, with a bearer token or basic-auth user/password when given.
PORTAL_SMS_BACKEND = env.str("PORTAL_SMS_BACKEND", default="forms.notifications.sms.LoggingBackend")
PORTAL_SMS_GATEWAY_URL = env.str("PORTAL_SMS_GATEWAY_URL", default="")
PORTAL_SMS_GATEWAY_TOKEN = env.str("PORTAL_SMS_GATEWAY_TOKEN", default="")
PORTAL_SMS_GATEWAY_USERNAME = env.str("PORTAL_SMS_GATEWAY_USERNAME", default="")
PORTAL_SMS_GATEWAY_PASSWORD = env.str("PORTAL_SMS_GATEWAY_PASSWORD", default="")
PORTAL_SMS_GATEWAY_TIMEOUT = env.float("PORTAL_SMS_GATEWAY_TIMEOUT", default=10.0)
PORTAL_NOTIFICATION_RETRY_SECONDS = env.int("PORTAL_NOTIFICATION_RETRY_SECONDS", default=60)
# A message left "sending" this long by a worker that died is taken over (and re-queued by
# the 5-minute sweep): keep it well above EMAIL_TIMEOUT, the SMS timeout and the task timeout.
PORTAL_NOTIFICATION_STALE_CLAIM_SECONDS = env.int("PORTAL_NOTIFICATION_STALE_CLAIM_SECONDS", default=300)
if PORTAL_SMS_BACKEND.endswith(".HttpGatewayBackend") and not PORTAL_SMS_GATEWAY_URL.startswith(
    ("http://", "https://")
):
    raise ImproperlyConfigured("PORTAL_SMS_BACKEND is the HTTP gateway: set PORTAL_SMS_GATEWAY_URL (http or https).")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO"), "propagate": False},
        "portal": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# The API is public and read only; cross-origin access stays off unless an
# operator lists origins here.
API_CORS_ALLOWED_ORIGINS = env.list("API_CORS_ALLOWED_ORIGINS", default=[])
