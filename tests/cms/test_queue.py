"""The django-q2 worker really runs tasks, and /healthz reports the queue: pending, oldest, heartbeat."""

import json
import os
import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from django_q.brokers import get_broker
from django_q.models import OrmQ, Success
from django_q.signing import SignedPackage
from django_q.tasks import async_task

from cms.views import BACKLOG_STALE_SECONDS
from tests.support.worker import database_url_for_tests, running_worker, wait_for

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db(transaction=True)
def test_worker_runs_a_task_and_healthz_sees_its_heartbeat(client):
    task_id = async_task("math.floor", 7.9)
    pending = client.get("/healthz").json()["queue"]
    assert pending["pending"] >= 1 and pending["oldest_pending_age_seconds"] is not None
    with running_worker():
        done = wait_for(lambda: Success.objects.filter(id=task_id).first(), timeout=40)
        assert done is not None, "the worker did not run the task"
        assert done.result == 7
        queue = wait_for(
            lambda: client.get("/healthz").json()["queue"]["ok"] and client.get("/healthz").json()["queue"]
        )
    assert queue["ok"] is True
    assert queue["clusters"] >= 1
    assert queue["pending"] == 0 and queue["oldest_pending_age_seconds"] is None
    assert queue["last_heartbeat"] and queue["age_seconds"] < 120


def enqueue_aged(seconds):
    """An ORM-broker task queued `seconds` ago (the package carries its enqueue time)."""
    broker = get_broker()
    package = SignedPackage.dumps(
        {
            "id": uuid.uuid4().hex,
            "name": "healthz-aged",
            "func": "math.floor",
            "args": ("0912345678",),
            "kwargs": {},
            "started": timezone.now() - timedelta(seconds=seconds),
        }
    )
    return OrmQ.objects.create(key=broker.list_key, payload=package, lock=timezone.now() - timedelta(seconds=seconds))


@pytest.mark.django_db
def test_healthz_reports_the_oldest_pending_task_and_a_backlog(client):
    enqueue_aged(BACKLOG_STALE_SECONDS + 300)
    response = client.get("/healthz")
    assert response.status_code == 200  # a backlog is reported, never a 503 (see cms.views.healthz)
    queue = response.json()["queue"]
    assert queue["broker"] == "orm"
    assert queue["pending"] >= 1
    assert queue["oldest_pending_age_seconds"] >= BACKLOG_STALE_SECONDS + 299
    assert queue["backlog"] is True and queue["ok"] is False
    body = response.content.decode()
    assert "math.floor" not in body and "0912345678" not in body and "healthz-aged" not in body


@pytest.mark.django_db
def test_healthz_does_not_count_tasks_a_worker_holds(client):
    before = client.get("/healthz").json()["queue"]["pending"]
    held = enqueue_aged(5)
    OrmQ.objects.filter(pk=held.pk).update(lock=timezone.now() + timedelta(seconds=120))
    assert client.get("/healthz").json()["queue"]["pending"] == before


@pytest.mark.django_db
def test_healthz_reports_the_redis_queue_when_redis_url_is_set():
    """A process configured with REDIS_URL: a task on a private Redis list is counted and aged."""
    script = (
        "import django, json, uuid; django.setup();"
        "from django_q.conf import Conf; Conf.CLUSTER_NAME = 'healthz-' + uuid.uuid4().hex[:8];"
        "from django_q.brokers import get_broker; from django_q.tasks import async_task;"
        "from django.test import Client;"
        "broker = get_broker();"
        "async_task('math.floor', 1.5); async_task('math.floor', 2.5);"
        "r = Client().get('/healthz');"
        "broker.delete_queue();"
        "print(json.dumps({'status': r.status_code, 'queue': r.json()['queue']}))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "site_config.settings.test",
        "DATABASE_URL": database_url_for_tests(),
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True
    )
    data = json.loads(result.stdout.strip().splitlines()[-1])
    assert data["status"] == 200
    queue = data["queue"]
    assert queue["broker"] == "redis"
    assert queue["pending"] == 2
    assert 0 <= queue["oldest_pending_age_seconds"] < 30
    assert "last_heartbeat" in queue and "ok" in queue
