"""The review workflow services: every allowed transition, forbidden ones, permissions, side effects."""

import threading
from datetime import UTC, datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.utils import timezone
from wagtail.models import ModelLogEntry

from forms.constants import ALLOWED_TRANSITIONS, DossierStatus
from forms.models import Dossier, StatusChange
from forms.notifications import tasks
from forms.notifications.models import Notification
from forms.review import services
from forms.review.models import SupplementRequest, Timeliness
from forms.review.services import TransitionRefused
from tests.factories.review import make_review_dossier, move_to, user

S = DossierStatus

# Each allowed move (domain brief (b)) → the path that reaches its source and the service.
RECEIVE = ("receive", lambda d, a: services.receive_dossier(d.pk, a))
REFUSE = ("refuse", lambda d, a: services.refuse_dossier(d.pk, a, reason="Ảnh không hợp lệ"))
START = ("start", lambda d, a: services.start_processing(d.pk, a))
SUPPLEMENT = (
    "supplement",
    lambda d, a: services.request_supplement(d.pk, a, items=["anh_chan_dung"], message="Ảnh bị mờ"),
)
FEE = ("fee", lambda d, a: services.request_fee(d.pk, a, message="Nộp lệ phí"))
RESUME = ("resume", lambda d, a: services.resume_processing(d.pk, a))
FINISH = ("finish", lambda d, a: services.finish_dossier(d.pk, a))
STOP = ("stop", lambda d, a: services.stop_processing(d.pk, a, reason="Không đủ điều kiện"))
RETURN = ("return", lambda d, a: services.return_result(d.pk, a, method="truc_tiep"))
WITHDRAW = ("withdraw", lambda d, a: services.withdraw_dossier(d.pk, reason="Không còn nhu cầu"))

TRANSITIONS = {
    (S.NEW, S.ACCEPTED): ([], RECEIVE),
    (S.NEW, S.REFUSED): ([], REFUSE),
    (S.NEW, S.SUPPLEMENT_REQUESTED): ([], SUPPLEMENT),
    (S.NEW, S.PAYMENT_REQUESTED): ([], FEE),
    (S.NEW, S.WITHDRAWN): ([], WITHDRAW),
    (S.ACCEPTED, S.PROCESSING): ([RECEIVE], START),
    (S.ACCEPTED, S.PAYMENT_REQUESTED): ([RECEIVE], FEE),
    (S.ACCEPTED, S.WITHDRAWN): ([RECEIVE], WITHDRAW),
    (S.PROCESSING, S.SUPPLEMENT_REQUESTED): ([RECEIVE, START], SUPPLEMENT),
    (S.PROCESSING, S.PAYMENT_REQUESTED): ([RECEIVE, START], FEE),
    (S.PROCESSING, S.STOPPED): ([RECEIVE, START], STOP),
    (S.PROCESSING, S.DONE): ([RECEIVE, START], FINISH),
    (S.PROCESSING, S.WITHDRAWN): ([RECEIVE, START], WITHDRAW),
    (S.SUPPLEMENT_REQUESTED, S.PROCESSING): ([RECEIVE, START, SUPPLEMENT], RESUME),
    (S.SUPPLEMENT_REQUESTED, S.NEW): ([SUPPLEMENT], RESUME),
    (S.SUPPLEMENT_REQUESTED, S.WITHDRAWN): ([SUPPLEMENT], WITHDRAW),
    (S.SUPPLEMENT_REQUESTED, S.STOPPED): ([RECEIVE, START, SUPPLEMENT], STOP),
    (S.PAYMENT_REQUESTED, S.PROCESSING): ([RECEIVE, START, FEE], RESUME),
    (S.PAYMENT_REQUESTED, S.ACCEPTED): ([FEE], RECEIVE),
    (S.PAYMENT_REQUESTED, S.WITHDRAWN): ([FEE], WITHDRAW),
    (S.DONE, S.DELIVERED): ([RECEIVE, START, FINISH], RETURN),
}

FORBIDDEN = [
    ([], START),  # 1 → 4: must be received first
    ([], FINISH),
    ([], RETURN),
    ([RECEIVE], RECEIVE),  # received twice (a stale page)
    ([RECEIVE], REFUSE),  # refusing is for reception only
    ([RECEIVE], FINISH),
    ([RECEIVE, START], RETURN),
    ([RECEIVE, START], RESUME),
    ([RECEIVE, FEE], RECEIVE),  # a fee asked after acceptance: resume, never a second receipt
    ([RECEIVE, START, FINISH], WITHDRAW),  # finished: too late to withdraw
    ([RECEIVE, START, FINISH], STOP),
    ([REFUSE], RECEIVE),  # terminal
    ([WITHDRAW], RESUME),
    ([RECEIVE, START, FINISH, RETURN], RETURN),
]


@pytest.fixture
def officer(demo_site):
    return user("officer")


@pytest.fixture
def dossier(demo_site):
    return make_review_dossier(demo_site)


def test_every_allowed_transition_of_the_table_has_a_service_case():
    table = {(source, target) for source, targets in ALLOWED_TRANSITIONS.items() for target in targets}
    table.discard((S.DRAFT, S.NEW))  # submission, forms.services
    assert table == set(TRANSITIONS)


@pytest.mark.parametrize(("move", "case"), list(TRANSITIONS.items()), ids=lambda v: str(v))
def test_allowed_transition(dossier, officer, move, case):
    source, target = move
    path, (_name, action) = case
    for _step_name, step in path:
        step(dossier, officer)
    dossier.refresh_from_db()
    assert dossier.status == source
    change = action(dossier, officer)
    dossier.refresh_from_db()
    assert dossier.status == target
    assert (change.from_status, change.to_status) == (source, target)
    log_entry = ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Dossier), object_id=str(dossier.pk)
    ).latest("timestamp", "pk")
    assert log_entry.action.startswith("portal.dossier.")
    assert log_entry.data["to"] == target


@pytest.mark.parametrize(("path", "case"), FORBIDDEN, ids=lambda v: getattr(v, "__name__", str(v)[:40]))
def test_forbidden_transition_is_refused_with_a_clear_message(dossier, officer, path, case):
    for _name, step in path:
        step(dossier, officer)
    dossier.refresh_from_db()
    before = (dossier.status, StatusChange.objects.filter(dossier=dossier).count())
    with pytest.raises(TransitionRefused) as refused:
        case[1](dossier, officer)
    assert dossier.code in str(refused.value)
    assert "tải lại trang" in str(refused.value)
    dossier.refresh_from_db()
    assert (dossier.status, StatusChange.objects.filter(dossier=dossier).count()) == before


def test_stale_page_with_expected_status_is_refused(dossier, officer):
    services.receive_dossier(dossier.pk, officer)
    services.start_processing(dossier.pk, officer)
    services.request_fee(dossier.pk, officer)
    services.resume_processing(dossier.pk, officer)
    # Back in 4: a page rendered in 6 posts "resume" again.
    with pytest.raises(TransitionRefused):
        services.request_fee(dossier.pk, officer, expected_status=S.PAYMENT_REQUESTED)


@pytest.mark.parametrize("username", ["officer2", "editor", "publisher"])
def test_others_may_not_act_even_by_a_crafted_call(dossier, username):
    actor = user(username)
    for _name, action in (RECEIVE, REFUSE, SUPPLEMENT, FEE):
        with pytest.raises(PermissionDenied):
            action(dossier, actor)
    with pytest.raises(PermissionDenied):
        services.assign_dossier(dossier.pk, actor, user("officer"))
    with pytest.raises(PermissionDenied):
        services.add_note(dossier.pk, actor, "x")
    dossier.refresh_from_db()
    assert dossier.status == S.NEW


@pytest.mark.parametrize("username", ["admin", "manager"])
def test_superuser_and_manager_of_the_agency_may_act(dossier, username):
    services.receive_dossier(dossier.pk, user(username))
    dossier.refresh_from_db()
    assert dossier.status == S.ACCEPTED


def test_receive_sets_receipt_due_date_and_assignee(dossier, officer, monkeypatch):
    monday = datetime(2030, 1, 7, 3, 0, tzinfo=UTC)  # 10:00 in Hồ Chí Minh City
    monkeypatch.setattr(timezone, "now", lambda: monday)
    services.receive_dossier(dossier.pk, officer)
    dossier.refresh_from_db()
    assert dossier.received_at == monday
    assert dossier.due_date == datetime(2030, 1, 17).date()  # 8 working days
    assert dossier.assignee == officer
    assert dossier.processing_days == 8


def test_pause_moves_the_due_date_and_finishing_records_timeliness(dossier, officer, monkeypatch):
    def at(day):
        monkeypatch.setattr(timezone, "now", lambda: datetime(2030, 1, day, 3, 0, tzinfo=UTC))

    at(7)
    services.receive_dossier(dossier.pk, officer)
    services.start_processing(dossier.pk, officer)
    at(9)
    services.request_supplement(dossier.pk, officer, items=["anh_chan_dung"], message="Ảnh bị mờ")
    dossier.refresh_from_db()
    assert dossier.clock_paused_at is not None
    at(14)  # Thursday 10, Friday 11, Monday 14: three working days waiting for the citizen
    services.resume_processing(dossier.pk, officer)
    dossier.refresh_from_db()
    assert dossier.paused_working_days == 3
    assert dossier.clock_paused_at is None
    assert dossier.due_date == datetime(2030, 1, 22).date()
    at(23)
    services.finish_dossier(dossier.pk, officer)
    dossier.refresh_from_db()
    assert dossier.timeliness == Timeliness.LATE
    assert dossier.finished_at is not None


def test_finishing_early(dossier, officer):
    move_to(dossier, S.DONE, officer)
    assert dossier.timeliness == Timeliness.EARLY


def test_fee_before_acceptance_does_not_pause_a_clock_that_has_not_started(dossier, officer):
    services.request_fee(dossier.pk, officer)
    dossier.refresh_from_db()
    assert dossier.clock_paused_at is None
    services.receive_dossier(dossier.pk, officer)  # 6 → 2 once paid
    dossier.refresh_from_db()
    assert dossier.status == S.ACCEPTED and dossier.due_date is not None


def test_supplement_request_records_items_and_checks_them(dossier, officer):
    change = services.request_supplement(dossier.pk, officer, items=["anh_chan_dung"], message="Ảnh bị mờ")
    request = SupplementRequest.objects.get(status_change=change)
    assert request.items == ["anh_chan_dung"] and request.message == "Ảnh bị mờ"
    move_back = services.resume_processing(dossier.pk, officer)
    assert move_back.to_status == S.NEW
    with pytest.raises(ValidationError):
        services.request_supplement(dossier.pk, officer, items=["khong_co"], message="?")
    with pytest.raises(ValidationError):
        services.request_supplement(dossier.pk, officer, items=[], message=" ")
    dossier.refresh_from_db()
    assert dossier.status == S.NEW


def test_reasons_are_required(dossier, officer):
    with pytest.raises(ValidationError):
        services.refuse_dossier(dossier.pk, officer, reason="")
    with pytest.raises(ValidationError):
        services.withdraw_dossier(dossier.pk, reason="  ")


def test_return_by_post_needs_a_tracking_number_and_electronic_a_file(dossier, officer):
    move_to(dossier, S.DONE, officer)
    with pytest.raises(ValidationError):
        services.return_result(dossier.pk, officer, method="buu_chinh")
    with pytest.raises(ValidationError):
        services.return_result(dossier.pk, officer, method="dien_tu")
    result = SimpleUploadedFile("ket-qua.pdf", b"%PDF-1.4 ket qua", content_type="application/pdf")
    services.return_result(dossier.pk, officer, method="dien_tu", result_file=result)
    dossier.refresh_from_db()
    assert dossier.status == S.DELIVERED
    assert dossier.result_file.original_name == "ket-qua.pdf"
    assert dossier.return_method == "dien_tu"


def test_citizen_withdrawal_has_no_actor(dossier):
    change = services.withdraw_dossier(dossier.pk, reason="Không còn nhu cầu")
    assert change.actor is None and change.note == "Không còn nhu cầu"


def test_assign_only_to_officers_of_the_agency(dossier, officer):
    services.assign_dossier(dossier.pk, officer, user("manager"))
    dossier.refresh_from_db()
    assert dossier.assignee == user("manager")
    with pytest.raises(ValidationError):
        services.assign_dossier(dossier.pk, officer, user("officer2"))
    with pytest.raises(ValidationError):
        services.assign_dossier(dossier.pk, officer, user("editor"))


def test_notification_is_queued_after_commit_with_the_change_id(
    dossier, officer, monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr(tasks, "async_task", lambda *args, **kwargs: queued.append(args))
    with django_capture_on_commit_callbacks(execute=True):
        change = services.receive_dossier(dossier.pk, officer)
    (sms,) = Notification.objects.filter(status_change=change)
    assert queued == [(tasks.TASK, sms.pk)]


def test_a_broker_failure_never_undoes_the_transition(
    dossier, officer, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks, "async_task", broken)
    with django_capture_on_commit_callbacks(execute=True):
        services.receive_dossier(dossier.pk, officer)
    dossier.refresh_from_db()
    assert dossier.status == S.ACCEPTED


def test_allowed_actions_follow_the_status(dossier, officer):
    assert services.allowed_actions(dossier) == ["receive", "refuse", "request_supplement", "request_fee", "withdraw"]
    move_to(dossier, S.PROCESSING, officer)
    assert services.allowed_actions(dossier) == [
        "request_supplement",
        "request_fee",
        "finish",
        "stop",
        "withdraw",
    ]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_officers_receiving_at_once_one_wins_the_other_is_told(demo_site):
    """Two threads, two connections. PostgreSQL: really concurrent (the row lock decides);
    SQLite serialises writers, so there they run one after the other (same outcome)."""
    dossier = make_review_dossier(demo_site)
    actors = [user("officer"), user("manager")]
    results, refusals, errors = [], [], []
    concurrent = connection.vendor == "postgresql"
    barrier = threading.Barrier(2 if concurrent else 1)

    def act(actor):
        try:
            barrier.wait(timeout=30)
            results.append(services.receive_dossier(dossier.pk, actor))
        except TransitionRefused as refusal:
            refusals.append(str(refusal))
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=act, args=(actor,)) for actor in actors]
    if concurrent:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    else:
        for thread in threads:
            thread.start()
            thread.join(timeout=60)

    assert errors == []
    assert len(results) == 1 and len(refusals) == 1
    assert "Có thể một cán bộ khác vừa xử lý hồ sơ này" in refusals[0]
    assert StatusChange.objects.filter(dossier_id=dossier.pk, to_status=S.ACCEPTED).count() == 1
