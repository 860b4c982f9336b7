"""Hand-checked figures from dossiers moved by the real review services at chosen moments.

March 2026 has no public holiday. Every dossier is received on Monday 2 March at 10:00
(Hồ Chí Minh City) by a procedure of 8 working days, so without a pause it is due on
Thursday 12 March (3, 4, 5, 6, 9, 10, 11, 12). Waiting for the citizen moves the due date by
the working days waited (forms.review.calendar), so a pause never makes a dossier late.
"""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from forms.constants import DossierStatus
from forms.models import Dossier, Timeliness
from forms.review import services
from forms.stats.aggregates import rebuild_day
from forms.stats.figures import compute_figures, flow_counts, make_scope
from tests.factories.review import make_review_dossier, user

S = DossierStatus
MARCH = (date(2026, 3, 1), date(2026, 3, 31))
TODAY = date(2026, 4, 15)


def local(day, hour=10, minute=0, second=0):
    return timezone.make_aware(datetime(2026, 3, day, hour, minute, second))


@pytest.fixture
def clock(monkeypatch):
    def set_to(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_to


@pytest.fixture
def march(demo_site, clock):
    """Twelve dossiers of one fresh procedure; the docstring of each block says what it shows."""
    officer = user("officer")
    first = make_review_dossier(demo_site, processing_days=8)
    page = first.form_page
    made = {"A": first}
    for name in "BCDEFGHIJK":
        made[name] = make_review_dossier(demo_site, page=page)
    pk = {name: dossier.pk for name, dossier in made.items()}

    def act(moment, service, name, **kwargs):
        clock(moment)
        citizen = service is services.withdraw_dossier  # the citizen acts without an account
        service(*((pk[name],) if citizen else (pk[name], officer)), **kwargs)

    for name in "ABCDEFGHJ":
        act(local(2), services.receive_dossier, name)
        act(local(2, 11), services.start_processing, name)
    # Without a pause, due Thursday 12 March.
    act(local(12, 23, 59, 59), services.finish_dossier, "A")  # the last second of the due day: on time
    act(local(13, 0, 0, 1), services.finish_dossier, "B")  # the first second after it: late
    act(local(11, 16), services.finish_dossier, "C")  # the day before: early
    # D waits for papers Wednesday 4 → Friday 6: 2 working days (5, 6), due Monday 16.
    act(local(4), services.request_supplement, "D", items=["anh_chan_dung"], message="Ảnh bị mờ")
    act(local(6), services.resume_processing, "D")
    act(local(16, 17), services.finish_dossier, "D")  # late without the pause, on time with it
    # E waits for a payment Friday 6 → Monday 9: only Monday is a working day, due Friday 13.
    act(local(6), services.request_fee, "E", message="Nộp lệ phí 200.000 đồng")
    act(local(9), services.resume_processing, "E")
    act(local(13, 9), services.finish_dossier, "E")  # on time
    # F has the same 2-day pause as D but finishes Tuesday 17: late even after the pause.
    act(local(4), services.request_supplement, "F", items=["anh_chan_dung"], message="Ảnh bị mờ")
    act(local(6), services.resume_processing, "F")
    act(local(17), services.finish_dossier, "F")
    # G is stopped (8) on 20 March; H withdrawn after reception on 10 March.
    act(local(20), services.stop_processing, "G", reason="Không đủ điều kiện")
    act(local(10), services.withdraw_dossier, "H", reason="Không còn nhu cầu")
    # I is withdrawn before reception: never received, never processed.
    act(local(10), services.withdraw_dossier, "I", reason="Nộp nhầm")
    # J waits for papers now; K was asked for the fee before reception (not received yet).
    act(local(25), services.request_supplement, "J", items=["anh_chan_dung"], message="Ảnh bị mờ")
    act(local(25), services.request_fee, "K", message="Nộp lệ phí trước khi tiếp nhận")
    return page.get_procedure(), {name: Dossier.objects.get(pk=value) for name, value in pk.items()}


def test_stored_timeliness_at_the_exact_boundaries_with_pauses_excluded(march):
    _procedure, dossiers = march
    assert dossiers["A"].due_date == date(2026, 3, 12)
    assert {name: dossiers[name].timeliness for name in "ABCDEF"} == {
        "A": Timeliness.ON_TIME,
        "B": Timeliness.LATE,
        "C": Timeliness.EARLY,
        "D": Timeliness.ON_TIME,
        "E": Timeliness.ON_TIME,
        "F": Timeliness.LATE,
    }
    assert (dossiers["D"].due_date, dossiers["E"].due_date) == (date(2026, 3, 16), date(2026, 3, 13))


def test_figures_of_march_by_hand(march):
    procedure, _dossiers = march
    figures = compute_figures(*MARCH, procedure=procedure, today=TODAY)
    assert figures.received == 9  # A–H and J; I and K were never received
    assert (figures.finished, figures.withdrawn, figures.processed) == (6, 1, 7)
    assert (figures.early, figures.on_time, figures.late) == (1, 3, 2)
    assert figures.on_time_rate == Decimal("66.67")  # (1 + 3) / 6
    assert (figures.stopped, figures.waiting_supplement, figures.waiting_payment) == (1, 1, 0)
    assert figures.paused == 2
    assert figures.in_progress == 0


def test_local_day_boundaries_split_the_flows_by_day(march):
    procedure, _dossiers = march
    scope = make_scope(procedure=procedure)
    twelfth = flow_counts(date(2026, 3, 12), date(2026, 3, 12), scope=scope)
    thirteenth = flow_counts(date(2026, 3, 13), date(2026, 3, 13), scope=scope)
    assert (twelfth["finished"], twelfth["on_time"], twelfth["late"]) == (1, 1, 0)  # A at 23:59:59
    assert (thirteenth["finished"], thirteenth["on_time"], thirteenth["late"]) == (2, 1, 1)  # B at 00:00:01, E


def test_aggregates_of_every_day_give_the_hand_checked_figures(march):
    procedure, _dossiers = march
    live = compute_figures(*MARCH, procedure=procedure, today=TODAY)
    for number in range(1, 32):
        rebuild_day(date(2026, 3, number))
    stored = compute_figures(*MARCH, procedure=procedure, today=TODAY)
    assert stored == live
    # The stored rows are really read: a dossier changed afterwards does not move a built day.
    Dossier.objects.filter(procedure=procedure).update(timeliness=Timeliness.LATE)
    assert compute_figures(*MARCH, procedure=procedure, today=TODAY).late == 2
