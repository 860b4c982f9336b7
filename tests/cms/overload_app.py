"""A tiny Django app for tests/cms/test_overload.py, served by gunicorn with our gunicorn.conf.py:
the overload middleware in front of one slow view (/slow/) and one fast view (/fast/)."""

import time

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY="overload-test-only",  # noqa: S106 - a throwaway test process
    ALLOWED_HOSTS=["127.0.0.1"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=["cms.middleware.OverloadMiddleware"],
    INSTALLED_APPS=[],
    DATABASES={},
    PORTAL_MAX_QUEUE_SECONDS=0.5,
    PORTAL_OVERLOAD_RETRY_AFTER=7,
)


def slow(request):
    time.sleep(2)
    return HttpResponse("slow")


def fast(request):
    return HttpResponse("fast")


urlpatterns = [path("slow/", slow), path("fast/", fast)]
application = get_wsgi_application()
