"""Notifications: rows made in the event's transaction, idempotent sending, retries, template checks."""

import contextlib
import logging
import re
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django_q.models import Schedule

from forms.constants import DossierStatus, ResultDelivery
from forms.models import Dossier, FieldType
from forms.notifications import tasks
from forms.notifications.constants import MAX_ATTEMPTS, Channel, Event, NotificationStatus
from forms.notifications.models import Notification, NotificationTemplate
from forms.notifications.services import record_event
from forms.review import services
from tests.factories.forms import TEST_FORM, make_form_page, make_guide, row
from tests.factories.review import make_review_dossier, move_to, pa08, user

S = DossierStatus


@pytest.fixture
def officer(demo_site):
    return user("officer")


NOTIFY_CHOICES = "ca_hai | Email và tin nhắn SMS\nemail | Chỉ email\nsms | Chỉ tin nhắn SMS"


def make_dossier_with_email(home, email="an@example.com", notify_by=None):
    agency = pa08()
    extra = [row(FieldType.EMAIL, "Email", "email", required=False)]
    answers = {"email": email}
    if notify_by is not None:
        extra.append(row(FieldType.RADIO, "Nhận thông báo qua", "nhan_thong_bao", choices=NOTIFY_CHOICES))
        answers["nhan_thong_bao"] = notify_by
    page = make_form_page(
        home,
        [*TEST_FORM[:3], *extra, *TEST_FORM[3:]],
        guide=make_guide(home, agency, processing_days=8),
        agency=agency,
    )
    # submitted through forms.services, which records the submission's messages
    return make_review_dossier(home, page=page, answers=answers)


@pytest.fixture
def dossier(demo_site):
    return make_dossier_with_email(demo_site)


def test_submission_makes_one_email_and_one_sms_in_the_citizens_language(dossier):
    rows = Notification.objects.filter(dossier=dossier, event=Event.SUBMITTED)
    assert sorted(rows.values_list("channel", "recipient")) == [
        (Channel.EMAIL, "an@example.com"),
        (Channel.SMS, "0912345678"),
    ]
    email = rows.get(channel=Channel.EMAIL)
    assert email.status == NotificationStatus.QUEUED
    assert email.language == "vi"
    assert dossier.code in email.subject
    assert "/tra-cuu/lien-ket/" in email.body_text
    assert "<a href=" in email.body_html


def test_dossier_without_email_gets_no_email_row(demo_site):
    dossier = make_review_dossier(demo_site)
    citizen = Notification.objects.filter(dossier=dossier, user__isnull=True)
    assert list(citizen.values_list("channel", flat=True)) == [Channel.SMS]


def test_status_change_creates_its_rows_and_queues_them_after_commit(
    dossier, officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        change = services.receive_dossier(dossier.pk, officer)
    rows = Notification.objects.filter(status_change=change)
    assert sorted(rows.values_list("event", "channel")) == [
        (Event.RECEIVED, Channel.EMAIL),
        (Event.RECEIVED, Channel.SMS),
    ]
    # one task for both rows, queued with their ids after the commit (forms.review.counts adds its own callback)
    assert len([c for c in callbacks if c.__module__ == "forms.notifications.services"]) == 1


def test_submission_queues_one_task_with_the_ids_of_all_its_messages(demo_site, django_capture_on_commit_callbacks):
    from django_q.models import OrmQ

    queued_before = set(OrmQ.objects.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        dossier = make_dossier_with_email(demo_site)
    rows = Notification.objects.filter(dossier=dossier).order_by("pk")
    assert rows.count() == 3  # the citizen's email and SMS, the officer's email
    (queued,) = OrmQ.objects.exclude(pk__in=queued_before)
    assert queued.func() == tasks.BATCH_TASK
    assert queued.task["args"] == (list(rows.values_list("pk", flat=True)),)


def test_batch_task_sends_each_message_and_one_broken_message_stops_none_of_the_others(dossier, caplog, monkeypatch):
    monkeypatch.setattr(logging.getLogger("portal"), "propagate", True)  # to caplog's handler
    rows = Notification.objects.filter(dossier=dossier, channel=Channel.EMAIL).order_by("pk")
    citizen, officer = rows
    # an address that makes the mail library refuse the message: not a sending error we expect
    Notification.objects.filter(pk=citizen.pk).update(recipient="an@example.com\nBcc: other@example.com")
    statuses = tasks.send_notifications([citizen.pk, officer.pk])
    assert statuses == [None, NotificationStatus.SENT]
    assert [message.to for message in mail.outbox] == [[officer.recipient]]
    assert f"notification {citizen.pk}: unexpected error" in caplog.text
    # claimed and left for the sweep, which queues it again once the claim is stale
    assert Notification.objects.get(pk=citizen.pk).status == NotificationStatus.SENDING


def test_batch_task_queues_what_is_left_when_its_time_is_up(dossier, monkeypatch):
    from django_q.models import OrmQ

    ids = list(Notification.objects.filter(dossier=dossier).order_by("pk").values_list("pk", flat=True))
    monkeypatch.setattr(tasks, "BATCH_SECONDS", -1)  # already spent before the first message
    queued_before = set(OrmQ.objects.values_list("pk", flat=True))
    assert tasks.send_notifications(ids) == []
    (queued,) = OrmQ.objects.exclude(pk__in=queued_before)
    assert (queued.func(), queued.task["args"]) == (tasks.BATCH_TASK, (ids,))
    assert not Notification.objects.filter(pk__in=ids).exclude(status=NotificationStatus.QUEUED).exists()


def test_rolled_back_status_change_leaves_no_notification(dossier, officer):
    with contextlib.suppress(RuntimeError), transaction.atomic():
        services.receive_dossier(dossier.pk, officer)
        assert Notification.objects.filter(dossier=dossier, event=Event.RECEIVED).count() == 2
        raise RuntimeError("the surrounding transaction fails")
    assert not Notification.objects.filter(dossier=dossier, event=Event.RECEIVED).exists()
    assert Dossier.objects.get(pk=dossier.pk).status == S.NEW


@pytest.mark.parametrize(("choice", "channels"), [("email", [Channel.EMAIL]), ("sms", [Channel.SMS])])
def test_citizen_who_chose_one_channel_gets_messages_only_there(demo_site, choice, channels):
    dossier = make_dossier_with_email(demo_site, notify_by=choice)
    assert dossier.notify_by == choice
    to_citizen = Notification.objects.filter(dossier=dossier, user__isnull=True)  # officers get their own
    assert list(to_citizen.values_list("channel", flat=True)) == channels
    change = services.receive_dossier(dossier.pk, user("officer"))
    assert list(to_citizen.filter(status_change=change).values_list("channel", flat=True)) == channels


def test_duplicate_event_makes_no_second_message(dossier):
    with transaction.atomic():
        assert record_event(dossier, Event.SUBMITTED) == []
    assert Notification.objects.filter(dossier=dossier, event=Event.SUBMITTED).count() == 2


def test_english_dossier_gets_the_english_template(demo_site):
    dossier = make_dossier_with_email(demo_site)
    Dossier.objects.filter(pk=dossier.pk).update(language="en")
    dossier.refresh_from_db()
    officer = user("officer")
    change = services.receive_dossier(dossier.pk, officer)
    email = Notification.objects.get(status_change=change, channel=Channel.EMAIL)
    assert email.language == "en"
    assert email.subject == f"Application {dossier.code} accepted"
    assert "/en/" in email.body_text


def test_send_task_sends_exactly_once_even_when_called_twice(dossier):
    email = Notification.objects.get(dossier=dossier, channel=Channel.EMAIL, user__isnull=True)
    assert tasks.send_notification(email.pk) == NotificationStatus.SENT
    assert tasks.send_notification(email.pk) == NotificationStatus.SENT
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["an@example.com"]
    assert message.alternatives and message.alternatives[0][1] == "text/html"
    email.refresh_from_db()
    assert email.attempts == 1
    assert email.sent_at is not None


def _events(dossier):
    return sorted(Notification.objects.filter(dossier=dossier).values_list("event", "channel"))


def test_result_returned_by_post_says_so_with_the_waybill_and_invites_a_rating(dossier, officer, client):
    move_to(dossier, S.DONE, officer)
    change = services.return_result(dossier.pk, officer, method=ResultDelivery.PUBLIC_POST, tracking_number="EB123VN")
    rows = Notification.objects.filter(status_change=change)
    assert sorted(rows.values_list("event", "channel")) == [
        (Event.RATING_REQUESTED, Channel.EMAIL),
        (Event.RATING_REQUESTED, Channel.SMS),
        (Event.RETURNED_BY_POST, Channel.EMAIL),
        (Event.RETURNED_BY_POST, Channel.SMS),
    ]
    assert "EB123VN" in rows.get(event=Event.RETURNED_BY_POST, channel=Channel.SMS).body_text
    rating = rows.get(event=Event.RATING_REQUESTED, channel=Channel.EMAIL)
    path = "/" + re.search(r"https?://[^/]+/(tra-cuu/lien-ket/\S+/)", rating.body_text).group(1)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].endswith(f"/tra-cuu/ho-so/{dossier.code}/#danh-gia")


@pytest.mark.parametrize(
    ("method", "event"),
    [(ResultDelivery.IN_PERSON, Event.RETURNED_IN_PERSON), (ResultDelivery.ELECTRONIC, Event.RETURNED_ELECTRONICALLY)],
)
def test_each_return_method_has_its_own_message(dossier, officer, method, event):
    move_to(dossier, S.DONE, officer)
    result = SimpleUploadedFile("ket-qua.pdf", b"%PDF-1.4 result", content_type="application/pdf")
    change = services.return_result(dossier.pk, officer, method=method, result_file=result)
    assert set(Notification.objects.filter(status_change=change).values_list("event", flat=True)) == {
        event,
        Event.RATING_REQUESTED,
    }


def test_supplement_request_links_to_the_signed_supplement_form(dossier, officer, client):
    move_to(dossier, S.PROCESSING, officer)
    change = services.request_supplement(dossier.pk, officer, items=["ho_ten"], message="Ghi rõ họ tên")
    email = Notification.objects.get(status_change=change, channel=Channel.EMAIL)
    assert 'href="http' in email.body_html
    path = "/" + re.search(r"https?://[^/]+/(tra-cuu/lien-ket/\S+/)", email.body_text).group(1)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].endswith(f"/tra-cuu/ho-so/{dossier.code}/bo-sung/")


def test_stopped_by_the_office_is_announced_and_processing_is_not(dossier, officer):
    move_to(dossier, S.PROCESSING, officer)
    assert not Notification.objects.filter(dossier=dossier, status_change__to_status=S.PROCESSING).exists()
    change = services.stop_processing(dossier.pk, officer, reason="Không đủ điều kiện")
    assert set(Notification.objects.filter(status_change=change).values_list("event", flat=True)) == {
        Event.STOPPED,
        Event.RATING_REQUESTED,
    }


class _FailingGateway(BaseHTTPRequestHandler):
    requests = 0
    status = 500
    authorization = None

    def do_POST(self):
        type(self).requests += 1
        type(self).authorization = self.headers.get("Authorization")
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(self.status)
        self.end_headers()
        self.wfile.write(b"gateway down")

    def log_message(self, *args):
        pass


@pytest.fixture
def failing_gateway(settings):
    server = HTTPServer(("127.0.0.1", 0), _FailingGateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.PORTAL_SMS_BACKEND = "forms.notifications.sms.HttpGatewayBackend"
    settings.PORTAL_SMS_GATEWAY_URL = f"http://127.0.0.1:{server.server_port}/send"
    settings.PORTAL_SMS_GATEWAY_TIMEOUT = 5
    _FailingGateway.requests = 0
    _FailingGateway.status = 500
    yield _FailingGateway
    server.shutdown()
    server.server_close()


def test_failing_sms_gateway_is_retried_with_backoff_then_failed_dossier_untouched(dossier, failing_gateway):
    sms = Notification.objects.get(dossier=dossier, channel=Channel.SMS)
    for attempt in range(1, MAX_ATTEMPTS):
        assert tasks.send_notification(sms.pk) == NotificationStatus.QUEUED
        retry = Schedule.objects.get(name=f"notification-{sms.pk}-retry-{attempt}")
        assert retry.schedule_type == Schedule.ONCE
        assert retry.func == tasks.TASK
    assert tasks.send_notification(sms.pk) == NotificationStatus.FAILED
    assert tasks.send_notification(sms.pk) == NotificationStatus.FAILED  # a late retry does nothing
    assert failing_gateway.requests == MAX_ATTEMPTS
    sms.refresh_from_db()
    assert sms.status == NotificationStatus.FAILED
    assert sms.attempts == MAX_ATTEMPTS
    assert "HTTP 500" in sms.last_error
    after = Dossier.objects.get(pk=dossier.pk)
    assert after.status == S.NEW
    assert after.status_changes.count() == 1


def test_gateway_refusing_the_message_fails_at_once_with_basic_auth_sent(dossier, failing_gateway, settings):
    settings.PORTAL_SMS_GATEWAY_USERNAME = "portal"
    settings.PORTAL_SMS_GATEWAY_PASSWORD = "s3cret"  # noqa: S105 (test credentials)
    failing_gateway.status = 400
    sms = Notification.objects.get(dossier=dossier, channel=Channel.SMS)
    assert tasks.send_notification(sms.pk) == NotificationStatus.FAILED
    assert failing_gateway.requests == 1
    assert failing_gateway.authorization == "Basic cG9ydGFsOnMzY3JldA=="
    assert not Schedule.objects.filter(name__startswith=f"notification-{sms.pk}-retry").exists()
    sms.refresh_from_db()
    assert "HTTP 400" in sms.last_error


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("Hồ sơ {{ code }} của {{ personal_id }}", "personal_id"),
        ("Hồ sơ {{ code|default:secret }}", "secret"),
        ("Hồ sơ {% if code %}{{ code }}", "cú pháp"),
        ("{% include 'x.html' %}", "include"),
        ("{% load static %}{% static 'x' %}", "static"),
    ],
)
def test_template_with_unknown_placeholder_or_broken_syntax_is_refused(db, body, message):
    template = NotificationTemplate(event=Event.FINISHED, channel=Channel.SMS, language="vi", body_text=body)
    with pytest.raises(ValidationError) as error:
        template.full_clean(exclude=["event", "channel", "language"])
    assert message in str(error.value)


def test_template_with_allowed_placeholders_is_accepted(db):
    template = NotificationTemplate(
        event=Event.FINISHED,
        channel=Channel.EMAIL,
        language="vi",
        subject="{{ code }}",
        body_text=(
            "{{ procedure }} {% if due_date %}{{ due_date }}{% endif %} {{ status }} {{ tracking_url }} "
            "{{ supplement_url }} {{ rating_url }} {% if waybill %}{{ waybill }}{% endif %} {{ admin_url }}"
        ),
    )
    template.full_clean(exclude=["event", "channel", "language"])


def test_sweep_requeues_only_lost_and_abandoned_messages(dossier):
    from datetime import timedelta

    from django.utils import timezone
    from django_q.models import OrmQ

    email = Notification.objects.get(dossier=dossier, channel=Channel.EMAIL, user__isnull=True)
    sms = Notification.objects.get(dossier=dossier, channel=Channel.SMS)
    long_ago = timezone.now() - timedelta(hours=1)
    queued_before = OrmQ.objects.count()
    assert tasks.requeue_stalled() == 0  # just recorded: their own tasks are on the way
    # the email's task was lost long ago; the SMS waits for a scheduled retry
    Notification.objects.filter(pk=email.pk).update(created_at=long_ago)
    Notification.objects.filter(pk=sms.pk).update(created_at=long_ago, attempts=1)
    assert tasks.requeue_stalled() == 1
    # a worker died while sending the SMS
    Notification.objects.filter(pk=sms.pk).update(status=NotificationStatus.SENDING, claimed_at=long_ago)
    assert tasks.requeue_stalled() == 2
    assert OrmQ.objects.count() == queued_before + 3
    assert tasks.send_notification(sms.pk) == NotificationStatus.SENT  # the stale claim is taken over


def test_tracking_page_shows_the_messages_sent_without_their_recipients(client, dossier):
    services.receive_dossier(dossier.pk, user("officer"))
    Notification.objects.filter(dossier=dossier, event=Event.RECEIVED, channel=Channel.SMS).update(
        status=NotificationStatus.FAILED, last_error="gateway said 500"
    )
    response = client.post("/tra-cuu/", {"code": dossier.code, "phone_last4": "5678"}, follow=True)
    html = response.content.decode()
    notices = html[html.index("data-notices") : html.index("</ul>", html.index("data-notices"))]
    received_sms = Notification.objects.get(dossier=dossier, event=Event.RECEIVED, channel=Channel.SMS)
    assert received_sms.body_text.split("http")[0].strip() in notices
    assert notices.index("Đã tiếp nhận") < notices.index("Đã nộp hồ sơ")  # newest first
    assert "Gửi lỗi" in notices.lower().capitalize() or "gửi lỗi" in notices
    assert "an@example.com" not in notices and "0912345678" not in notices
    assert "gateway said 500" not in html
    assert "/tra-cuu/lien-ket/" not in notices  # the links lead to this very page
