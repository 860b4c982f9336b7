"""Production: everything comes from the environment; a missing required
variable stops start-up with one line naming it."""

import sys

from .base import *  # noqa: F403
from .base import env

REQUIRED = ["SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"]


def _require(name):
    value = env.str(name, default="")
    if not value:
        # One clear line and a non-zero exit, not a traceback.
        sys.exit(f"Missing required environment variable: {name}")
    return value


for _name in REQUIRED:
    _require(_name)

DEBUG = False
SECRET_KEY = env.str("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[f"https://{h}" for h in ALLOWED_HOSTS if h != "*"])
# DATABASES: base.py reads DATABASE_URL (required above), with its PostgreSQL options.

# Behind a TLS-terminating proxy.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Email: SMTP configured from the environment.
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="no-reply@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Storage: local disk by default (a mounted volume); MEDIA_ROOT, STATIC_ROOT
# and PRIVATE_MEDIA_ROOT are read in base.py.
WAGTAILADMIN_BASE_URL = env.str("WAGTAILADMIN_BASE_URL", default=f"https://{ALLOWED_HOSTS[0]}")

# Per-client limit on final form submissions (forms.ratelimit): 10 an hour by default. Only
# the benchmark raises it (bench/run), because all its requests come from 127.0.0.1.
PORTAL_FORMS_SUBMIT_RATE = (env.int("SUBMIT_RATE_LIMIT", default=10), env.int("SUBMIT_RATE_WINDOW", default=3600))

# Overload: a request that waited longer than this for a worker thread (gunicorn.conf.py's
# worker, or nginx's X-Request-Start) gets 503 + Retry-After at once. First, so that a refused
# request costs nothing else. Well under the gunicorn timeout (30 s).
MIDDLEWARE = ["cms.middleware.OverloadMiddleware", *MIDDLEWARE]  # noqa: F405
PORTAL_MAX_QUEUE_SECONDS = env.float("MAX_QUEUE_SECONDS", default=5.0)
PORTAL_OVERLOAD_RETRY_AFTER = env.int("OVERLOAD_RETRY_AFTER", default=10)
