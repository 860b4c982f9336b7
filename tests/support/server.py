"""Serve the test database over HTTP from a separate process, as production would."""

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

from .worker import ROOT, database_url_for_tests


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_server(timeout=60):
    """Run `manage.py runserver` on a free port against the test database; yield its base URL."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "site_config.settings.test",
        "DATABASE_URL": database_url_for_tests(),
        "PORTAL_TEST_DUMMY_CACHE": "1",
    }
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "runserver", "--noreload", "--nothreading", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                urllib.request.urlopen(url + "/healthz", timeout=2)  # noqa: S310 - loopback only
                break
            except (urllib.error.URLError, ConnectionError):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the test server did not start") from None
                time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        # PostgreSQL closes the server's session a moment after the process exits;
        # give it that moment before pytest-django drops the test database.
        time.sleep(1)
