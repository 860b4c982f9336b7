"""Officers: told of a new dossier of their agency, an assignment, a supplement returned; a daily digest."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django_q.models import Schedule

from forms.constants import DossierStatus
from forms.models import Dossier
from forms.notifications import tasks
from forms.notifications.constants import Channel, Event, NotificationStatus
from forms.notifications.models import Notification
from forms.review import services
from forms.review.calendar import add_working_days, local_day
from forms.review.citizen import submit_supplement
from tests.factories.review import make_review_dossier, move_to, user

S = DossierStatus


@pytest.fixture
def officer(demo_site):
    return user("officer")


@pytest.fixture
def admin_client(client, demo_site):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.filter(is_superuser=True).first())
    return client


@pytest.fixture
def dossier(demo_site):
    return make_review_dossier(demo_site)


def officer_messages(dossier, event):
    return Notification.objects.filter(dossier=dossier, event=event, user__isnull=False)


def test_new_dossier_is_announced_to_the_officers_of_its_agency_only(dossier):
    rows = officer_messages(dossier, Event.OFFICER_NEW_DOSSIER)
    assert list(rows.values_list("user__username", "channel", "recipient")) == [
        ("officer", Channel.EMAIL, "officer@example.gov.vn")
    ]
    message = rows.get()
    assert dossier.code in message.subject
    assert reverse("dossiers:inspect", args=[dossier.pk]) in message.body_text
    assert message.status == NotificationStatus.QUEUED


def test_assignment_tells_the_assignee_but_not_an_officer_who_takes_it_himself(dossier, officer):
    services.receive_dossier(dossier.pk, officer)  # takes it: no message to himself
    assert not officer_messages(dossier, Event.OFFICER_ASSIGNED).exists()
    manager = user("manager")
    services.assign_dossier(dossier.pk, officer, manager)
    services.assign_dossier(dossier.pk, officer, manager)  # already his: nothing new
    assert list(officer_messages(dossier, Event.OFFICER_ASSIGNED).values_list("user__username", flat=True)) == [
        "manager"
    ]


def test_supplement_returned_by_the_citizen_tells_the_assignee(dossier, officer):
    move_to(dossier, S.PROCESSING, officer)
    services.request_supplement(dossier.pk, officer, items=["ho_ten"], message="Ghi rõ họ tên")
    assert not officer_messages(dossier, Event.OFFICER_SUPPLEMENT_RETURNED).exists()
    change = submit_supplement(dossier.pk, answers={"ho_ten": "NGUYỄN VĂN BÌNH"})
    (message,) = officer_messages(dossier, Event.OFFICER_SUPPLEMENT_RETURNED)
    assert message.user == officer
    assert message.status_change == change


def _assigned_with_due_date(home, officer, due_date):
    dossier = make_review_dossier(home)
    move_to(dossier, S.PROCESSING, officer)
    Dossier.objects.filter(pk=dossier.pk).update(due_date=due_date)
    return dossier


def test_daily_digest_lists_due_and_overdue_dossiers_once_a_day(demo_site, officer, admin_client):
    today = local_day()
    Dossier.objects.filter(assignee=officer).update(assignee=None)  # the demo's own dossiers
    overdue = _assigned_with_due_date(demo_site, officer, today - timedelta(days=3))
    due = _assigned_with_due_date(demo_site, officer, add_working_days(today, 1))
    later = _assigned_with_due_date(demo_site, officer, add_working_days(today, 5))
    assert tasks.send_officer_digests(today) == 1
    assert tasks.send_officer_digests(today) == 0  # a second run the same day queues nothing
    digest = Notification.objects.get(event=Event.OFFICER_DIGEST, user=officer)
    assert digest.dossier is None and digest.recipient == "officer@example.gov.vn"
    assert overdue.code in digest.body_text and due.code in digest.body_text
    assert later.code not in digest.body_text
    assert digest.body_text.index(overdue.code) < digest.body_text.index(due.code)
    assert reverse("dossiers:inspect", args=[due.pk]) in digest.body_html
    assert digest.subject.endswith(": 2")
    # a message without a dossier is listed and inspected like the others
    assert admin_client.get(reverse("notifications:index"), {"event": Event.OFFICER_DIGEST}).status_code == 200
    assert admin_client.get(reverse("notifications:inspect", args=[digest.pk])).status_code == 200


def test_digest_schedule_migration_is_idempotent_and_reversible(db):
    migration = importlib.import_module("forms.notifications.migrations.0005_schedule_officer_digest")
    migration.create_schedule(apps, None)
    migration.create_schedule(apps, None)
    schedule = Schedule.objects.get(name=migration.SCHEDULE_NAME)
    assert (schedule.func, schedule.schedule_type, schedule.repeats) == (tasks.DIGEST_TASK, Schedule.DAILY, -1)
    assert callable(import_string(schedule.func))
    local = timezone.localtime(schedule.next_run)
    assert (local.hour, local.minute) == (7, 0) and schedule.next_run > timezone.now()
    migration.remove_schedule(apps, None)
    assert not Schedule.objects.filter(name=migration.SCHEDULE_NAME).exists()


def test_officer_sees_his_recent_messages_on_the_admin_home(client, dossier, officer):
    client.force_login(officer)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "officer-messages" in html
    assert dossier.code in html
    client.force_login(user("officer2"))  # another agency: nothing about this dossier
    assert dossier.code not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_officer_messages_follow_the_officers_admin_language(demo_site, officer):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(officer)
    profile.preferred_language = "en"
    profile.save()
    dossier = make_review_dossier(demo_site)
    message = officer_messages(dossier, Event.OFFICER_NEW_DOSSIER).get()
    assert (message.language, message.subject) == ("en", f"New application {dossier.code}")
    Dossier.objects.filter(assignee=officer).update(assignee=None)
    overdue = _assigned_with_due_date(demo_site, officer, local_day() - timedelta(days=1))
    tasks.send_officer_digests()
    digest = Notification.objects.get(event=Event.OFFICER_DIGEST, user=officer)
    assert digest.language == "en"
    assert digest.subject.startswith("Applications due and overdue on")
    assert "Overdue applications:" in digest.body_text and overdue.code in digest.body_text
