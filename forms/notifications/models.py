"""One row per message sent to a citizen, and the staff-editable templates they are made from."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from forms.models import Dossier, StatusChange

from .constants import Channel, Event, NotificationStatus
from .rendering import validate_template_source

LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("Tiếng Anh"))]


class NotificationTemplate(models.Model):
    """The subject and body of one event on one channel in one language."""

    event = models.CharField(_("sự kiện"), max_length=32, choices=Event.choices)
    channel = models.CharField(_("kênh"), max_length=8, choices=Channel.choices)
    language = models.CharField(_("ngôn ngữ"), max_length=10, choices=LANGUAGES, default="vi")
    subject = models.CharField(
        _("tiêu đề"),
        max_length=200,
        blank=True,
        validators=[validate_template_source],
        help_text=_("Chỉ dùng cho email."),
    )
    body_text = models.TextField(
        _("nội dung"),
        validators=[validate_template_source],
        help_text=_(
            "Biến: {{ code }}, {{ procedure }}, {{ due_date }}, {{ status }}, {{ tracking_url }}, "
            "{{ supplement_url }}, {{ rating_url }}, {{ waybill }} (số vận đơn), {{ admin_url }} (cho cán bộ)."
        ),
    )
    body_html = models.TextField(
        _("nội dung HTML"), blank=True, validators=[validate_template_source], help_text=_("Tuỳ chọn, chỉ cho email.")
    )

    class Meta:
        verbose_name = _("mẫu thông báo")
        verbose_name_plural = pgettext_lazy("plural", "mẫu thông báo")
        ordering = ["event", "channel", "language"]
        constraints = [
            models.UniqueConstraint(fields=["event", "channel", "language"], name="notification_template_unique"),
        ]

    def __str__(self):
        return f"{self.get_event_display()} · {self.get_channel_display()} · {self.language}"


class Notification(models.Model):
    """A message to a citizen or an officer, created in the transaction of the event that causes it.

    ``user`` is set for a message to an officer; the daily digest has no dossier.
    """

    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications", verbose_name=_("hồ sơ")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cán bộ nhận"),
    )
    status_change = models.ForeignKey(
        StatusChange, on_delete=models.SET_NULL, null=True, blank=True, related_name="notifications"
    )
    # The event's identity ("change-<id>", "dossier-<id>", "…-user-<id>" for an officer,
    # "digest-<date>-user-<id>"): a duplicate event makes no second message.
    dedupe_key = models.CharField(max_length=64, editable=False)
    event = models.CharField(_("sự kiện"), max_length=32, choices=Event.choices)
    channel = models.CharField(_("kênh"), max_length=8, choices=Channel.choices)
    recipient = models.CharField(_("người nhận"), max_length=254)
    language = models.CharField(_("ngôn ngữ"), max_length=10, default="vi")
    subject = models.CharField(_("tiêu đề"), max_length=255, blank=True)
    body_text = models.TextField(_("nội dung"))
    body_html = models.TextField(_("nội dung HTML"), blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=NotificationStatus.choices, default=NotificationStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    # Messages link to no content an editor could break: Wagtail's reference index (an extra
    # query per row on every submission) has nothing to learn from them.
    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = pgettext_lazy("plural", "thông báo")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "event", "channel", "dedupe_key"], name="notification_once"),
            models.UniqueConstraint(
                fields=["event", "channel", "dedupe_key"],
                condition=models.Q(dossier__isnull=True),
                name="notification_once_without_dossier",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="notification_status_idx")]

    def __str__(self):
        return f"{self.dossier_id} {self.event} {self.channel} ({self.status})"
