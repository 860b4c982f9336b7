"""Working days: weekends, holidays, swapped Saturdays, the seeded 2025 Tết, pauses, timeliness."""

from datetime import date

import pytest

from forms.review.calendar import (
    add_working_days,
    due_date_for,
    is_working_day,
    timeliness_of,
    working_days_between,
    working_days_left,
)
from forms.review.holidays import ensure_holidays
from forms.review.models import Holiday, Timeliness

pytestmark = pytest.mark.django_db

# January 2030: no seeded holidays apart from 1/1. Monday 7, Friday 11, Saturday 12.
MON, FRI, SAT = date(2030, 1, 7), date(2030, 1, 11), date(2030, 1, 12)


def test_the_chosen_days_are_what_the_tests_say():
    assert (MON.weekday(), FRI.weekday(), SAT.weekday()) == (0, 4, 5)


def test_receipt_day_is_not_counted_and_weekends_are_skipped():
    assert add_working_days(MON, 0) == MON
    assert add_working_days(MON, 1) == date(2030, 1, 8)
    assert add_working_days(FRI, 1) == date(2030, 1, 14)  # Friday + 1 → Monday
    assert add_working_days(MON, 8) == date(2030, 1, 17)
    assert add_working_days(SAT, 1) == date(2030, 1, 14)


def test_holidays_are_skipped_and_swapped_saturdays_count():
    Holiday.objects.create(date=date(2030, 1, 9), name="Nghỉ thử")
    assert add_working_days(MON, 2) == date(2030, 1, 10)
    Holiday.objects.create(date=SAT, name="Làm bù thử", is_working_day_swap=True)
    assert is_working_day(SAT)
    assert not is_working_day(date(2030, 1, 13))
    assert add_working_days(FRI, 1) == SAT


def test_seeded_tet_2025_moves_the_due_date():
    ensure_holidays()
    # Received Friday 24/1/2025, 8 working days: Tết 27–31/1 and two weekends are skipped.
    assert add_working_days(date(2025, 1, 24), 8) == date(2025, 2, 12)
    # 2/5/2025 was swapped with Saturday 26/4/2025.
    assert is_working_day(date(2025, 4, 26))
    assert not is_working_day(date(2025, 5, 2))
    assert not is_working_day(date(2025, 9, 1)) and not is_working_day(date(2025, 9, 2))


def test_long_runs_of_days_off_widen_the_window():
    Holiday.objects.bulk_create(Holiday(date=date(2031, 3, day), name="Dài") for day in range(3, 29))
    assert add_working_days(date(2031, 3, 1), 1) == date(2031, 3, 31)


def test_working_days_between_and_left():
    assert working_days_between(MON, FRI) == 4
    assert working_days_between(FRI, date(2030, 1, 14)) == 1
    assert working_days_between(FRI, MON) == 0
    assert working_days_left(date(2030, 1, 17), today=MON) == 8
    assert working_days_left(MON, today=MON) == 0
    assert working_days_left(MON, today=date(2030, 1, 9)) == -2


def test_due_date_adds_paused_days_and_needs_a_time_limit():
    assert due_date_for(MON, 8) == date(2030, 1, 17)
    assert due_date_for(MON, 8, paused_working_days=3) == date(2030, 1, 22)
    assert due_date_for(MON, None) is None
    assert due_date_for(None, 8) is None


def test_timeliness():
    due = date(2030, 1, 17)
    assert timeliness_of(date(2030, 1, 16), due) == Timeliness.EARLY
    assert timeliness_of(due, due) == Timeliness.ON_TIME
    assert timeliness_of(date(2030, 1, 18), due) == Timeliness.LATE
    assert timeliness_of(due, None) == Timeliness.ON_TIME


def test_seeded_calendar_2026_and_2027():
    ensure_holidays()
    # New Year 2026: Friday 2/1 off, Saturday 10/1 worked instead (Government, 25/12/2025).
    assert not is_working_day(date(2026, 1, 2)) and is_working_day(date(2026, 1, 10))
    # Tết Bính Ngọ: Monday 16/2 to Friday 20/2 off; received on Friday 13/2, 1 day → Monday 23/2.
    assert add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 23)
    # Giỗ Tổ 2026 falls on Sunday 26/4: Monday 27/4 off; Thursday 30/4 and Friday 1/5 too.
    assert working_days_between(date(2026, 4, 24), date(2026, 5, 4)) == 3  # 28, 29/4 and 4/5
    # 2027: Giỗ Tổ on Friday 16/4; 1/5 on Saturday gives Monday 3/5 off.
    assert not is_working_day(date(2027, 4, 16)) and not is_working_day(date(2027, 5, 3))
    uncertain = Holiday.objects.filter(name__contains="[U]").values_list("date", flat=True)
    assert {day.year for day in uncertain} <= {2026, 2027}
    assert date(2026, 2, 17) not in uncertain and date(2027, 4, 16) not in uncertain
