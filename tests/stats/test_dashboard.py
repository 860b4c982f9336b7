"""The managers' dashboard: the admin-home panel and the reports, scoped to the user's agencies."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cms.models import Agency
from forms.models import Dossier
from forms.review.calendar import local_day, overdue_q
from tests.factories.review import PA08, user
from tests.stats.test_boundaries import clock, march  # noqa: F401 - fixtures

REPORT_NAMES = ("procedures", "officers", "overdue", "ratings")


@pytest.fixture
def agencies(demo_site):
    pa08 = Agency.objects.get(code=PA08)
    return pa08, Agency.objects.exclude(pk=pa08.pk).filter(dossiers__isnull=False).distinct().first()


def logged_in(client, username):
    client.force_login(user(username))
    return client


def test_manager_sees_the_panel_of_their_agency_only(client, agencies):
    pa08, other = agencies
    body = logged_in(client, "manager").get(reverse("wagtailadmin_home")).content.decode()
    assert 'id="agency-figures' in body or "Số liệu tháng này của đơn vị" in body
    assert pa08.name in body and other.name not in body
    assert reverse("stats_reports:procedures") in body


def test_officer_of_the_other_agency_sees_only_theirs_and_no_report_link(client, agencies):
    pa08, other = agencies
    body = logged_in(client, "officer2").get(reverse("wagtailadmin_home")).content.decode()
    assert "Số liệu tháng này của đơn vị" in body
    assert other.name in body and pa08.name not in body
    assert reverse("stats_reports:procedures") not in body


def test_editor_sees_no_panel(client, agencies):
    body = logged_in(client, "editor").get(reverse("wagtailadmin_home")).content.decode()
    assert "Số liệu tháng này của đơn vị" not in body


@pytest.mark.parametrize("name", REPORT_NAMES)
@pytest.mark.parametrize("username", ["officer", "officer2", "editor"])
def test_reports_are_for_managers_only(client, agencies, name, username):
    response = logged_in(client, username).get(reverse(f"stats_reports:{name}"))
    assert response.status_code in (302, 403)


@pytest.mark.parametrize("name", REPORT_NAMES)
def test_manager_opens_every_report(client, agencies, name):
    response = logged_in(client, "manager").get(reverse(f"stats_reports:{name}"))
    assert response.status_code == 200


def test_overdue_report_lists_the_agencys_overdue_dossiers_only(client, agencies):
    pa08, other = agencies
    mine = set(Dossier.objects.filter(overdue_q(local_day()), agency=pa08).values_list("code", flat=True))
    theirs = set(Dossier.objects.filter(overdue_q(local_day()), agency=other).values_list("code", flat=True))
    response = logged_in(client, "manager").get(reverse("stats_reports:overdue"), {"export": "csv"})
    body = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][0] == "Mã hồ sơ"
    assert {row[0] for row in rows[1:]} == mine
    assert not theirs & {row[0] for row in rows[1:]}


def test_bad_month_shows_a_message_and_this_month(client, agencies):
    response = logged_in(client, "manager").get(reverse("stats_reports:procedures"), {"thang": "2026-13"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Tháng không đúng định dạng" in body
    assert local_day().replace(day=1).strftime("%d/%m/%Y") in body


def test_procedure_and_officer_reports_by_hand_with_exports(client, march):  # noqa: F811
    procedure, _dossiers = march
    client = logged_in(client, "manager")
    response = client.get(reverse("stats_reports:procedures"), {"thang": "2026-03", "export": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    row = next(row for row in rows if row["Thủ tục"] == procedure.title)
    assert (row["Tiếp nhận"], row["Đã giải quyết"], row["Trước hạn"], row["Đúng hạn"], row["Trễ hạn"]) == (
        "9",
        "7",
        "1",
        "3",
        "2",
    )
    # Working days from receipt (2 March) to the finish, minus the days waited:
    # A 8, B 9, C 7, D 10 - 2 = 8, E 9 - 1 = 8, F 11 - 2 = 9 → 49 / 6.
    assert row["Thời gian xử lý trung bình (ngày làm việc)"] == "8.2"
    response = client.get(reverse("stats_reports:officers"), {"thang": "2026-03", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    table = [[cell.value for cell in line] for line in sheet.iter_rows()]
    assert table[0][0] == "Cán bộ"
    officer = user("officer")
    line = next(line for line in table[1:] if line[0] == (officer.get_full_name() or officer.username))
    assert line[3:6] == [6, 2, 8.2]  # finished in March, of which late, average working days


def test_exports_have_no_applicant_data(client, agencies):
    people = Dossier.objects.filter(agency=agencies[0]).values_list("applicant_name", "personal_id", "applicant_phone")
    client = logged_in(client, "manager")
    bodies = [
        b"".join(client.get(reverse(f"stats_reports:{name}"), {"export": "csv"}).streaming_content).decode()
        for name in ("procedures", "officers", "overdue")
    ]
    for values in people:
        for value in values:
            if value:
                assert all(value not in body for body in bodies)


def test_month_in_the_future_is_refused_with_a_message(client, agencies):
    following = date(local_day().year + 1, 1, 1).strftime("%Y-%m")
    body = logged_in(client, "manager").get(reverse("stats_reports:officers"), {"thang": following}).content.decode()
    assert "chưa đến" in body


def test_dossiers_without_a_procedure_get_a_row_of_their_own(client, agencies):
    pa08, _other = agencies
    Dossier.objects.filter(pk=Dossier.objects.filter(agency=pa08, received_at__isnull=False).first().pk).update(
        procedure=None, status="4"
    )
    response = logged_in(client, "manager").get(reverse("stats_reports:procedures"), {"export": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert "—" in {row["Thủ tục"] for row in rows}
