"""The nightly Schedules exist, name importable functions, and a real worker runs them."""

import importlib
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.module_loading import import_string
from django_q.brokers import get_broker
from django_q.models import Failure, Schedule, Success
from django_q.scheduler import scheduler

from forms.constants import DossierStatus
from forms.housekeeping.models import DossierErasure
from forms.models import Dossier, DossierFile, StatusChange
from forms.storage import private_storage
from tests.factories.forms import make_dossier, make_form_page
from tests.support.worker import running_worker, wait_for

migration = importlib.import_module("forms.housekeeping.migrations.0002_daily_schedules")
S = DossierStatus


@pytest.mark.django_db
def test_nightly_schedules_exist_with_importable_functions():
    for name, (func, at) in migration.SCHEDULES.items():
        schedule = Schedule.objects.get(name=name)
        assert schedule.func == func
        assert callable(import_string(func))
        assert (schedule.schedule_type, schedule.repeats) == (Schedule.DAILY, -1)
        assert schedule.next_run.astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).time() == at


@pytest.mark.django_db
def test_schedule_migration_can_run_again_and_be_reversed():
    migration.create_schedules(apps, None)
    assert Schedule.objects.filter(name__in=migration.SCHEDULES).count() == 2
    migration.remove_schedules(apps, None)
    assert not Schedule.objects.filter(name__in=migration.SCHEDULES).exists()


@pytest.mark.django_db
def test_scheduled_functions_run_as_named(demo_site):
    """The functions the Schedules name, called the way the worker calls them."""
    funcs = {name: import_string(func) for name, (func, _at) in migration.SCHEDULES.items()}
    housekeeping, retention = funcs.values()
    assert set(housekeeping()) == {"expired_sessions", "idempotency_keys", "task_results"}
    summary = retention(dry_run=True)
    assert set(summary) == {"dossiers", "files", "run"}


def old_refused_dossier(home):
    dossier = make_dossier(make_form_page(home))
    Dossier.objects.filter(pk=dossier.pk).update(status=S.REFUSED)
    StatusChange.objects.create(
        dossier=dossier, from_status=S.NEW, to_status=S.REFUSED, created_at=timezone.now() - timedelta(days=800)
    )
    stored = private_storage.save(f"dossiers/{dossier.pk}/worker.jpg", ContentFile(b"\xff\xd8 worker"))
    DossierFile.objects.create(
        dossier=dossier,
        field_key="anh_chan_dung",
        original_name="anh.jpg",
        content_type="image/jpeg",
        size=8,
        sha256="",
        stored_name=stored,
    )
    return dossier, stored


@pytest.mark.django_db(transaction=True)
def test_real_worker_runs_the_nightly_schedules(demo_site):
    dossier, stored = old_refused_dossier(demo_site)
    store = SessionStore()
    store["x"] = 1
    store.create()
    Session.objects.filter(session_key=store.session_key).update(expire_date=timezone.now() - timedelta(days=1))
    # A flushed database (after other transactional tests) has lost the migration's rows: make them again.
    migration.create_schedules(apps, None)
    Schedule.objects.filter(name__in=migration.SCHEDULES).update(next_run=timezone.now() - timedelta(minutes=1))
    scheduler(broker=get_broker())  # what the cluster's guard loop does about every 30 seconds
    funcs = [func for func, _at in migration.SCHEDULES.values()]
    with running_worker() as worker:
        done = wait_for(lambda: Success.objects.filter(func__in=funcs).count() == 2, timeout=60)
    failures = list(Failure.objects.filter(func__in=funcs).values_list("func", "result"))
    assert done, f"the worker did not run both scheduled functions: {failures} {worker.stdout.read()[-3000:]!r}"
    assert DossierErasure.objects.filter(dossier=dossier).exists()
    assert not private_storage.exists(stored)
    assert not Session.objects.filter(session_key=store.session_key).exists()
    dossier.refresh_from_db()
    assert dossier.applicant_name == "" and dossier.status == S.REFUSED
    # The Schedules moved on to the next night.
    assert all(s.next_run > timezone.now() for s in Schedule.objects.filter(name__in=migration.SCHEDULES))
