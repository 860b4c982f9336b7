"""Deadlines in working days (ngày làm việc) with the holiday calendar.

A working day is a weekday that is not a ``Holiday``, or a weekend day marked as a
swapped working day. Conventions (documented here because the law leaves them implicit):

* the receipt day itself is not counted: a dossier received on Monday with 1 working day
  is due on Tuesday;
* a pause (statuses 5 and 6) from day P to day R adds the working days in (P, R] to the
  deadline: the clock stops for the days the office waits for the citizen;
* on completion the local completion day is compared with the due date: before → early,
  the same day → on time, after → late.
"""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from forms.constants import OVERDUE_CANDIDATE_STATUSES

from .models import Holiday, Timeliness

# Enough room for any run of holidays and weekends in one look-up window.
_WINDOW_SLACK = 30


def local_day(moment=None):
    """The calendar day in Asia/Ho_Chi_Minh (TIME_ZONE) of an aware datetime (now by default)."""
    return timezone.localtime(moment or timezone.now()).date()


class WorkingCalendar:
    """Working days between two dates, from the Holiday rows of that range (one query)."""

    def __init__(self, start, end):
        self.start, self.end = start, end
        rows = Holiday.objects.filter(date__range=(start, end)).values_list("date", "is_working_day_swap")
        self.days_off = {day for day, swap in rows if not swap}
        self.swapped_working_days = {day for day, swap in rows if swap}

    def is_working_day(self, day):
        if day in self.swapped_working_days:
            return True
        if day in self.days_off:
            return False
        return day.weekday() < 5


def is_working_day(day):
    return WorkingCalendar(day, day).is_working_day(day)


def add_working_days(start, days):
    """The ``days``-th working day after ``start`` (``start`` itself not counted); ``start`` when 0."""
    if days <= 0:
        return start
    window_end = start + timedelta(days=days * 2 + _WINDOW_SLACK)
    calendar = WorkingCalendar(start, window_end)
    day, counted = start, 0
    while counted < days:
        day += timedelta(days=1)
        if day > window_end:  # an unusually long run of days off: widen the window
            window_end = day + timedelta(days=days * 2 + _WINDOW_SLACK)
            calendar = WorkingCalendar(day, window_end)
        if calendar.is_working_day(day):
            counted += 1
    return day


def working_days_between(start, end):
    """Working days in (start, end]; 0 when end <= start."""
    if end <= start:
        return 0
    calendar = WorkingCalendar(start, end)
    return sum(1 for offset in range(1, (end - start).days + 1) if calendar.is_working_day(start + timedelta(offset)))


def working_days_left(due, today=None):
    """Working days from today to the due date: positive before it, 0 on it, negative once overdue."""
    today = today or local_day()
    if due >= today:
        return working_days_between(today, due)
    return -working_days_between(due, today)


def due_date_for(received_on, processing_days, paused_working_days=0):
    """The promised return date (ngày hẹn trả), or None when the procedure sets no time limit."""
    if received_on is None or processing_days is None:
        return None
    return add_working_days(received_on, processing_days + paused_working_days)


def timeliness_of(finished_on, due):
    """Early / on time / late (stored on completion); on time when there is no due date."""
    if due is None or finished_on == due:
        return Timeliness.ON_TIME
    return Timeliness.EARLY if finished_on < due else Timeliness.LATE


def overdue_q(today=None):
    """A Q for dossiers past their due date in a status where that matters (derived, never stored)."""
    today = today or local_day()
    return Q(status__in=[str(s) for s in OVERDUE_CANDIDATE_STATUSES], due_date__lt=today)


def is_overdue(dossier, today=None):
    today = today or local_day()
    return bool(dossier.status in OVERDUE_CANDIDATE_STATUSES and dossier.due_date and dossier.due_date < today)
