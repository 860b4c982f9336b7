"""The public statistics page seeded at /thong-ke/: period filter, bad input, CSV, no personal data."""

from io import StringIO

import pytest
from django_q.models import Schedule

from cms.demo import DemoReport
from cms.models import Agency
from forms.models import Dossier
from forms.stats.demo import seed
from forms.stats.models import StatisticsPage


@pytest.fixture
def stats_page(demo_site):
    return StatisticsPage.objects.child_of(demo_site).get(slug="thong-ke")


def get(client, page, suffix="", **params):
    return client.get(page.url + suffix, params)


def test_page_renders_figures_chart_and_table_for_a_month(client, stats_page):
    response = get(client, stats_page, ky="thang", thang="3", nam="2026")
    assert response.status_code == 200
    body = response.content.decode()
    assert "01/03/2026" in body and "31/03/2026" in body
    assert 'role="img"' in body and "<title" in body and "<table" in body
    assert response["Cache-Control"] in ("public, max-age=300", "max-age=300, public")


def test_page_for_a_quarter_a_year_and_a_custom_range(client, stats_page):
    assert "01/04/2026" in get(client, stats_page, ky="quy", quy="2", nam="2026").content.decode()
    assert "31/12/2025" in get(client, stats_page, ky="nam", nam="2025").content.decode()
    body = get(client, stats_page, ky="tuy-chon", tu_ngay="05/01/2026", den_ngay="20/02/2026").content.decode()
    assert "05/01/2026" in body and "20/02/2026" in body


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"ky": "tuy-chon", "tu_ngay": "2026-01-05", "den_ngay": "20/02/2026"}, "Ngày không đúng định dạng"),
        ({"ky": "tuy-chon", "tu_ngay": "20/02/2026", "den_ngay": "05/01/2026"}, "Ngày bắt đầu phải trước"),
        ({"co_quan": "999999"}, "Không tìm thấy cơ quan"),
        ({"ky": "tuy-chon", "tu_ngay": "01/01/2000", "den_ngay": "31/12/2025"}, "dài quá 5 năm"),
    ],
)
def test_bad_input_shows_a_message_and_200(client, stats_page, params, message):
    response = get(client, stats_page, **params)
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    if "5 năm" not in message:
        assert "Đang hiện số liệu của tháng này" in body


def test_csv_has_the_figures(client, stats_page):
    response = get(client, stats_page, "csv/", ky="nam", nam="2026")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "Tiếp nhận" in response.content.decode()


def test_page_and_csv_contain_no_personal_data_of_seeded_dossiers(client, stats_page):
    people = Dossier.objects.values_list("applicant_name", "personal_id", "applicant_phone")
    assert people
    year = {"ky": "nam", "nam": "2026"}
    bodies = [
        get(client, stats_page, **year).content.decode(),
        get(client, stats_page, "csv/", **year).content.decode(),
    ]
    for name, personal_id, phone in people:
        for body in bodies:
            for value in (name, personal_id, phone):
                if value:
                    assert value not in body


def test_agency_filter_shows_the_agency(client, stats_page):
    agency = Agency.objects.order_by("pk").first()
    response = get(client, stats_page, ky="nam", nam="2026", co_quan=str(agency.pk))
    assert response.status_code == 200
    assert agency.name in response.content.decode()


def test_seed_is_idempotent(stats_page, demo_site):
    seed(DemoReport(StringIO()), {"home": demo_site})
    assert StatisticsPage.objects.child_of(demo_site).filter(slug="thong-ke").count() == 1


def test_daily_aggregation_is_scheduled(db):
    schedule = Schedule.objects.get(func="forms.stats.tasks.aggregate_yesterday")
    assert (schedule.schedule_type, schedule.repeats) == (Schedule.DAILY, -1)
