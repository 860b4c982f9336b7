"""The events that notify a citizen, the channels, and which status change is which event."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from forms.constants import DossierStatus

S = DossierStatus


class Event(models.TextChoices):
    SUBMITTED = "submitted", _("Đã nộp hồ sơ")
    RECEIVED = "received", _("Đã tiếp nhận")
    REFUSED = "refused", _("Từ chối tiếp nhận")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Yêu cầu bổ sung")
    FEE_REQUESTED = "fee_requested", _("Yêu cầu nộp lệ phí")
    FINISHED = "finished", _("Đã có kết quả")
    RESULT_RETURNED = "result_returned", _("Đã trả kết quả")
    WITHDRAWN = "withdrawn", _("Đã rút hồ sơ")


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("Tin nhắn SMS")


class NotificationStatus(models.TextChoices):
    QUEUED = "queued", _("Chờ gửi")
    SENDING = "sending", _("Đang gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi lỗi")


# A status change to one of these statuses notifies the citizen; the others (4 processing,
# 8 stopped by the office) have no template yet.
EVENT_OF_STATUS = {
    S.NEW: Event.SUBMITTED,
    S.ACCEPTED: Event.RECEIVED,
    S.REFUSED: Event.REFUSED,
    S.SUPPLEMENT_REQUESTED: Event.SUPPLEMENT_REQUESTED,
    S.PAYMENT_REQUESTED: Event.FEE_REQUESTED,
    S.DONE: Event.FINISHED,
    S.DELIVERED: Event.RESULT_RETURNED,
    S.WITHDRAWN: Event.WITHDRAWN,
}

# Placeholders a template may use; anything else is refused when the template is saved.
PLACEHOLDERS = ("code", "procedure", "due_date", "tracking_url", "status")

MAX_ATTEMPTS = 5
