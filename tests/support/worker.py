"""Start a real django-q2 worker (qcluster) against the test database."""

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def database_url_for_tests():
    """DATABASE_URL pointing at the database the running tests use."""
    params = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{params['NAME']}"
    user = params.get("USER") or "postgres"
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    host = params.get("HOST") or "127.0.0.1"
    port = params.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{params['NAME']}"


@contextlib.contextmanager
def running_worker(timeout=30):
    """Run `manage.py qcluster` for the duration of the block; stop it with SIGINT."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "site_config.settings.test",
        "DATABASE_URL": database_url_for_tests(),
    }
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "qcluster"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        yield process
    finally:
        # qcluster ignores SIGTERM to its group while busy; SIGINT and a timeout stop it.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def run_due_schedules():
    """Turn the Schedules that are due into queued tasks now, as the worker's own scheduler
    does on its ~30 s cycle (django_q.scheduler, under the same row locks). The running
    worker still takes and runs the tasks; the test just does not wait for the cycle."""
    from django_q.scheduler import scheduler

    scheduler()


def wait_for(predicate, timeout=30, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()
