"""The events that notify a citizen or an officer, the channels, and which status change is which event."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from forms.constants import RATING_STATUSES, DossierStatus, ResultDelivery

S = DossierStatus


class Event(models.TextChoices):
    SUBMITTED = "submitted", _("Đã nộp hồ sơ")
    RECEIVED = "received", _("Đã tiếp nhận")
    REFUSED = "refused", _("Từ chối tiếp nhận")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Yêu cầu bổ sung")
    FEE_REQUESTED = "fee_requested", _("Yêu cầu nộp lệ phí")
    FINISHED = "finished", _("Đã có kết quả")
    RETURNED_IN_PERSON = "returned_in_person", _("Đã trả kết quả trực tiếp")
    RETURNED_BY_POST = "returned_by_post", _("Đã gửi kết quả qua bưu chính")
    RETURNED_ELECTRONICALLY = "returned_electronic", _("Đã trả kết quả điện tử")
    WITHDRAWN = "withdrawn", _("Đã rút hồ sơ")
    STOPPED = "stopped", _("Dừng xử lý")
    RATING_REQUESTED = "rating_requested", _("Mời đánh giá")
    # Messages to officers (email only; the recipient is a staff user).
    OFFICER_NEW_DOSSIER = "officer_new_dossier", _("Cán bộ: hồ sơ mới")
    OFFICER_ASSIGNED = "officer_assigned", _("Cán bộ: được phân công")
    OFFICER_SUPPLEMENT_RETURNED = "officer_supplement", _("Cán bộ: người dân đã bổ sung")
    OFFICER_DIGEST = "officer_digest", _("Cán bộ: tổng hợp hằng ngày")


OFFICER_EVENTS = frozenset(
    {Event.OFFICER_NEW_DOSSIER, Event.OFFICER_ASSIGNED, Event.OFFICER_SUPPLEMENT_RETURNED, Event.OFFICER_DIGEST}
)


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("Tin nhắn SMS")


class NotificationStatus(models.TextChoices):
    QUEUED = "queued", _("Chờ gửi")
    SENDING = "sending", _("Đang gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi lỗi")


# A status change to one of these statuses notifies the citizen (4 "processing" does not:
# nothing changes for them). 10 depends on how the result was returned (RETURN_EVENTS).
EVENT_OF_STATUS = {
    S.NEW: Event.SUBMITTED,
    S.ACCEPTED: Event.RECEIVED,
    S.REFUSED: Event.REFUSED,
    S.SUPPLEMENT_REQUESTED: Event.SUPPLEMENT_REQUESTED,
    S.PAYMENT_REQUESTED: Event.FEE_REQUESTED,
    S.DONE: Event.FINISHED,
    S.WITHDRAWN: Event.WITHDRAWN,
    S.STOPPED: Event.STOPPED,
}
RETURN_EVENTS = {
    ResultDelivery.IN_PERSON: Event.RETURNED_IN_PERSON,
    ResultDelivery.PUBLIC_POST: Event.RETURNED_BY_POST,
    ResultDelivery.ELECTRONIC: Event.RETURNED_ELECTRONICALLY,
}
# A dossier that ends in one of these statuses also gets an invitation to rate the service.
RATING_REQUEST_STATUSES = RATING_STATUSES

# Placeholders a template may use; anything else is refused when the template is saved.
# supplement_url / rating_url are signed links (forms.review.citizen.signed_token) that open
# the dossier without its code and phone; admin_url is the officer's page of the dossier.
PLACEHOLDERS = (
    "code",
    "procedure",
    "due_date",
    "status",
    "tracking_url",
    "supplement_url",
    "rating_url",
    "waybill",
    "admin_url",
)

MAX_ATTEMPTS = 5
