"""An overloaded worker answers 503 with Retry-After at once instead of hanging.

The real thing: gunicorn with our gunicorn.conf.py (its queue-timing gthread worker), one
worker with 2 threads, in front of a 2-second view; 8 requests at once. Two run; the other
six wait for a thread longer than PORTAL_MAX_QUEUE_SECONDS (0.5 s) and are refused with 503 +
Retry-After as soon as a thread takes them, so everything is answered in about one slow
request's time, far under the gunicorn timeout.
"""

import concurrent.futures
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from cms.middleware import OverloadMiddleware, mark_queued
from tests.support.server import free_port

ROOT = Path(__file__).resolve().parents[2]


def _get(url):
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - loopback
            return response.status, dict(response.headers), time.monotonic() - started
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), time.monotonic() - started


@pytest.fixture
def gunicorn_server():
    port = free_port()
    env = {
        **os.environ,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_THREADS": "2",
        "GUNICORN_MAX_REQUESTS": "0",
    }
    env.pop("GUNICORN_WORKER_CLASS", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    process = subprocess.Popen(  # noqa: S603 - our own gunicorn
        [sys.executable, "-m", "gunicorn", "tests.cms.overload_app:application", "--config", "gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if _get(f"{base}/fast/")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail(f"gunicorn did not start: {process.stderr.read().decode()[-2000:]}")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_an_overloaded_gunicorn_worker_answers_503_with_retry_after_quickly(gunicorn_server):
    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(_get, [f"{gunicorn_server}/slow/"] * 8))
    took = time.monotonic() - started
    statuses = sorted(status for status, _headers, _seconds in results)
    assert statuses.count(200) >= 2
    refused = [(headers, seconds) for status, headers, seconds in results if status == 503]
    assert len(refused) >= 4, statuses
    assert all(headers.get("Retry-After") == "7" for headers, _seconds in refused)
    # Served one after another, 8 slow requests on 2 threads would take 8 s; refused, the
    # queue drains right after the first two.
    assert took < 5, took
    # And the worker is fine afterwards.
    assert _get(f"{gunicorn_server}/fast/")[0] == 200


@override_settings(PORTAL_MAX_QUEUE_SECONDS=2, PORTAL_OVERLOAD_RETRY_AFTER=9)
def test_a_request_queued_too_long_behind_the_proxy_gets_503():
    middleware = OverloadMiddleware(lambda request: HttpResponse("ok"))
    factory = RequestFactory()
    now = time.time()
    stale = middleware(factory.get("/", HTTP_X_REQUEST_START=f"t={now - 3:.3f}"))
    assert stale.status_code == 503
    assert stale["Retry-After"] == "9"
    assert "no-store" in stale["Cache-Control"]
    assert "quá tải" in stale.content.decode()
    fresh = middleware(factory.get("/", HTTP_X_REQUEST_START=f"t={int((now - 0.5) * 1_000_000)}"))
    assert fresh.status_code == 200
    assert middleware(factory.get("/", HTTP_X_REQUEST_START="nonsense")).status_code == 200
    assert middleware(factory.get("/")).status_code == 200


@override_settings(PORTAL_MAX_QUEUE_SECONDS=2)
def test_the_worker_stamp_is_per_thread():
    middleware = OverloadMiddleware(lambda request: HttpResponse("ok"))
    mark_queued(3.0)
    try:
        assert middleware(RequestFactory().get("/")).status_code == 503
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            other = pool.submit(lambda: middleware(RequestFactory().get("/")).status_code).result()
        assert other == 200
    finally:
        mark_queued(None)
    assert middleware(RequestFactory().get("/")).status_code == 200
