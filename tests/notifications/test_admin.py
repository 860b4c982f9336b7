"""Staff edit notification templates under Settings and read the messages; placeholders are checked."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from forms.notifications.constants import OFFICER_EVENTS, Channel, Event, NotificationStatus
from forms.notifications.models import Notification, NotificationTemplate


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
