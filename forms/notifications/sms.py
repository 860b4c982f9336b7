"""SMS backends, chosen by ``PORTAL_SMS_BACKEND`` (a dotted path to a class with ``send``)."""

import base64
import json
import logging
import urllib.error
import urllib.request

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("portal.forms.notifications")

DEFAULT_BACKEND = "forms.notifications.sms.LoggingBackend"


class SmsError(Exception):
    """The gateway did not accept the message. ``permanent``: sending it again cannot help."""

    def __init__(self, message, *, permanent=False):
        super().__init__(message)
        self.permanent = permanent


# 4xx answers mean the message itself is refused (bad number, bad credentials), except these.
_TRANSIENT_HTTP = {408, 425, 429}


def masked(phone):
    return f"{phone[:3]}****{phone[-3:]}" if len(phone) > 6 else "****"


class LoggingBackend:
    """Development: write that an SMS would be sent (masked number, never the text)."""

    def send(self, phone, text):
        logger.info("SMS to %s (%d characters) not sent: logging backend", masked(phone), len(text))


class HttpGatewayBackend:
    """Production: POST ``{"to", "text"}`` as JSON to ``PORTAL_SMS_GATEWAY_URL``.

    Credentials: ``PORTAL_SMS_GATEWAY_TOKEN`` as a bearer token, or
    ``PORTAL_SMS_GATEWAY_USERNAME``/``PASSWORD`` as basic auth. A gateway slower than
    ``PORTAL_SMS_GATEWAY_TIMEOUT`` seconds (default 10) raises ``TimeoutError`` so the attempt
    fails and is retried instead of hanging the worker. A 4xx answer (other than 408/425/429)
    is permanent: the notification fails without retries.
    """

    def __init__(self):
        self.url = getattr(settings, "PORTAL_SMS_GATEWAY_URL", "")
        self.token = getattr(settings, "PORTAL_SMS_GATEWAY_TOKEN", "")
        self.username = getattr(settings, "PORTAL_SMS_GATEWAY_USERNAME", "")
        self.password = getattr(settings, "PORTAL_SMS_GATEWAY_PASSWORD", "")
        self.timeout = getattr(settings, "PORTAL_SMS_GATEWAY_TIMEOUT", 10)
        if not self.url.startswith(("http://", "https://")):
            raise SmsError("PORTAL_SMS_GATEWAY_URL must be an http(s) URL", permanent=False)

    def send(self, phone, text):
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        elif self.username:
            pair = base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
            headers["Authorization"] = f"Basic {pair}"
        request = urllib.request.Request(  # noqa: S310 (scheme checked in __init__)
            self.url, data=json.dumps({"to": phone, "text": text}).encode(), headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                response.read()
        except urllib.error.HTTPError as error:
            permanent = 400 <= error.code < 500 and error.code not in _TRANSIENT_HTTP
            raise SmsError(f"SMS gateway answered HTTP {error.code}", permanent=permanent) from error
        except TimeoutError as error:
            raise TimeoutError(f"SMS gateway did not answer within {self.timeout} s") from error


def get_backend():
    return import_string(getattr(settings, "PORTAL_SMS_BACKEND", DEFAULT_BACKEND))()
