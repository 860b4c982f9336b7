"""The review workflow: one service per officer (or citizen) action on a dossier.

Every transition runs in one transaction: lock the dossier row (``select_for_update``),
check who acts (``permissions.can_act_on``; the citizen's own actions are authorised by
the caller, which has checked the code and phone), check the move against the one table
(``forms.constants.ALLOWED_TRANSITIONS``), write the ``StatusChange`` and a Wagtail log
entry, and record the citizen's notifications (``forms.notifications.record_event``: rows in
this transaction, sent after the commit by id; a broker failure never rolls the transition back).

Two officers acting on the same dossier at once: the second waits for the first's lock,
then finds the status changed and gets ``TransitionRefused`` with a message saying so.
"""

import hashlib
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from forms.constants import TERMINAL_STATUSES, DossierStatus, ResultDelivery, is_allowed_transition
from forms.models import Dossier, DossierFile, StatusChange
from forms.notifications import services as notifications
from forms.services import TransitionRefused as BaseTransitionRefused
from forms.storage import store_upload

from .calendar import due_date_for, local_day, timeliness_of, working_days_between
from .models import DossierNote, SupplementRequest
from .permissions import can_act_on, can_be_assigned

S = DossierStatus
RESULT_FILE_KEY = "ket_qua_giai_quyet"  # DossierFile.field_key of the result the office uploads

# Wagtail log actions (labels registered in wagtail_hooks.py).
ACTIONS = {
    "received": "portal.dossier.received",
    "refused": "portal.dossier.refused",
    "assigned": "portal.dossier.assigned",
    "processing_started": "portal.dossier.processing_started",
    "supplement_requested": "portal.dossier.supplement_requested",
    "fee_requested": "portal.dossier.fee_requested",
    "resumed": "portal.dossier.resumed",
    "supplement_submitted": "portal.dossier.supplement_submitted",
    "finished": "portal.dossier.finished",
    "stopped": "portal.dossier.stopped",
    "result_returned": "portal.dossier.result_returned",
    "withdrawn": "portal.dossier.withdrawn",
    "note_added": "portal.dossier.note_added",
    "viewed": "portal.dossier.viewed",
    "rated": "portal.dossier.rated",
}


class TransitionRefused(BaseTransitionRefused):
    """The dossier is no longer in a status where this action applies (often: someone acted first)."""


# The Dossier columns the workflow writes (saved together; the row is locked meanwhile).
WORKFLOW_FIELDS = (
    "status",
    "received_at",
    "due_date",
    "assignee",
    "processing_days",
    "clock_paused_at",
    "paused_working_days",
    "finished_at",
    "timeliness",
    "returned_at",
    "return_method",
    "tracking_number",
    "result_file",
)


@dataclass
class _Step:
    dossier: Dossier
    change: StatusChange
    now: object


def _refusal(dossier, verb):
    return TransitionRefused(
        _(
            "Không thể %(verb)s hồ sơ %(code)s vì hồ sơ đang ở trạng thái “%(status)s”. "
            "Có thể một cán bộ khác vừa xử lý hồ sơ này; hãy tải lại trang để xem trạng thái mới."
        )
        % {"verb": verb, "code": dossier.code, "status": dossier.status_enum.label}
    )


def _lock(dossier_id):
    return Dossier.objects.select_for_update().get(pk=dossier_id)


def _check_actor(actor, dossier, citizen):
    if citizen:
        return
    if not can_act_on(actor, dossier):
        raise PermissionDenied(_("Bạn không có quyền xử lý hồ sơ này."))


def _pause_clock(step):
    if step.dossier.received_at and step.dossier.clock_paused_at is None:
        step.dossier.clock_paused_at = step.now


def _resume_clock(step):
    """Add the working days spent waiting for the citizen, and move the due date by as many."""
    dossier = step.dossier
    if dossier.clock_paused_at is None:
        return
    dossier.paused_working_days += working_days_between(local_day(dossier.clock_paused_at), local_day(step.now))
    dossier.clock_paused_at = None
    _set_due_date(step)


def _set_due_date(step):
    dossier = step.dossier
    dossier.due_date = due_date_for(
        local_day(dossier.received_at) if dossier.received_at else None,
        dossier.processing_days,
        dossier.paused_working_days,
    )


def _receive(step):
    dossier = step.dossier
    dossier.received_at = step.now
    dossier.processing_days = getattr(dossier.procedure, "processing_days", None)
    _set_due_date(step)


def _transition(
    dossier_id,
    actor,
    to_status,
    action,
    verb,
    *,
    note="",
    data=None,
    expected_status=None,
    citizen=False,
    allowed_from=None,
    precondition=None,
    apply=None,
):
    to_status = S(to_status)
    with transaction.atomic():
        dossier = _lock(dossier_id)
        _check_actor(actor, dossier, citizen)
        if expected_status not in (None, "") and str(expected_status) != dossier.status:
            raise _refusal(dossier, verb)
        if (
            not is_allowed_transition(dossier.status, to_status)
            or (allowed_from is not None and dossier.status not in allowed_from)
            or (precondition is not None and not precondition(dossier))
        ):
            raise _refusal(dossier, verb)
        now = timezone.now()
        change = StatusChange.objects.create(
            dossier=dossier,
            actor=None if citizen else actor,
            from_status=dossier.status,
            to_status=to_status,
            note=note or "",
            created_at=now,
        )
        step = _Step(dossier=dossier, change=change, now=now)
        dossier.status = to_status
        if apply is not None:
            apply(step)
        dossier.save(update_fields=WORKFLOW_FIELDS)
        log(
            instance=dossier,
            action=action,
            user=None if citizen else actor,
            data={"from": change.from_status, "to": change.to_status, **(data or {})},
        )
        notifications.record_status_change(dossier, change)
    return change


def _require(value, message):
    if not (value or "").strip():
        raise ValidationError(message)
    return value.strip()


# --- officer actions ---------------------------------------------------------------------


def receive_dossier(dossier_id, actor, *, note="", expected_status=None):
    """1 → 2 "Được tiếp nhận" (or 6 → 2 once the fee asked before acceptance is paid).

    Sets the receipt time and the due date: receipt day + the procedure's working days.
    """

    def apply(step):
        _resume_clock(step)
        _receive(step)
        if step.dossier.assignee_id is None:
            step.dossier.assignee = actor

    return _transition(
        dossier_id,
        actor,
        S.ACCEPTED,
        ACTIONS["received"],
        _("tiếp nhận"),
        note=note,
        expected_status=expected_status,
        allowed_from={S.NEW, S.PAYMENT_REQUESTED},
        # 6 → 2 only for a fee asked before acceptance; after it, 6 goes back to 4 (resume).
        precondition=lambda dossier: dossier.received_at is None,
        apply=apply,
    )


def refuse_dossier(dossier_id, actor, *, reason, expected_status=None):
    """1 → 3 "Không được tiếp nhận", with the reason the citizen will read."""
    reason = _require(reason, _("Hãy nêu lý do không tiếp nhận hồ sơ."))
    return _transition(
        dossier_id,
        actor,
        S.REFUSED,
        ACTIONS["refused"],
        _("từ chối tiếp nhận"),
        note=reason,
        expected_status=expected_status,
        apply=_finish_time,
    )


def assign_dossier(dossier_id, actor, assignee):
    """Give the dossier to an officer of its agency (no status change; logged)."""
    with transaction.atomic():
        dossier = _lock(dossier_id)
        _check_actor(actor, dossier, citizen=False)
        if dossier.status in TERMINAL_STATUSES or dossier.status == S.DRAFT:
            raise _refusal(dossier, _("phân công"))
        if not can_be_assigned(assignee, dossier):
            raise ValidationError(_("Chỉ phân công cho cán bộ của cơ quan tiếp nhận hồ sơ."))
        previous = dossier.assignee_id
        dossier.assignee = assignee
        dossier.save(update_fields=["assignee"])
        log(
            instance=dossier,
            action=ACTIONS["assigned"],
            user=actor,
            data={"assignee": assignee.get_username(), "previous_assignee_id": previous},
        )
        notifications.record_assignment(dossier, assignee, actor, previous_id=previous)
    return dossier


def start_processing(dossier_id, actor, *, note="", expected_status=None):
    """2 → 4 "Đang xử lý"."""

    def apply(step):
        if step.dossier.assignee_id is None:
            step.dossier.assignee = actor

    return _transition(
        dossier_id,
        actor,
        S.PROCESSING,
        ACTIONS["processing_started"],
        _("chuyển xử lý"),
        note=note,
        expected_status=expected_status,
        apply=apply,
    )


def supplement_items_of(dossier):
    """``{key: label}`` of what may be asked again: the inputs of the dossier's form version."""
    return dossier.form_version.field_labels()


def request_supplement(dossier_id, actor, *, items, message, expected_status=None):
    """1 or 4 → 5 "Yêu cầu bổ sung giấy tờ": which answers/documents, and why. Pauses the clock."""
    items = [str(item) for item in (items or [])]
    message = _require(message, _("Hãy ghi rõ nội dung cần bổ sung để người dân biết phải làm gì."))

    def apply(step):
        known = supplement_items_of(step.dossier)
        unknown = [item for item in items if item not in known]
        if unknown:
            raise ValidationError(_("Không có mục “%(items)s” trong tờ khai.") % {"items": ", ".join(unknown)})
        _pause_clock(step)
        SupplementRequest.objects.create(dossier=step.dossier, status_change=step.change, items=items, message=message)

    return _transition(
        dossier_id,
        actor,
        S.SUPPLEMENT_REQUESTED,
        ACTIONS["supplement_requested"],
        _("yêu cầu bổ sung"),
        note=message,
        data={"items": items},
        expected_status=expected_status,
        apply=apply,
    )


def request_fee(dossier_id, actor, *, message="", expected_status=None):
    """1, 2 or 4 → 6 "Yêu cầu thực hiện nghĩa vụ tài chính". Pauses the clock once received."""
    return _transition(
        dossier_id,
        actor,
        S.PAYMENT_REQUESTED,
        ACTIONS["fee_requested"],
        _("yêu cầu nộp lệ phí"),
        note=message,
        expected_status=expected_status,
        apply=_pause_clock,
    )


def _resume_target(dossier):
    if dossier.status == S.SUPPLEMENT_REQUESTED:
        return S.PROCESSING if dossier.received_at else S.NEW
    if dossier.status == S.PAYMENT_REQUESTED:
        return S.PROCESSING if dossier.received_at else S.ACCEPTED
    return None


def resume_processing(dossier_id, actor, *, note="", expected_status=None, citizen=False, action=None):
    """5 → 4 / 6 → 4 (or 5 → 1, 6 → 2 before acceptance): the clock runs again."""
    with transaction.atomic():
        current = _lock(dossier_id)
        target = _resume_target(current)
        if target is None:
            _check_actor(actor, current, citizen)
            raise _refusal(current, _("tiếp tục xử lý"))

        def apply(step):
            _resume_clock(step)
            if target == S.ACCEPTED:
                _receive(step)

        return _transition(
            dossier_id,
            actor,
            target,
            action or (ACTIONS["received"] if target == S.ACCEPTED else ACTIONS["resumed"]),
            _("tiếp tục xử lý"),
            note=note,
            expected_status=expected_status,
            citizen=citizen,
            apply=apply,
        )


def _store_result_file(dossier, upload):
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    stored_name = store_upload(upload, prefix=f"dossiers/{dossier.pk}/ket-qua")
    return DossierFile.objects.create(
        dossier=dossier,
        field_key=RESULT_FILE_KEY,
        original_name=str(upload.name)[:255],
        content_type=str(getattr(upload, "content_type", "") or "application/octet-stream")[:100],
        size=upload.size,
        sha256=digest.hexdigest(),
        stored_name=stored_name,
    )


def _finish_time(step):
    step.dossier.finished_at = step.now


def _close_without_result(step):
    """Stopped or withdrawn: a paused clock resumes (its pause is counted), then the dossier is closed."""
    _resume_clock(step)
    _finish_time(step)


def finish_dossier(dossier_id, actor, *, result_file=None, note="", expected_status=None):
    """4 → 9 "Đã xử lý xong": stores the completion time and early / on time / late."""

    def apply(step):
        _finish_time(step)
        step.dossier.timeliness = timeliness_of(local_day(step.now), step.dossier.due_date)
        if result_file is not None:
            step.dossier.result_file = _store_result_file(step.dossier, result_file)

    return _transition(
        dossier_id,
        actor,
        S.DONE,
        ACTIONS["finished"],
        _("kết thúc xử lý"),
        note=note,
        expected_status=expected_status,
        apply=apply,
    )


def stop_processing(dossier_id, actor, *, reason, expected_status=None):
    """4 or 5 → 8 "Dừng xử lý" (not eligible), with the reason the citizen will read."""
    reason = _require(reason, _("Hãy nêu lý do dừng xử lý hồ sơ."))

    return _transition(
        dossier_id,
        actor,
        S.STOPPED,
        ACTIONS["stopped"],
        _("dừng xử lý"),
        note=reason,
        expected_status=expected_status,
        apply=_close_without_result,
    )


def return_result(dossier_id, actor, *, method, tracking_number=None, result_file=None, note="", expected_status=None):
    """9 → 10 "Đã trả kết quả": in person, by public post (tracking number) or electronically (a file)."""
    if method not in ResultDelivery.values:
        raise ValidationError(_("Chọn cách trả kết quả."))
    tracking_number = (tracking_number or "").strip()
    if method == ResultDelivery.PUBLIC_POST and not tracking_number:
        raise ValidationError(_("Trả qua bưu chính công ích cần số vận đơn."))

    def apply(step):
        dossier = step.dossier
        if result_file is not None:
            dossier.result_file = _store_result_file(dossier, result_file)
        if method == ResultDelivery.ELECTRONIC and dossier.result_file_id is None:
            raise ValidationError(_("Trả kết quả điện tử cần tải lên tệp kết quả."))
        dossier.return_method = method
        dossier.tracking_number = tracking_number
        dossier.returned_at = step.now

    return _transition(
        dossier_id,
        actor,
        S.DELIVERED,
        ACTIONS["result_returned"],
        _("trả kết quả"),
        note=note,
        data={"method": method},
        expected_status=expected_status,
        apply=apply,
    )


def withdraw_dossier(dossier_id, actor=None, *, reason, expected_status=None):
    """→ 7 "Công dân yêu cầu rút hồ sơ" while the dossier is not finished.

    ``actor=None`` is the citizen (the caller has checked the dossier code and phone); an
    officer may also record a withdrawal the citizen asked for at the desk.
    """
    reason = _require(reason, _("Hãy cho biết lý do rút hồ sơ."))

    return _transition(
        dossier_id,
        actor,
        S.WITHDRAWN,
        ACTIONS["withdrawn"],
        _("rút"),
        note=reason,
        expected_status=expected_status,
        citizen=actor is None,
        apply=_close_without_result,
    )


# --- notes and access log ---------------------------------------------------------------


def add_note(dossier_id, actor, text):
    """An internal note (never shown to the citizen)."""
    text = _require(text, _("Ghi chú trống."))
    with transaction.atomic():
        dossier = Dossier.objects.get(pk=dossier_id)
        _check_actor(actor, dossier, citizen=False)
        note = DossierNote.objects.create(dossier=dossier, author=actor, text=text)
        log(instance=dossier, action=ACTIONS["note_added"], user=actor, data={"note_id": note.pk})
    return note


def record_view(dossier, user):
    """Log that a staff member opened the dossier (managers read it in the history / audit report)."""
    log(instance=dossier, action=ACTIONS["viewed"], user=user, data={})


def allowed_actions(dossier):
    """The officer actions offered for the dossier's current status, in display order."""
    status = S(dossier.status)
    actions = []
    if status == S.NEW or (status == S.PAYMENT_REQUESTED and not dossier.received_at):
        actions.append("receive")
    if is_allowed_transition(status, S.REFUSED):
        actions.append("refuse")
    if is_allowed_transition(status, S.PROCESSING) and status == S.ACCEPTED:
        actions.append("start")
    if is_allowed_transition(status, S.SUPPLEMENT_REQUESTED):
        actions.append("request_supplement")
    if is_allowed_transition(status, S.PAYMENT_REQUESTED):
        actions.append("request_fee")
    # 6 before acceptance goes on with "receive"; 5 (either way) and 6 after it with "resume".
    if status == S.SUPPLEMENT_REQUESTED or (status == S.PAYMENT_REQUESTED and dossier.received_at):
        actions.append("resume")
    if is_allowed_transition(status, S.DONE):
        actions.append("finish")
    if is_allowed_transition(status, S.STOPPED):
        actions.append("stop")
    if is_allowed_transition(status, S.DELIVERED):
        actions.append("return_result")
    if is_allowed_transition(status, S.WITHDRAWN):
        actions.append("withdraw")
    return actions
