"""The django-q2 worker really runs tasks, and /healthz reports its heartbeat."""

import pytest
from django_q.models import Success
from django_q.tasks import async_task

from tests.support.worker import running_worker, wait_for


@pytest.mark.django_db(transaction=True)
def test_worker_runs_a_task_and_healthz_sees_its_heartbeat(client):
    task_id = async_task("math.floor", 7.9)
    with running_worker():
        done = wait_for(lambda: Success.objects.filter(id=task_id).first(), timeout=40)
        assert done is not None, "the worker did not run the task"
        assert done.result == 7
        queue = wait_for(
            lambda: client.get("/healthz").json()["queue"]["ok"] and client.get("/healthz").json()["queue"]
        )
    assert queue["ok"] is True
    assert queue["clusters"] >= 1
