"""The vocabulary of a dossier: its statuses (national codes 0–10), channels and result delivery.

One status table for the whole portal (domain brief (b)): the national codes synced to the
Cổng DVC quốc gia, the label staff see, the label citizens see, and the allowed transitions
as one mapping. Nothing else decides what may follow what; the workflow services read
``ALLOWED_TRANSITIONS`` through ``is_allowed_transition``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DossierStatus(models.TextChoices):
    """National dossier status codes (Cổng DVC quốc gia), plus the local draft state 0.

    The choice label is the staff (national) label; ``citizen_label`` gives the friendlier one.
    """

    DRAFT = "0", _("Bản nháp")
    NEW = "1", _("Mới đăng ký")
    ACCEPTED = "2", _("Được tiếp nhận")
    REFUSED = "3", _("Không được tiếp nhận")
    PROCESSING = "4", _("Đang xử lý")
    SUPPLEMENT_REQUESTED = "5", _("Yêu cầu bổ sung giấy tờ")
    PAYMENT_REQUESTED = "6", _("Yêu cầu thực hiện nghĩa vụ tài chính")
    WITHDRAWN = "7", _("Công dân yêu cầu rút hồ sơ")
    STOPPED = "8", _("Dừng xử lý")
    DONE = "9", _("Đã xử lý xong")
    DELIVERED = "10", _("Đã trả kết quả")

    @property
    def staff_label(self):
        return STAFF_LABELS[self]

    @property
    def citizen_label(self):
        return CITIZEN_LABELS[self]


S = DossierStatus

STAFF_LABELS = {status: status.label for status in DossierStatus}

CITIZEN_LABELS = {
    S.DRAFT: _("Chưa gửi"),
    S.NEW: _("Chờ tiếp nhận"),
    S.ACCEPTED: _("Đã tiếp nhận"),
    S.REFUSED: _("Từ chối tiếp nhận"),
    S.PROCESSING: _("Đang xử lý"),
    S.SUPPLEMENT_REQUESTED: _("Chờ bổ sung hồ sơ"),
    S.PAYMENT_REQUESTED: _("Chờ nộp lệ phí"),
    S.WITHDRAWN: _("Đã rút"),
    S.STOPPED: _("Từ chối giải quyết"),
    S.DONE: _("Đã có kết quả"),
    S.DELIVERED: _("Đã trả kết quả"),
}

# The allowed transitions (domain brief (b)). The passport flow is 1 → 6 → 2: the fee is
# paid after the office has checked the dossier. Terminal states map to an empty set.
ALLOWED_TRANSITIONS = {
    S.DRAFT: {S.NEW},
    S.NEW: {S.ACCEPTED, S.REFUSED, S.SUPPLEMENT_REQUESTED, S.PAYMENT_REQUESTED, S.WITHDRAWN},
    S.ACCEPTED: {S.PROCESSING, S.PAYMENT_REQUESTED, S.WITHDRAWN},
    S.PROCESSING: {S.SUPPLEMENT_REQUESTED, S.PAYMENT_REQUESTED, S.STOPPED, S.DONE, S.WITHDRAWN},
    S.SUPPLEMENT_REQUESTED: {S.PROCESSING, S.NEW, S.WITHDRAWN, S.STOPPED},
    S.PAYMENT_REQUESTED: {S.PROCESSING, S.ACCEPTED, S.WITHDRAWN},
    S.DONE: {S.DELIVERED},
    S.REFUSED: set(),
    S.WITHDRAWN: set(),
    S.STOPPED: set(),
    S.DELIVERED: set(),
}

TERMINAL_STATUSES = frozenset(status for status, targets in ALLOWED_TRANSITIONS.items() if not targets)
# Report groupings of the national portal: "processed" and "paused" dossiers.
PROCESSED_STATUSES = frozenset({S.DONE, S.DELIVERED, S.WITHDRAWN})
PAUSED_STATUSES = frozenset({S.SUPPLEMENT_REQUESTED, S.PAYMENT_REQUESTED, S.STOPPED})
# The SLA clock pauses while the office waits for the citizen [U].
CLOCK_PAUSED_STATUSES = frozenset({S.SUPPLEMENT_REQUESTED, S.PAYMENT_REQUESTED})
# Overdue is a derived flag, only meaningful in these states.
OVERDUE_CANDIDATE_STATUSES = frozenset({S.ACCEPTED, S.PROCESSING, S.DONE})
# The satisfaction rating is offered once the dossier ends in one of these.
RATING_STATUSES = frozenset({S.DELIVERED, S.REFUSED, S.STOPPED})


def is_allowed_transition(from_status, to_status):
    """True when the law allows a dossier in `from_status` to move to `to_status`."""
    return DossierStatus(to_status) in ALLOWED_TRANSITIONS.get(DossierStatus(from_status), set())


class Channel(models.IntegerChoices):
    """How the dossier reached the office (national portal codes)."""

    IN_PERSON = 1, _("Trực tiếp")
    ONLINE = 2, _("Trực tuyến")
    POST = 3, _("Bưu chính công ích")


class NotifyBy(models.TextChoices):
    """Where the citizen wants the portal's messages: both contacts given, or only one."""

    ALL = "ca_hai", _("Email và tin nhắn SMS")
    EMAIL = "email", _("Chỉ email")
    SMS = "sms", _("Chỉ tin nhắn SMS")


class ResultDelivery(models.TextChoices):
    """How the citizen receives the result (QĐ 45/2016/QĐ-TTg for the public post)."""

    IN_PERSON = "truc_tiep", _("Nhận trực tiếp tại cơ quan")
    PUBLIC_POST = "buu_chinh", _("Qua bưu chính công ích (nhận tại địa chỉ)")
    ELECTRONIC = "dien_tu", _("Bản điện tử (qua cổng dịch vụ công, email)")


class ConditionOperator(models.TextChoices):
    """How a field's or step's condition compares another answer."""

    EQUALS = "eq", _("bằng")
    NOT_EQUALS = "ne", _("khác")
    IN = "in", _("là một trong")


# Answer keys with a meaning for the dossier itself. A form that has a field with one of
# these keys fills the matching Dossier column (applicant name, phone…) on submission.
APPLICANT_NAME_KEYS = ("ho_ten", "ho_va_ten", "ho_ten_nguoi_de_nghi")
APPLICANT_SURNAME_KEY = "ho"
APPLICANT_GIVEN_NAMES_KEY = "chu_dem_ten"
APPLICANT_PHONE_KEYS = ("so_dien_thoai", "dien_thoai")
APPLICANT_EMAIL_KEYS = ("email", "thu_dien_tu")
APPLICANT_ID_KEYS = ("so_dinh_danh", "so_can_cuoc", "so_ho_chieu")
RESULT_DELIVERY_KEY = "noi_nhan_ket_qua"
# A choice field with this key says how the citizen wants to be told (values: NotifyBy).
NOTIFY_BY_KEY = "nhan_thong_bao"
POSTAL_ADDRESS_KEY = "dia_chi_nhan_ket_qua"

# The honeypot input of every step: hidden by CSS (forms/css/forms.css), left empty by people.
HONEYPOT_FIELD = "website"
# Keys an editor may not give a field: they are used by the form machinery itself.
RESERVED_KEYS = frozenset({HONEYPOT_FIELD, "action", "submit_token", "csrfmiddlewaretoken"})
