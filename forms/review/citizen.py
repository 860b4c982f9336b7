"""What the citizen does without an account: track a dossier, send a supplement, withdraw, rate.

The citizen proves they may see a dossier by its code and the last 4 digits of the phone
given in it (``lookup``), or by a signed link sent to them (``signed_token`` /
``dossier_from_token``, TimestampSigner with a maximum age). A wrong pair and an unknown
code are the same answer (``None``): nothing tells a guesser that a code exists.
"""

import hmac

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from forms.builder import ApplicationFormBuilder, answer_to_json
from forms.constants import RATING_STATUSES, DossierStatus, ResultDelivery, is_allowed_transition
from forms.models import Dossier, DossierFile, FieldType
from forms.storage import store_upload

from .models import DossierRating, Satisfaction
from .services import ACTIONS, TransitionRefused, _lock, _refusal, resume_processing

S = DossierStatus
SIGNED_LINK_MAX_AGE = 60 * 60 * 24 * 30  # 30 days: a supplement request or a rating invitation
_SIGNING_SALT = "forms.review.citizen-link"

# Statuses whose note is addressed to the citizen (a reason or a request); others stay internal.
PUBLIC_NOTE_STATUSES = frozenset({S.REFUSED, S.SUPPLEMENT_REQUESTED, S.PAYMENT_REQUESTED, S.STOPPED, S.WITHDRAWN})


def normalize_code(code):
    return "".join(str(code or "").split()).upper()[:64]


def lookup(code, phone_last4):
    """The dossier with this code whose phone ends with these 4 digits, else None (same for both)."""
    code = normalize_code(code)
    digits = "".join(ch for ch in str(phone_last4 or "") if ch.isdigit())
    dossier = (
        Dossier.objects.exclude(status=S.DRAFT).select_related("procedure", "agency").filter(code=code).first()
        if code
        else None
    )
    expected = (dossier.applicant_phone[-4:] if dossier and len(dossier.applicant_phone) >= 4 else "----").encode()
    # Compared in constant time and whether or not the code exists.
    matches = hmac.compare_digest(expected, digits.encode()[:4].ljust(4, b"?")) and len(digits) == 4
    return dossier if dossier is not None and matches else None


def signed_token(dossier, purpose):
    """A URL-safe token for a link sent to the citizen (``purpose``: "theo-doi", "bo-sung", "danh-gia")."""
    return signing.TimestampSigner(salt=_SIGNING_SALT).sign_object({"d": dossier.pk, "p": purpose}, compress=True)


def dossier_from_token(token, max_age=SIGNED_LINK_MAX_AGE):
    """``(dossier, purpose)`` of a valid, unexpired token, else ``(None, None)``."""
    try:
        data = signing.TimestampSigner(salt=_SIGNING_SALT).unsign_object(token, max_age=max_age)
    except (signing.BadSignature, ValueError, TypeError):
        return None, None
    dossier = Dossier.objects.filter(pk=data.get("d")).select_related("procedure", "agency").first()
    return dossier, data.get("p")


# --- what the tracking page shows ----------------------------------------------------------


def public_timeline(dossier):
    """``[{"status", "label", "at", "note"}]``: citizen labels; only the notes addressed to the citizen."""
    return [
        {
            "status": change.to_status,
            "label": S(change.to_status).citizen_label,
            "at": change.created_at,
            "note": change.note if change.to_status in PUBLIC_NOTE_STATUSES else "",
        }
        for change in dossier.status_changes.order_by("created_at", "pk")
    ]


def open_supplement_request(dossier):
    if dossier.status != S.SUPPLEMENT_REQUESTED:
        return None
    return dossier.supplement_requests.filter(fulfilled_at__isnull=True).first()


def result_file(dossier):
    """The electronic result the citizen may download (status 10 returned electronically)."""
    if dossier.status == S.DELIVERED and dossier.return_method == ResultDelivery.ELECTRONIC and dossier.result_file_id:
        return dossier.result_file
    return None


def can_withdraw(dossier):
    return is_allowed_transition(dossier.status, S.WITHDRAWN)


def can_rate(dossier):
    return dossier.status in RATING_STATUSES and not DossierRating.objects.filter(dossier=dossier).exists()


def expectation(dossier):
    """One sentence: what the citizen should do (or expect) now."""
    status = S(dossier.status)
    messages = {
        S.NEW: _("Cơ quan đang kiểm tra hồ sơ. Bạn chưa cần làm gì thêm."),
        S.ACCEPTED: _("Hồ sơ đã được tiếp nhận. Kết quả dự kiến có vào ngày hẹn trả."),
        S.PROCESSING: _("Hồ sơ đang được giải quyết. Bạn chưa cần làm gì thêm."),
        S.SUPPLEMENT_REQUESTED: _("Bạn cần bổ sung hoặc sửa các mục cơ quan yêu cầu dưới đây rồi gửi lại."),
        S.PAYMENT_REQUESTED: _(
            "Bạn cần nộp lệ phí theo hướng dẫn của cơ quan; hồ sơ tiếp tục sau khi cơ quan nhận được lệ phí."
        ),
        S.DONE: _("Đã có kết quả. Bạn nhận kết quả theo cách đã chọn khi nộp hồ sơ."),
        S.DELIVERED: _("Kết quả đã được trả. Mời bạn đánh giá mức độ hài lòng."),
        S.REFUSED: _("Hồ sơ không được tiếp nhận; xem lý do dưới đây. Bạn có thể nộp hồ sơ mới."),
        S.STOPPED: _("Hồ sơ đã dừng xử lý; xem lý do dưới đây."),
        S.WITHDRAWN: _("Hồ sơ đã được rút theo đề nghị của bạn."),
    }
    return messages.get(status, "")


# --- supplement ---------------------------------------------------------------------------------


def supplement_form(dossier, request_obj, data=None, files=None):
    """A form with only the requested fields, built from the form page's own field definitions.

    Field keys are locked once a form has dossiers, so the live fields match the dossier's
    version; validation is the same as on the application form.
    """
    page = dossier.form_page.specific
    wanted = set(request_obj.items)
    fields = [field for field in page.get_form_fields() if field.key in wanted and field.field_type != FieldType.STEP]
    form_class = ApplicationFormBuilder(fields).get_form_class()
    kwargs = {"prior_answers": dict(dossier.answers), "existing_uploads": {}, "page": page}
    form = form_class(**kwargs) if data is None else form_class(data, files, **kwargs)
    form.source_fields = fields
    for key, field in form.fields.items():
        field.required = True
        value = dossier.answers.get(key)
        if data is None and isinstance(value, str) and form.field_types.get(key) not in (FieldType.VN_DATE,):
            field.initial = value
    return form


def submit_supplement(dossier_id, *, answers, uploads=None):
    """The citizen's supplement: only the requested answers/files change, then 5 → 4 (or 1).

    The caller has checked the citizen (code + phone, or a signed link) and validated the
    form (``supplement_form``). Old and new values are kept on the SupplementRequest.
    """
    with transaction.atomic():
        dossier = _lock(dossier_id)
        request_obj = open_supplement_request(dossier)
        if request_obj is None:
            raise _refusal(dossier, _("bổ sung"))
        wanted = set(request_obj.items)
        new_answers = {key: answer_to_json(value) for key, value in answers.items() if key in wanted}
        for key, items in (uploads or {}).items():
            if key not in wanted or not items:
                continue
            rows = []
            for item in items:
                stored_name = store_upload(item, prefix=f"dossiers/{dossier.pk}")
                rows.append(
                    DossierFile(
                        dossier=dossier,
                        field_key=key,
                        original_name=str(item.name)[:255],
                        content_type=str(item.content_type or "application/octet-stream")[:100],
                        size=item.size,
                        sha256=str(getattr(item, "sha256", "") or ""),
                        stored_name=stored_name,
                    )
                )
            DossierFile.objects.bulk_create(rows)
            new_answers[key] = [row.original_name for row in rows]
        request_obj.previous_answers = {key: dossier.answers.get(key) for key in wanted}
        request_obj.new_answers = new_answers
        request_obj.fulfilled_at = timezone.now()
        request_obj.save(update_fields=["previous_answers", "new_answers", "fulfilled_at"])
        dossier.answers = {**dossier.answers, **new_answers}
        dossier.save(update_fields=["answers"])
        change = resume_processing(
            dossier.pk,
            None,
            citizen=True,
            note=_("Người dân đã gửi hồ sơ bổ sung."),
            action=ACTIONS["supplement_submitted"],
        )
    return change


# --- withdrawal and rating ----------------------------------------------------------------------


def rate_dossier(dossier_id, *, satisfaction, comment=""):
    """One rating per dossier, once it ended in 10, 3 or 8. A second one is refused."""
    if satisfaction not in Satisfaction.values:
        raise ValueError(satisfaction)
    with transaction.atomic():
        dossier = _lock(dossier_id)
        if dossier.status not in RATING_STATUSES:
            raise TransitionRefused(_("Hồ sơ chưa kết thúc nên chưa thể đánh giá."))
        try:
            with transaction.atomic():
                rating = DossierRating.objects.create(
                    dossier=dossier, satisfaction=satisfaction, comment=(comment or "").strip()[:2000]
                )
        except IntegrityError:
            raise TransitionRefused(_("Hồ sơ này đã được đánh giá. Cảm ơn bạn.")) from None
        log(instance=dossier, action=ACTIONS["rated"], data={"satisfaction": satisfaction})
    return rating
