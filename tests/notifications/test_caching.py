"""Templates and officers are kept per worker (forms.notifications.caching): read once, and read
again as soon as staff change a template, an officer, a membership or a group."""

import contextlib

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cms.models import AgencyMembership
from forms.notifications.constants import Channel, Event
from forms.notifications.models import Notification, NotificationTemplate
from forms.notifications.services import record_submission
from forms.review.permissions import OFFICERS_GROUP
from tests.factories.review import make_review_dossier, pa08, user

pytestmark = pytest.mark.django_db


def officers_told(dossier):
    rows = Notification.objects.filter(dossier=dossier, event=Event.OFFICER_NEW_DOSSIER)
    return sorted(rows.values_list("user__username", flat=True))


@pytest.fixture
def officer(demo_site):
    return user("officer")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a change as if its transaction committed: the work queued for the commit runs too."""

    @contextlib.contextmanager
    def run():
        with django_capture_on_commit_callbacks(execute=True):
            yield

    return run


def _recorded_again(dossier):
    """Record the submission's messages once more (its first ones deleted), counting the queries."""
    Notification.objects.filter(dossier=dossier).delete()
    with CaptureQueriesContext(connection) as queries:
        record_submission(dossier)
    return queries


def test_second_submission_reads_neither_templates_nor_officers(demo_site, officer):
    make_review_dossier(demo_site)  # the worker reads them once
    dossier = make_review_dossier(demo_site)
    queries = _recorded_again(dossier)
    reads = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    assert reads == []
    assert officers_told(dossier) == ["officer"]


def _deactivate(officer):
    officer.is_active = False
    officer.save()


def _leave_the_officers_group(officer):
    officer.groups.remove(Group.objects.get(name=OFFICERS_GROUP))


def _leave_the_agency(officer):
    AgencyMembership.objects.filter(user=officer, agency=pa08()).delete()


def _clear_the_email(officer):
    officer.email = ""
    officer.save(update_fields=["email"])


def _rename_the_group(officer):
    group = Group.objects.get(name=OFFICERS_GROUP)
    group.name = "Cán bộ cũ"
    group.save()


@pytest.mark.parametrize(
    "change", [_deactivate, _leave_the_officers_group, _leave_the_agency, _clear_the_email, _rename_the_group]
)
def test_officer_who_no_longer_qualifies_is_not_told_of_the_next_dossier(demo_site, officer, committed, change):
    assert officers_told(make_review_dossier(demo_site)) == ["officer"]
    with committed():
        change(officer)
    assert officers_told(make_review_dossier(demo_site)) == []


def test_officer_added_to_the_agency_is_told_of_the_next_dossier(demo_site, officer, committed):
    assert officers_told(make_review_dossier(demo_site)) == ["officer"]
    with committed():
        pa08().members.add(user("officer2"))
    assert officers_told(make_review_dossier(demo_site)) == ["officer", "officer2"]


def test_officers_marked_inactive_from_the_user_listing_are_not_told(demo_site, officer, client):
    """Wagtail's bulk action updates the users without a model signal: its hook invalidates."""
    assert officers_told(make_review_dossier(demo_site)) == ["officer"]
    client.force_login(get_user_model().objects.filter(is_superuser=True).first())
    url = reverse("wagtail_bulk_action", args=["auth", "user", "set_active_state"]) + f"?id={officer.pk}"
    response = client.post(url, {"mark_as_active": "False"})
    assert response.status_code == 302
    assert not get_user_model().objects.get(pk=officer.pk).is_active
    assert officers_told(make_review_dossier(demo_site)) == []


def test_a_change_that_is_rolled_back_is_not_kept(demo_site, officer):
    assert officers_told(make_review_dossier(demo_site)) == ["officer"]
    with contextlib.suppress(RuntimeError), transaction.atomic():
        _deactivate(officer)
        # the worker that makes a change sees it at once...
        assert officers_told(make_review_dossier(demo_site)) == []
        raise RuntimeError("the admin request fails")
    # ...and what it read meanwhile is not what it keeps
    assert officers_told(make_review_dossier(demo_site)) == ["officer"]


def test_edited_template_is_used_for_the_next_message(demo_site, committed):
    make_review_dossier(demo_site)
    template = NotificationTemplate.objects.get(event=Event.SUBMITTED, channel=Channel.SMS, language="vi")
    template.body_text = "Hồ sơ {{ code }} đã được nhận (mẫu mới)."
    with committed():
        template.save()
    dossier = make_review_dossier(demo_site)
    sms = Notification.objects.get(dossier=dossier, event=Event.SUBMITTED, channel=Channel.SMS)
    assert sms.body_text == f"Hồ sơ {dossier.code} đã được nhận (mẫu mới)."
    with committed():
        template.delete()
    dossier = make_review_dossier(demo_site)
    assert not Notification.objects.filter(dossier=dossier, event=Event.SUBMITTED, channel=Channel.SMS).exists()


def test_signing_in_keeps_the_officers(demo_site, officer, client, demo_password):
    make_review_dossier(demo_site)
    assert client.login(username="officer", password=demo_password)  # saves last_login
    queries = _recorded_again(make_review_dossier(demo_site))
    assert not [q for q in queries.captured_queries if "auth_user" in q["sql"]]


def test_another_workers_change_is_seen_within_the_check_interval(demo_site, officer, settings, tmp_path):
    """In front of a shared cache (a file cache here, Redis in production) a worker trusts its
    copy of the generation for CHECK_SECONDS, then reads it again."""
    import time

    from django.core.cache import cache

    from forms.notifications import caching

    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(tmp_path)},
    }
    soon, later = make_review_dossier(demo_site), make_review_dossier(demo_site)  # the worker reads them
    # another worker deactivates the officer and bumps the shared generation
    get_user_model().objects.filter(pk=officer.pk).update(is_active=False)
    cache.set(caching.GENERATION_KEY, "another worker's", timeout=None)
    _recorded_again(soon)
    assert officers_told(soon) == ["officer"]  # this worker's copy is trusted a moment longer
    time.sleep(caching.CHECK_SECONDS + 0.1)
    _recorded_again(later)
    assert officers_told(later) == []
