"""Dossier codes AGENCYCODE-YYMMDD-NNNN: per agency, per day in Asia/Ho_Chi_Minh, race-free."""

import threading
from datetime import UTC, datetime

import pytest
from django.db import connection, connections

from forms.models import Dossier
from tests.factories.cms import AgencyFactory
from tests.factories.forms import make_dossier, make_form_page

CONCURRENT_SUBMISSIONS = 20


@pytest.mark.django_db
def test_code_uses_agency_code_and_local_day(demo_site):
    agency = AgencyFactory(code="000.99.79.H29")
    page = make_form_page(demo_site, agency=agency)
    # 18:30 UTC on 14/03 is 01:30 on 15/03 in Hồ Chí Minh City.
    late_evening_utc = datetime(2026, 3, 14, 18, 30, tzinfo=UTC)
    first = make_dossier(page, submitted_at=late_evening_utc)
    second = make_dossier(page, submitted_at=late_evening_utc)
    assert first.code == "000.99.79.H29-260315-0001"
    assert second.code == "000.99.79.H29-260315-0002"
    next_day = make_dossier(page, submitted_at=datetime(2026, 3, 15, 17, 5, tzinfo=UTC))
    assert next_day.code == "000.99.79.H29-260316-0001"


@pytest.mark.django_db
def test_numbers_are_per_agency(demo_site):
    when = datetime(2026, 4, 1, 3, 0, tzinfo=UTC)
    page_a = make_form_page(demo_site, agency=AgencyFactory(code="A.1"))
    page_b = make_form_page(demo_site, agency=AgencyFactory(code="B.2"))
    assert make_dossier(page_a, submitted_at=when).code == "A.1-260401-0001"
    assert make_dossier(page_b, submitted_at=when).code == "B.2-260401-0001"
    assert make_dossier(page_a, submitted_at=when).code == "A.1-260401-0002"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_get_distinct_codes(demo_site):
    """20 submissions at once, each in its own thread and database connection.

    On PostgreSQL they really run concurrently; SQLite serialises writers (one database
    lock), so there they run one after the other: same code path, fewer guarantees shown.
    """
    agency = AgencyFactory(code="000.77.79.H29")
    page = make_form_page(demo_site, agency=agency)
    when = datetime(2026, 5, 20, 2, 0, tzinfo=UTC)
    codes, errors = [], []
    barrier = threading.Barrier(CONCURRENT_SUBMISSIONS)

    def submit(number):
        try:
            barrier.wait(timeout=30)
            codes.append(make_dossier(page, key=f"concurrency:{number}", submitted_at=when).code)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    if connection.vendor == "postgresql":
        threads = [threading.Thread(target=submit, args=(n,)) for n in range(CONCURRENT_SUBMISSIONS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    else:
        barrier = threading.Barrier(1)
        for number in range(CONCURRENT_SUBMISSIONS):
            thread = threading.Thread(target=submit, args=(number,))
            thread.start()
            thread.join(timeout=60)

    assert errors == []
    assert len(codes) == CONCURRENT_SUBMISSIONS
    assert len(set(codes)) == CONCURRENT_SUBMISSIONS
    assert sorted(codes) == [f"000.77.79.H29-260520-{n:04d}" for n in range(1, CONCURRENT_SUBMISSIONS + 1)]
    assert Dossier.objects.filter(agency=agency).count() == CONCURRENT_SUBMISSIONS
