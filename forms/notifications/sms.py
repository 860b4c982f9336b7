"""SMS backends, chosen by ``PORTAL_SMS_BACKEND`` (a dotted path to a class with ``send``)."""

import json
import logging
import urllib.error
import urllib.request

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("portal.forms.notifications")

DEFAULT_BACKEND = "forms.notifications.sms.LoggingBackend"


class SmsError(Exception):
    """The gateway did not accept the message."""


def masked(phone):
    return f"{phone[:3]}****{phone[-3:]}" if len(phone) > 6 else "****"


class LoggingBackend:
    """Development: write that an SMS would be sent (masked number, never the text)."""

    def send(self, phone, text):
        logger.info("SMS to %s (%d characters) not sent: logging backend", masked(phone), len(text))


class HttpGatewayBackend:
    """Production: POST ``{"to", "text"}`` as JSON to ``PORTAL_SMS_GATEWAY_URL``.

    ``PORTAL_SMS_GATEWAY_TOKEN`` (optional) is sent as a bearer token; a gateway slower than
    ``PORTAL_SMS_GATEWAY_TIMEOUT`` seconds (default 10) raises ``TimeoutError`` so the task
    fails and is retried instead of hanging the worker.
    """

    def __init__(self):
        self.url = getattr(settings, "PORTAL_SMS_GATEWAY_URL", "")
        self.token = getattr(settings, "PORTAL_SMS_GATEWAY_TOKEN", "")
        self.timeout = getattr(settings, "PORTAL_SMS_GATEWAY_TIMEOUT", 10)
        if not self.url.startswith(("http://", "https://")):
            raise SmsError("PORTAL_SMS_GATEWAY_URL must be an http(s) URL")

    def send(self, phone, text):
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(  # noqa: S310 (scheme checked in __init__)
            self.url, data=json.dumps({"to": phone, "text": text}).encode(), headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                response.read()
        except urllib.error.HTTPError as error:
            raise SmsError(f"SMS gateway answered HTTP {error.code}") from error


def get_backend():
    return import_string(getattr(settings, "PORTAL_SMS_BACKEND", DEFAULT_BACKEND))()
