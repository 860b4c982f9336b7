"""Deliver one rendered Notification over its channel (raises on failure)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from .constants import Channel
from .sms import get_backend


def deliver(notification):
    if notification.channel == Channel.EMAIL:
        message = EmailMultiAlternatives(
            notification.subject, notification.body_text, settings.DEFAULT_FROM_EMAIL, [notification.recipient]
        )
        if notification.body_html:
            message.attach_alternative(notification.body_html, "text/html")
        message.send(fail_silently=False)
    else:
        get_backend().send(notification.recipient, notification.body_text)
