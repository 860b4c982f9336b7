"""forms.stats.figures and aggregates against hand-made dossiers of a fresh agency."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from forms.constants import Channel, DossierStatus
from forms.models import Dossier, StatusChange, Timeliness
from forms.review.calendar import local_day
from forms.review.models import DossierRating, Satisfaction
from forms.stats.aggregates import rebuild_day
from forms.stats.figures import compute_figures, flow_counts, make_scope
from forms.stats.models import AggregatedDay, DailyAggregate
from forms.stats.tasks import CATCH_UP_PER_RUN, aggregate_yesterday
from tests.factories.forms import make_agency, make_dossier, make_form_page

S = DossierStatus
T = Timeliness
MARCH = (date(2026, 3, 1), date(2026, 3, 31))
TODAY = date(2026, 4, 15)


def at(day, hour=10):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def dossier(page, status, channel=Channel.ONLINE, received=None, finished=None, timeliness="", due=None):
    made = make_dossier(page)
    Dossier.objects.filter(pk=made.pk).update(
        status=status,
        channel=channel,
        received_at=at(received) if received else None,
        finished_at=at(finished) if finished else None,
        timeliness=timeliness,
        due_date=due,
    )
    made.refresh_from_db()
    return made


def withdraw(made, day):
    Dossier.objects.filter(pk=made.pk).update(status=S.WITHDRAWN)
    StatusChange.objects.create(dossier=made, from_status=S.PROCESSING, to_status=S.WITHDRAWN, created_at=at(day))


def rate(made, satisfaction, day):
    rating = DossierRating.objects.create(dossier=made, satisfaction=satisfaction)
    DossierRating.objects.filter(pk=rating.pk).update(created_at=at(day))


@pytest.fixture
def march(demo_site):
    """Eight dossiers of one agency around March 2026 (see each line)."""
    agency = make_agency()
    page = make_form_page(demo_site, agency=agency)
    d = date
    a = dossier(page, S.DELIVERED, Channel.ONLINE, d(2026, 3, 2), d(2026, 3, 10), T.EARLY)
    dossier(page, S.DONE, Channel.ONLINE, d(2026, 3, 3), d(2026, 3, 12), T.ON_TIME)
    c = dossier(page, S.DELIVERED, Channel.IN_PERSON, d(2026, 3, 4), d(2026, 3, 20), T.LATE)
    dd = dossier(page, S.DELIVERED, Channel.POST, d(2026, 3, 5), d(2026, 3, 25), T.EARLY)
    # Withdrawn after reception: processed (dated by the change to 7), no timeliness.
    withdraw(dossier(page, S.PROCESSING, Channel.ONLINE, d(2026, 3, 5)), d(2026, 3, 15))
    # In progress and overdue now.
    dossier(page, S.PROCESSING, Channel.ONLINE, d(2026, 3, 28), due=d(2026, 3, 30))
    # Withdrawn before reception: never received, so not processed either.
    withdraw(dossier(page, S.NEW), d(2026, 3, 16))
    # Received in February, finished late in March: processed in March, not received in it.
    dossier(page, S.DELIVERED, Channel.ONLINE, d(2026, 2, 20), d(2026, 3, 2), T.LATE)
    rate(a, Satisfaction.VERY_SATISFIED, d(2026, 3, 11))
    rate(c, Satisfaction.NOT_SATISFIED, d(2026, 3, 21))
    rate(dd, Satisfaction.SATISFIED, d(2026, 3, 26))
    return agency, a.procedure


def test_received_by_channel_and_online_rate(march):
    agency, _ = march
    figures = compute_figures(*MARCH, agency=agency, today=TODAY)
    assert (figures.received_in_person, figures.received_online, figures.received_post) == (1, 4, 1)
    assert figures.received == 6
    assert figures.online_rate == Decimal("66.67")


def test_processed_counts_finished_and_withdrawn_after_reception_only(march):
    agency, _ = march
    figures = compute_figures(*MARCH, agency=agency, today=TODAY)
    assert figures.finished == 5
    assert figures.withdrawn == 1
    assert figures.processed == 6


def test_early_on_time_late_counts_and_percentages(march):
    agency, _ = march
    figures = compute_figures(*MARCH, agency=agency, today=TODAY)
    assert (figures.early, figures.on_time, figures.late) == (2, 1, 2)
    assert (figures.early_percent, figures.on_time_percent, figures.late_percent) == (
        Decimal("40.00"),
        Decimal("20.00"),
        Decimal("40.00"),
    )


def test_satisfaction_rate_and_rating_count(march):
    agency, _ = march
    figures = compute_figures(*MARCH, agency=agency, today=TODAY)
    assert figures.ratings == 3
    assert figures.satisfaction_rate == Decimal("66.67")


def test_in_progress_and_overdue_are_snapshots_of_today(march):
    agency, _ = march
    figures = compute_figures(*MARCH, agency=agency, today=TODAY)
    assert (figures.in_progress, figures.overdue) == (1, 1)


def test_procedure_filter_and_empty_period_give_no_percentages(march):
    agency, procedure = march
    assert compute_figures(*MARCH, procedure=procedure, today=TODAY).received == 6
    empty = compute_figures(date(2025, 1, 1), date(2025, 1, 31), agency=agency, today=TODAY)
    assert empty.received == 0
    assert empty.online_rate is None
    assert empty.early_percent is None
    assert empty.satisfaction_rate is None


def _rows(day):
    return sorted(
        DailyAggregate.objects.filter(day=day).values_list(
            "agency_id",
            "procedure_id",
            "received_in_person",
            "received_online",
            "received_post",
            "finished",
            "withdrawn",
            "early",
            "on_time",
            "late",
            "ratings",
            "satisfied_ratings",
        )
    )


def test_rebuild_day_twice_gives_the_same_rows(march):
    agency, procedure = march
    day = date(2026, 3, 10)
    rebuild_day(day)
    first = _rows(day)
    rebuild_day(day)
    assert _rows(day) == first
    assert (agency.pk, procedure.pk, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0) in first
    assert AggregatedDay.objects.filter(day=day).count() == 1


def test_aggregated_past_days_give_the_live_figures(march):
    agency, _ = march
    live = flow_counts(*MARCH, scope=make_scope(agency))
    for number in range(1, 32):
        rebuild_day(date(2026, 3, number))
    stored = compute_figures(*MARCH, agency=agency, today=TODAY)
    assert {name: getattr(stored, name) for name in live} == live
    # The stored path is really used: a changed dossier does not change a built past day.
    Dossier.objects.filter(agency=agency).update(channel=Channel.POST)
    assert compute_figures(*MARCH, agency=agency, today=TODAY).received_post == 1


def test_catch_up_builds_the_unbuilt_days_since_the_first_dossier_oldest_first(demo_site):
    first = local_day(Dossier.objects.order_by("submitted_at").first().submitted_at)
    yesterday = local_day() - timedelta(days=1)
    assert aggregate_yesterday() == 1 + min(max((yesterday - first).days, 0), CATCH_UP_PER_RUN)
    assert AggregatedDay.objects.filter(day=first).exists()
    assert AggregatedDay.objects.filter(day=yesterday).exists()
    assert aggregate_yesterday() == 1  # a second run only rebuilds yesterday


def test_rebuild_stats_command_builds_each_day_of_the_range(db):
    call_command("rebuild_stats", "--from", "01/03/2026", "--to", "03/03/2026", stdout=StringIO())
    assert sorted(AggregatedDay.objects.values_list("day", flat=True)) == [
        date(2026, 3, 1),
        date(2026, 3, 2),
        date(2026, 3, 3),
    ]
