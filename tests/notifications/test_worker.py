"""End to end: a status change's email leaves through a real worker and reaches a real SMTP server."""

import asyncio
import contextlib
import importlib
import os
import signal
import threading
import time
from datetime import timedelta
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller
from django.apps import apps
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django_q.models import Schedule

from forms.constants import DossierStatus
from forms.models import Dossier
from forms.notifications import tasks
from forms.notifications.constants import Channel, Event, NotificationStatus
from forms.notifications.models import Notification
from forms.review import services
from forms.review.calendar import local_day
from tests.factories.review import user
from tests.support.server import free_port
from tests.support.worker import run_due_schedules, running_worker, wait_for

from .test_notifications import make_dossier_with_email


class _Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"

    def messages_for(self, code, words):
        parsed = [(envelope, message_from_bytes(envelope.content, policy=policy.default)) for envelope in self.messages]
        return [
            (envelope, message)
            for envelope, message in parsed
            if code in message["Subject"] and words in message["Subject"]
        ]


@contextlib.contextmanager
def _local_smtp(monkeypatch, inbox):
    """Serve ``inbox`` on a free local port and point the worker processes at it."""
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    # read by site_config/settings/test.py in the worker process
    monkeypatch.setenv("EMAIL_HOST", "127.0.0.1")
    monkeypatch.setenv("EMAIL_PORT", str(port))
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def smtp_server(monkeypatch):
    with _local_smtp(monkeypatch, _Inbox()) as inbox:
        yield inbox


@pytest.mark.django_db(transaction=True)
def test_status_change_email_and_the_scheduled_digest_reach_the_smtp_server_through_the_worker(demo_site, smtp_server):
    dossier = make_dossier_with_email(demo_site)
    officer = user("officer")
    change = services.receive_dossier(dossier.pk, officer)  # commits: on_commit queues the sends
    # the officer's dossier is overdue, and the daily digest is due now
    Dossier.objects.filter(pk=dossier.pk).update(due_date=local_day() - timedelta(days=2))
    Schedule.objects.filter(func=tasks.DIGEST_TASK).update(next_run=timezone.now() - timedelta(seconds=1))
    with running_worker():
        arrived = wait_for(lambda: smtp_server.messages_for(dossier.code, "tiếp nhận"), timeout=60)
        receipt = wait_for(lambda: smtp_server.messages_for(dossier.code, "Đã nhận hồ sơ"), timeout=20)
        email = Notification.objects.get(status_change=change, channel=Channel.EMAIL)
        sent = wait_for(
            lambda: Notification.objects.filter(pk=email.pk, status=NotificationStatus.SENT).exists(), timeout=20
        )
        # the worker's scheduler looks at Schedules every ~30 s: queue the due digest now
        run_due_schedules()
        digests = wait_for(lambda: smtp_server.messages_for("", "quá hạn"), timeout=90)
    assert arrived, "no email reached the SMTP server"
    # other demo dossiers' queued messages may be delivered too; this dossier's arrives once
    assert len(arrived) == 1
    envelope, message = arrived[0]
    assert envelope.rcpt_tos == ["an@example.com"]
    assert dossier.code in message.get_body(("plain",)).get_content()
    assert sent
    # the submission's own receipt (recorded by forms.services.submit_application) arrived too
    assert [envelope.rcpt_tos for envelope, _message in receipt] == [["an@example.com"]]
    assert digests, "the officers' digest did not arrive"
    (digest,) = [message for envelope, message in digests if envelope.rcpt_tos == ["officer@example.gov.vn"]]
    assert dossier.code in digest.get_body(("plain",)).get_content()
    assert Notification.objects.get(event=Event.OFFICER_DIGEST, user=officer).status == NotificationStatus.SENT


class _RefusingInbox(_Inbox):
    """An SMTP server that refuses some mailboxes at RCPT (550), like a real one for an unknown user."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("khong-ton-tai@"):
            return "550 5.1.1 <khong-ton-tai@example.com>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture
def refusing_smtp_server(monkeypatch):
    with _local_smtp(monkeypatch, _RefusingInbox()) as inbox:
        yield inbox


class _HangingGateway(BaseHTTPRequestHandler):
    """An SMS gateway that answers only after far longer than the configured timeout."""

    requests = 0

    def do_POST(self):
        type(self).requests += 1
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        time.sleep(6)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def hanging_gateway(monkeypatch):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _HangingGateway)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _HangingGateway.requests = 0
    # read by site_config/settings/base.py in the worker process
    monkeypatch.setenv("PORTAL_SMS_BACKEND", "forms.notifications.sms.HttpGatewayBackend")
    monkeypatch.setenv("PORTAL_SMS_GATEWAY_URL", f"http://127.0.0.1:{server.server_port}/send")
    monkeypatch.setenv("PORTAL_SMS_GATEWAY_TIMEOUT", "1")
    monkeypatch.setenv("PORTAL_NOTIFICATION_RETRY_SECONDS", "1")
    yield _HangingGateway
    server.shutdown()
    server.server_close()


@pytest.mark.django_db(transaction=True)
def test_refused_address_and_hanging_sms_gateway_fail_cleanly_and_the_worker_stays_healthy(
    demo_site, refusing_smtp_server, hanging_gateway, client
):
    dossier = make_dossier_with_email(demo_site, email="khong-ton-tai@example.com")  # commits: sends queued
    email = Notification.objects.get(dossier=dossier, channel=Channel.EMAIL, user__isnull=True)
    sms = Notification.objects.get(dossier=dossier, channel=Channel.SMS)
    with running_worker() as worker:
        failed = wait_for(
            lambda: Notification.objects.filter(pk=email.pk, status=NotificationStatus.FAILED).exists(), timeout=60
        )
        # The SMS attempt times out after 1 s and is recorded with a retry (a one-off Schedule,
        # due a second later); queued as the scheduler would, it times out again: still queued,
        # not stuck.
        retry_due = wait_for(
            lambda: Schedule.objects.filter(
                name__startswith=f"notification-{sms.pk}-retry", next_run__lt=timezone.now()
            ).exists(),
            timeout=60,
        )
        assert retry_due, "the hanging gateway's SMS got no retry"
        run_due_schedules()
        retried = wait_for(
            lambda: Notification.objects.filter(pk=sms.pk, attempts__gte=2, status=NotificationStatus.QUEUED).exists(),
            timeout=100,
        )
        # The worker keeps serving: a message queued after the hangs is delivered.
        services.assign_dossier(dossier.pk, user("officer"), user("manager"))
        reached = wait_for(lambda: refusing_smtp_server.messages_for(dossier.code, "phân công"), timeout=60)
        alive = worker.poll() is None
    assert failed, "the refused address did not fail"
    email.refresh_from_db()
    assert email.attempts == 1  # a 550 for the mailbox is permanent: no retries
    assert "550" in email.last_error and "User unknown" in email.last_error
    assert not Schedule.objects.filter(name__startswith=f"notification-{email.pk}-retry").exists()
    assert retried, "the hanging gateway's SMS was not retried"
    sms.refresh_from_db()
    assert "did not answer within 1.0 s" in sms.last_error
    assert hanging_gateway.requests >= 2
    assert reached and alive
    assert reached[0][0].rcpt_tos == ["manager@example.gov.vn"]
    after = Dossier.objects.get(pk=dossier.pk)
    assert after.status == DossierStatus.NEW and after.status_changes.count() == 1  # failures change nothing
    # staff see the failure and its error in the admin list, filtered by status
    client.force_login(get_user_model().objects.filter(is_superuser=True).first())
    listing = client.get(reverse("notifications:index"), {"status": NotificationStatus.FAILED}).content.decode()
    assert "User unknown" in listing


class _StallingInbox(_Inbox):
    """Holds the first message to one address without answering (the sender dies meanwhile),
    then accepts every later one."""

    def __init__(self, address):
        super().__init__()
        self.address = address
        self.stalled = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        if envelope.rcpt_tos == [self.address] and not self.stalled.is_set():
            self.stalled.set()
            await asyncio.sleep(8)
            return "451 4.3.0 Sender went away"
        return await super().handle_DATA(server, session, envelope)


@pytest.mark.django_db(transaction=True)
def test_worker_killed_in_the_middle_of_a_send_and_restarted_sends_that_message_exactly_once(
    demo_site, monkeypatch, settings
):
    # a claim older than 3 s counts as a dead worker's, here and in the worker processes
    monkeypatch.setenv("PORTAL_NOTIFICATION_STALE_CLAIM_SECONDS", "3")
    settings.PORTAL_NOTIFICATION_STALE_CLAIM_SECONDS = 3
    with _local_smtp(monkeypatch, _StallingInbox("crash@example.com")) as inbox:
        dossier = make_dossier_with_email(demo_site, email="crash@example.com")  # commits: sends queued
        email = Notification.objects.get(dossier=dossier, channel=Channel.EMAIL, user__isnull=True)
        with running_worker() as worker:
            assert wait_for(inbox.stalled.is_set, timeout=60), "the worker never reached the SMTP server"
            os.killpg(worker.pid, signal.SIGKILL)  # the whole cluster dies mid-send
            worker.wait(timeout=10)
        email.refresh_from_db()
        assert email.status == NotificationStatus.SENDING  # claimed, not sent, nobody left to finish
        time.sleep(3.5)
        with running_worker():
            assert tasks.requeue_stalled() >= 1  # what the 5-minute Schedule does
            sent = wait_for(
                lambda: Notification.objects.filter(pk=email.pk, status=NotificationStatus.SENT).exists(), timeout=60
            )
            time.sleep(2)  # a late duplicate task (the broker redelivering) would send now
    assert sent
    delivered = [envelope for envelope in inbox.messages if envelope.rcpt_tos == ["crash@example.com"]]
    assert len(delivered) == 1
    email.refresh_from_db()
    assert email.attempts == 2


def test_sweep_schedule_migration_is_idempotent_and_reversible(db):
    migration = importlib.import_module("forms.notifications.migrations.0006_schedule_requeue_stalled")
    migration.create_schedule(apps, None)
    migration.create_schedule(apps, None)
    schedule = Schedule.objects.get(name=migration.SCHEDULE_NAME)
    assert (schedule.func, schedule.schedule_type, schedule.minutes) == (tasks.SWEEP_TASK, Schedule.MINUTES, 5)
    migration.remove_schedule(apps, None)
    assert not Schedule.objects.filter(name=migration.SCHEDULE_NAME).exists()
