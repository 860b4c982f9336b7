"""Housekeeping purges: expired sessions, idempotency keys past their age, old django-q2 failures."""

import uuid
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone
from django_q.models import Failure, Success, Task

from forms.housekeeping.purges import (
    purge_expired_sessions,
    purge_idempotency_keys,
    purge_old_task_results,
    run_purges,
)
from forms.models import Dossier
from tests.factories.forms import make_dossier, make_form_page

pytestmark = pytest.mark.django_db


def session(expires_in):
    store = SessionStore()
    store["forms.draft"] = {"answers": {"ho_ten": "NGUYỄN VĂN AN"}, "submit_token": "t"}
    store.create()
    Session.objects.filter(session_key=store.session_key).update(expire_date=timezone.now() + expires_in)
    return store.session_key


def task(*, success, days_ago):
    stopped = timezone.now() - timedelta(days=days_ago)
    return Task.objects.create(
        id=uuid.uuid4().hex,
        name=f"t-{uuid.uuid4().hex[:8]}",
        func="math.floor",
        started=stopped - timedelta(seconds=1),
        stopped=stopped,
        success=success,
    ).pk


def test_expired_sessions_are_purged_and_live_ones_kept():
    expired, live = session(timedelta(days=-1)), session(timedelta(days=1))
    dry = purge_expired_sessions(dry_run=True)
    assert dry.count >= 1 and Session.objects.filter(session_key=expired).exists()
    result = purge_expired_sessions()
    assert result.count >= 1
    assert not Session.objects.filter(session_key=expired).exists()
    assert Session.objects.filter(session_key=live).exists()


def test_idempotency_keys_expire_but_demo_keys_stay(demo_site, settings):
    settings.PORTAL_IDEMPOTENCY_KEY_MAX_AGE = 7 * 24 * 3600
    page = make_form_page(demo_site)
    old = make_dossier(page, key="html:old-token")
    old_api = make_dossier(page, key=f"api:{page.pk}:0b9c")
    fresh = make_dossier(page, key="html:fresh-token")
    demo = make_dossier(page, key="demo:h3-test")
    Dossier.objects.filter(pk__in=[old.pk, old_api.pk, demo.pk]).update(submitted_at=timezone.now() - timedelta(days=8))
    assert purge_idempotency_keys(dry_run=True).count >= 2
    assert Dossier.objects.get(pk=old.pk).idempotency_key == "html:old-token"
    result = purge_idempotency_keys()
    assert result.count >= 2
    keys = dict(
        Dossier.objects.filter(pk__in=[old.pk, old_api.pk, fresh.pk, demo.pk]).values_list("pk", "idempotency_key")
    )
    assert keys == {old.pk: None, old_api.pk: None, fresh.pk: "html:fresh-token", demo.pk: "demo:h3-test"}


def test_old_failures_are_purged_successes_are_left_to_save_limit():
    old_failure, new_failure = task(success=False, days_ago=40), task(success=False, days_ago=2)
    old_success = task(success=True, days_ago=40)
    result = purge_old_task_results()
    assert result.count >= 1
    assert not Failure.objects.filter(pk=old_failure).exists()
    assert Failure.objects.filter(pk=new_failure).exists()
    assert Success.objects.filter(pk=old_success).exists()


def test_command_dry_run_reports_counts_and_changes_nothing():
    expired = session(timedelta(days=-1))
    out = StringIO()
    call_command("housekeeping", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "expired_sessions: would purge" in text and "idempotency_keys" in text and "task_results" in text
    assert "NGUYỄN" not in text
    assert Session.objects.filter(session_key=expired).exists()


def test_run_purges_gives_one_result_per_purge():
    names = [result.name for result in run_purges(dry_run=True)]
    assert names == ["expired_sessions", "idempotency_keys", "task_results"]
