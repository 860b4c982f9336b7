"""End to end: a status change's email leaves through a real worker and reaches a real SMTP server."""

import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from forms.notifications.constants import Channel, NotificationStatus
from forms.notifications.models import Notification
from forms.review import services
from tests.factories.review import user
from tests.support.worker import running_worker, wait_for

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


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(monkeypatch):
    inbox = _Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    # read by site_config/settings/test.py in the worker process
    monkeypatch.setenv("EMAIL_HOST", "127.0.0.1")
    monkeypatch.setenv("EMAIL_PORT", str(port))
    yield inbox
    controller.stop()


@pytest.mark.django_db(transaction=True)
def test_status_change_email_reaches_the_smtp_server_through_the_worker(demo_site, smtp_server):
    dossier = make_dossier_with_email(demo_site)
    change = services.receive_dossier(dossier.pk, user("officer"))  # commits: on_commit queues the sends
    with running_worker():
        arrived = wait_for(lambda: smtp_server.messages_for(dossier.code, "tiếp nhận"), timeout=60)
        email = Notification.objects.get(status_change=change, channel=Channel.EMAIL)
        sent = wait_for(
            lambda: Notification.objects.filter(pk=email.pk, status=NotificationStatus.SENT).exists(), timeout=20
        )
    assert arrived, "no email reached the SMTP server"
    # other demo dossiers' queued messages may be delivered too; this dossier's arrives once
    assert len(arrived) == 1
    envelope, message = arrived[0]
    assert envelope.rcpt_tos == ["an@example.com"]
    assert dossier.code in message.get_body(("plain",)).get_content()
    assert sent
