"""The public statistics page seeded at /thong-ke/: period filter, bad input, CSV, no personal data."""

import csv
import io
import re
from datetime import date
from io import StringIO

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django_q.models import Schedule
from wagtail.models import Locale

from cms.demo import DemoReport
from cms.models import Agency
from forms.models import Dossier
from forms.review.calendar import local_day
from forms.stats.aggregates import rebuild_day
from forms.stats.caching import fresh_or_recent
from forms.stats.demo import seed
from forms.stats.models import DailyAggregate, StatisticsPage
from guides.models import GuidePage


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
    people = Dossier.objects.values_list(
        "applicant_name", "personal_id", "applicant_phone", "applicant_email", "postal_address"
    )
    assert people
    english = stats_page.get_translation(Locale.objects.get(language_code="en"))
    year = {"ky": "nam", "nam": "2026"}
    bodies = [
        get(client, stats_page, **year).content.decode(),
        get(client, stats_page, "csv/", **year).content.decode(),
        get(client, english, **year).content.decode(),
        get(client, english, "csv/", **year).content.decode(),
    ]
    for values in people:
        for body in bodies:
            for value in values:
                if value:
                    assert value not in body


def test_agency_filter_shows_the_agency(client, stats_page):
    agency = Agency.objects.order_by("pk").first()
    response = get(client, stats_page, ky="nam", nam="2026", co_quan=str(agency.pk))
    assert response.status_code == 200
    assert agency.name in response.content.decode()


def test_seed_is_idempotent(stats_page, demo_site):
    home_en = demo_site.get_translation(Locale.objects.get(language_code="en"))
    seed(DemoReport(StringIO()), {"home": demo_site, "home_en": home_en})
    assert StatisticsPage.objects.child_of(demo_site).filter(slug="thong-ke").count() == 1
    assert StatisticsPage.objects.filter(translation_key=stats_page.translation_key).count() == 2


def test_daily_aggregation_is_scheduled(db):
    schedule = Schedule.objects.get(func="forms.stats.tasks.aggregate_yesterday")
    assert (schedule.schedule_type, schedule.repeats) == (Schedule.DAILY, -1)


# --- filters by field and procedure, bad input, the English page --------------------------


def received_on(body):
    """The "received" figure of a rendered page (first row of the figures table)."""
    match = re.search(r"<th scope=\"row\">(?:Tiếp nhận|Received)</th><td>(\d+)</td>", body)
    assert match, "no received row"
    return int(match.group(1))


def test_field_and_procedure_filters_name_what_is_shown(client, stats_page):
    guide = GuidePage.objects.live().filter(locale=stats_page.locale, procedure_field__isnull=False).first()
    field = guide.procedure_field
    body = get(client, stats_page, ky="nam", nam="2026", linh_vuc=str(field.pk), thu_tuc=str(guide.pk)).content.decode()
    assert field.name in body and guide.title in body
    assert "Không tìm thấy" not in body


def test_procedure_filter_counts_only_that_procedure(client, stats_page):
    counted = Dossier.objects.filter(received_at__isnull=False).values("procedure").annotate(n=Count("pk"))
    row = max(counted, key=lambda r: r["n"])
    guide = GuidePage.objects.get(pk=row["procedure"])
    year = {"ky": "tuy-chon", "tu_ngay": "01/01/2000", "den_ngay": "31/12/2030"}  # cut to 5 years, with a note
    everything = received_on(get(client, stats_page, **year).content.decode())
    one = received_on(get(client, stats_page, thu_tuc=str(guide.pk), **year).content.decode())
    assert one == Dossier.objects.filter(procedure=guide, received_at__isnull=False).count()
    assert 0 < one < everything or one == everything == Dossier.objects.filter(received_at__isnull=False).count()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"thu_tuc": "999999"}, "Không tìm thấy thủ tục"),
        ({"thu_tuc": "abc"}, "Không tìm thấy thủ tục"),
        ({"linh_vuc": "999999"}, "Không tìm thấy lĩnh vực"),
        ({"linh_vuc": "<script>"}, "Không tìm thấy lĩnh vực"),
        ({"ky": "nam", "nam": "1900"}, "Năm phải từ 2000 đến 2100"),
        ({"ky": "thang", "thang": "13"}, "Tháng phải từ 1 đến 12"),
        ({"ky": "quy", "quy": "x"}, "Quý phải từ 1 đến 4"),
        ({"ky": "không-có"}, "Đang hiện số liệu của tháng này"),
    ],
)
def test_unknown_field_procedure_or_period_gives_a_message_and_this_month(client, stats_page, params, message):
    response = get(client, stats_page, **params)
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert "Đang hiện số liệu của tháng này" in body
    first = local_day().replace(day=1).strftime("%d/%m/%Y")
    assert f"Từ {first} đến" in body
    assert "<script>" not in body.split("</header>", 1)[-1].replace("<script src=", "")


def test_fifty_years_are_cut_to_five_with_a_message(client, stats_page):
    response = get(client, stats_page, ky="tuy-chon", tu_ngay="01/01/1976", den_ngay="31/12/2025")
    body = response.content.decode()
    assert response.status_code == 200
    assert "dài quá 5 năm" in body
    assert "Từ 01/01/2021 đến 31/12/2025" in body


def test_index_figures_with_formulas_and_online_payment_not_recorded(client, stats_page):
    body = get(client, stats_page, ky="nam", nam="2026").content.decode()
    assert "Quyết định 766/QĐ-TTg" in body
    assert "(trước hạn + đúng hạn) / (trước hạn + đúng hạn + trễ hạn) × 100" in body
    assert "Tỷ lệ thanh toán trực tuyến (%)</th><td>Chưa ghi nhận</td>" in body


def test_charts_have_a_title_a_description_and_tables(client, stats_page):
    body = get(client, stats_page, ky="nam", nam="2026").content.decode()
    assert body.count('role="img"') == 2
    assert 'aria-labelledby="stats-counts-title stats-counts-desc"' in body
    assert '<desc id="stats-rates-desc">' in body
    assert body.count("<table") == 2


def test_csv_has_the_same_rows_with_formulas(client, stats_page):
    body = get(client, stats_page, "csv/", ky="nam", nam="2026").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["Chỉ tiêu", "Giá trị", "Cách tính"]
    labels = [row[0] for row in rows]
    assert {"Tiếp nhận", "Tạm dừng", "Tỷ lệ giải quyết đúng hạn (%)", "Tỷ lệ hài lòng (%)"} <= set(labels)
    payment = next(row for row in rows if row[0] == "Tỷ lệ thanh toán trực tuyến (%)")
    assert payment[1] == "Chưa ghi nhận"
    assert ["Cơ quan", "Tất cả cơ quan", ""] in rows


def test_english_page_is_seeded_and_translated(client, stats_page):
    english = stats_page.get_translation(Locale.objects.get(language_code="en"))
    assert english.url == "/en/statistics/"
    agency = Agency.objects.exclude(name_en="").order_by("pk").first()
    response = client.get(english.url, {"ky": "nam", "nam": "2026", "co_quan": str(agency.pk)})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Dossier statistics" in body and agency.name_en in body
    assert "Received" in body and "Not recorded" in body
    bad = client.get(english.url, {"co_quan": "999999"}).content.decode()
    assert "The chosen agency was not found; showing the figures of all agencies." in bad


# --- caching and what the page reads --------------------------------------------------------


def test_past_days_are_read_from_the_aggregates_and_cached_by_build(client, stats_page):
    march = {"ky": "thang", "thang": "3", "nam": "2026"}
    for number in range(1, 32):
        rebuild_day(date(2026, 3, number))
    agency = Agency.objects.order_by("pk").first()
    DailyAggregate.objects.create(day=date(2026, 3, 9), agency=agency, received_online=1000)
    cache.clear()
    # The page shows what the aggregate rows say: it read them, not the dossiers.
    with CaptureQueriesContext(connection) as queries:
        assert received_on(get(client, stats_page, **march).content.decode()) >= 1000
    dossier_queries = [q["sql"] for q in queries if 'FROM "portal_forms_dossier"' in q["sql"]]
    assert len(dossier_queries) == 1  # today's snapshot (in progress, waiting, overdue) only
    assert "waiting_supplement" in dossier_queries[0] and 'received_at" >=' not in dossier_queries[0]
    # A second request is answered from the cache: no dossier and no aggregate read.
    with CaptureQueriesContext(connection) as queries:
        get(client, stats_page, **march)
    assert not [q for q in queries if "portal_forms_dossier" in q["sql"] or "stats_dailyaggregate" in q["sql"]]
    # Rebuilding a day of the period changes the key: the made-up row is gone.
    rebuild_day(date(2026, 3, 9))
    assert received_on(get(client, stats_page, **march).content.decode()) < 1000


def test_a_stale_live_value_is_served_while_another_request_recomputes_it(db):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert fresh_or_recent("stats:test", compute) == 1
    assert fresh_or_recent("stats:test", compute) == 1  # fresh: not computed again
    entry = cache.get("stats:test")
    cache.set("stats:test", {**entry, "fresh_until": 0})
    cache.add("stats:test:refreshing", 1)  # another request is recomputing
    assert fresh_or_recent("stats:test", compute) == 1
    cache.delete("stats:test:refreshing")
    assert fresh_or_recent("stats:test", compute) == 2  # stale and nobody on it: recomputed
    assert cache.get("stats:test:refreshing") is None
