"""Staff edit notification templates under Settings and read the messages; placeholders are checked."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import ModelLogEntry

from forms.notifications.constants import OFFICER_EVENTS, Channel, Event, NotificationStatus
from forms.notifications.demo import FAILED_DEMO_DOSSIER
from forms.notifications.models import Notification, NotificationTemplate
from forms.notifications.views import RETRY_ACTION


@pytest.fixture
def admin_client(client, demo_site):
    admin = get_user_model().objects.filter(is_superuser=True).first()
    client.force_login(admin)
    return client


def test_default_templates_exist_for_every_event_channel_and_language(demo_site):
    citizen_events = set(Event.values) - OFFICER_EVENTS
    for language in ("vi", "en"):
        for event in citizen_events:
            for channel in Channel.values:
                assert NotificationTemplate.objects.filter(event=event, channel=channel, language=language).exists()
        for event in OFFICER_EVENTS - {Event.OFFICER_DIGEST}:
            assert NotificationTemplate.objects.filter(event=event, channel=Channel.EMAIL, language=language).exists()
    assert not NotificationTemplate.objects.exclude(event__in=Event.values).exists()


def test_staff_list_templates_and_messages(admin_client):
    assert admin_client.get(reverse("notification_templates:index")).status_code == 200
    assert admin_client.get(reverse("notifications:index")).status_code == 200
    assert admin_client.get(reverse("notifications:add")).status_code in (302, 403)


def test_saving_a_template_with_an_unknown_placeholder_shows_the_error(admin_client):
    template = NotificationTemplate.objects.get(event=Event.FINISHED, channel=Channel.SMS, language="vi")
    response = admin_client.post(
        reverse("notification_templates:edit", args=[template.pk]),
        {
            "event": template.event,
            "channel": template.channel,
            "language": template.language,
            "subject": "",
            "body_text": "Hồ sơ {{ code }} của {{ applicant_name }}",
            "body_html": "",
        },
    )
    assert response.status_code == 200
    assert "applicant_name" in response.content.decode()
    template.refresh_from_db()
    assert "applicant_name" not in template.body_text


def test_demo_dossiers_have_a_sent_history_and_nothing_queued(demo_site):
    demo = Notification.objects.filter(dossier__idempotency_key__startswith="demo:")
    assert demo.filter(status=NotificationStatus.SENT, event=Event.SUBMITTED).count() >= 50
    assert not demo.filter(status=NotificationStatus.QUEUED).exists()
    failed = demo.get(status=NotificationStatus.FAILED)
    assert "HTTP 503" in failed.last_error


def test_template_edit_view_previews_subject_text_and_html_in_the_templates_language(admin_client):
    template = NotificationTemplate.objects.get(event=Event.RETURNED_BY_POST, channel=Channel.EMAIL, language="en")
    html = admin_client.get(reverse("notification_templates:edit", args=[template.pk])).content.decode()
    assert "notification-preview" in html
    assert "Application 000.00.00.H00-260101-0001: result sent by post" in html  # sample dossier, English
    assert "Tracking number: EB123456789VN" in html
    assert 'sandbox="" srcdoc="&lt;p&gt;The result of application' in html
    sms = NotificationTemplate.objects.get(event=Event.RATING_REQUESTED, channel=Channel.SMS, language="vi")
    html = admin_client.get(reverse("notification_templates:edit", args=[sms.pk])).content.decode()
    assert "Mời bạn đánh giá" in html and "/tra-cuu/lien-ket/" in html
    assert "srcdoc" not in html


def test_list_filters_by_status_channel_and_event_and_shows_failures_with_a_retry_button(admin_client):
    failed = Notification.objects.get(dossier__idempotency_key=FAILED_DEMO_DOSSIER, status=NotificationStatus.FAILED)
    response = admin_client.get(
        reverse("notifications:index"),
        {"status": NotificationStatus.FAILED, "channel": Channel.SMS, "event": Event.SUBMITTED},
    )
    html = response.content.decode()
    assert "HTTP 503" in html
    assert reverse("notifications:retry", args=[failed.pk]) in html
    sent = admin_client.get(reverse("notifications:index"), {"status": NotificationStatus.SENT}).content.decode()
    assert "HTTP 503" not in sent and "notifications/retry/" not in sent


def test_retry_requeues_a_failed_message_logs_it_and_is_post_only(admin_client, django_capture_on_commit_callbacks):
    failed = Notification.objects.get(dossier__idempotency_key=FAILED_DEMO_DOSSIER, status=NotificationStatus.FAILED)
    url = reverse("notifications:retry", args=[failed.pk])
    assert admin_client.get(url).status_code == 405
    with django_capture_on_commit_callbacks() as callbacks:
        response = admin_client.post(url)
    assert response.status_code == 302
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (NotificationStatus.QUEUED, 0)
    assert len(callbacks) == 1  # the send, queued after the commit
    entry = ModelLogEntry.objects.get(action=RETRY_ACTION, object_id=str(failed.pk))
    assert "HTTP 503" in entry.data["last_error"]
    # a message that is not failed is not sent again
    assert admin_client.post(url).status_code == 302
    failed.refresh_from_db()
    assert failed.status == NotificationStatus.QUEUED


def test_staff_without_change_permission_cannot_retry(client, demo_site):
    failed = Notification.objects.get(dossier__idempotency_key=FAILED_DEMO_DOSSIER, status=NotificationStatus.FAILED)
    client.force_login(get_user_model().objects.get(username="officer"))
    assert client.post(reverse("notifications:retry", args=[failed.pk])).status_code in (302, 403)
    failed.refresh_from_db()
    assert failed.status == NotificationStatus.FAILED


def test_admin_home_tells_staff_who_may_retry_how_many_messages_failed(admin_client, client):
    html = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "failed-notifications" in html
    assert reverse("notifications:index") + "?status=failed" in html
    client.force_login(get_user_model().objects.get(username="officer"))
    assert "failed-notifications" not in client.get(reverse("wagtailadmin_home")).content.decode()
