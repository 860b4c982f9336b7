"""The officers' inbox and dossier page in the Wagtail admin: visibility, filters, export, actions."""

import csv
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from wagtail.models import ModelLogEntry

from cms.models import Agency
from forms.constants import DossierStatus
from forms.models import Dossier
from forms.review import services
from forms.review.models import DossierNote
from forms.review.viewsets import mask_personal_id
from tests.factories.review import make_review_dossier, move_to, user

pytestmark = pytest.mark.django_db

S = DossierStatus
INDEX = reverse("dossiers:index")


@pytest.fixture
def dossier(demo_site):
    return make_review_dossier(demo_site, answers={"ho_ten": "TRẦN THỊ BÍCH", "so_dien_thoai": "0987654321"})


@pytest.fixture
def other_dossier(demo_site):
    """A dossier of PC06 (officer2's agency)."""
    return make_review_dossier(demo_site, agency=Agency.objects.get(short_name="PC06"))


def login(client, username):
    client.force_login(user(username))
    return client


def inspect(dossier):
    return reverse("dossiers:inspect", args=[dossier.pk])


def action(dossier, name):
    return reverse("dossiers:action", args=[dossier.pk, name])


def test_mask_personal_id():
    assert mask_personal_id("079201005678") == "0792****5678"
    assert mask_personal_id("") == ""


def test_officer_lists_only_dossiers_of_their_agency(client, dossier, other_dossier):
    response = login(client, "officer").get(INDEX, {"q": ""})
    assert response.status_code == 200
    body = response.content.decode()
    assert dossier.code in body
    assert other_dossier.code not in body
    assert "Mới đăng ký" in body


def test_editor_cannot_open_the_inbox(client, dossier):
    response = login(client, "editor").get(INDEX)
    assert response.status_code in (302, 403)
    assert dossier.code not in response.content.decode()


@pytest.mark.parametrize("username", ["officer2", "editor"])
def test_other_agency_gets_404_on_the_dossier_page_and_a_crafted_post(client, dossier, username):
    login(client, username)
    assert client.get(inspect(dossier)).status_code in (404, 302, 403)
    # Not staff at all: Wagtail's permission-denied redirect; another agency's officer: 404.
    response = client.post(action(dossier, "receive"), {"expected_status": "1"})
    assert response.status_code in (404, 302)
    response = client.post(reverse("dossiers:note", args=[dossier.pk]), {"text": "x"})
    assert response.status_code in (404, 302)
    dossier.refresh_from_db()
    assert dossier.status == S.NEW
    assert not DossierNote.objects.filter(dossier=dossier).exists()


def test_officer2_gets_404_exactly(client, dossier):
    login(client, "officer2")
    assert client.get(inspect(dossier)).status_code == 404
    assert client.post(action(dossier, "receive"), {"expected_status": "1"}).status_code == 404


def test_search_by_code_name_and_phone_digits(client, dossier):
    login(client, "officer")
    for query in (dossier.code, "BÍCH", "0987 654 321"):
        assert dossier.code in client.get(INDEX, {"q": query}).content.decode(), query
    assert dossier.code not in client.get(INDEX, {"q": "KHÔNG CÓ AI"}).content.decode()


def test_search_ignores_diacritics_and_case(client, demo_site):
    named = make_review_dossier(demo_site, answers={"ho_ten": "Nguyễn Văn An", "so_dien_thoai": "0912 345 678"})
    other = make_review_dossier(demo_site, answers={"ho_ten": "ĐẶNG THỊ BÌNH", "so_dien_thoai": "0987000111"})
    login(client, "officer")
    for query in ("nguyen van an", "NGUYEN VĂN", "Nguyễn Văn An", named.code.lower(), "345678"):
        body = client.get(INDEX, {"q": query}).content.decode()
        assert named.code in body and other.code not in body, query
    for query in ("dang thi binh", "đặng", "Dang"):  # đ and d fold together
        body = client.get(INDEX, {"q": query}).content.decode()
        assert other.code in body and named.code not in body, query


def test_search_text_follows_a_name_change(demo_site):
    from forms.review.search import search_text

    dossier = make_review_dossier(demo_site)
    assert dossier.search_text == search_text(dossier.code, dossier.applicant_name, dossier.applicant_phone)
    dossier.applicant_name = "Lê Thị Hồng"
    dossier.save(update_fields=["applicant_name"])
    dossier.refresh_from_db()
    assert "le thi hong" in dossier.search_text


def test_counts_follow_transitions_without_a_recount(client, dossier, django_capture_on_commit_callbacks):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, "officer")

    def counts():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(INDEX)
        # The status recount groups without a due date; the (cheap) overdue recount has one.
        recounted = any("GROUP BY" in query["sql"] and "due_date" not in query["sql"] for query in queries)
        counts = {item["value"]: item["count"] for item in response.context["status_counts"]}
        return counts, response.context["overdue_count"], recounted

    before, overdue_before, _recounted = counts()
    with django_capture_on_commit_callbacks(execute=True):
        move_to(dossier, S.PROCESSING, user("officer"))  # 1 → 2 → 4, each moves the cached counts
        Dossier.objects.filter(pk=dossier.pk).update(due_date="2020-01-02")
        dossier.refresh_from_db()
        dossier.save(update_fields=["due_date"])  # any save recounts the overdue dossiers
    after, overdue_after, recounted = counts()
    assert after[S.NEW] == before[S.NEW] - 1
    assert after[S.ACCEPTED] == before[S.ACCEPTED]
    assert after[S.PROCESSING] == before[S.PROCESSING] + 1
    assert overdue_after == overdue_before + 1
    assert not recounted  # the status counts came from the cache, moved by the transitions


def test_a_new_dossier_adds_to_the_new_count_and_leaves_the_overdue_count_cached(
    demo_site, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    from forms.review import counts

    agency = Agency.objects.get(short_name="PA08")
    statuses, overdue = counts.inbox_counts([agency.pk])  # counted and cached
    overdue_key = counts._overdue_key(agency.pk, counts.local_day())
    assert cache.get(overdue_key) == overdue
    with django_capture_on_commit_callbacks(execute=True):
        make_review_dossier(demo_site, agency=agency)  # starts in 1, which is never overdue
    assert cache.get(overdue_key) == overdue  # no cache call needed for it
    assert counts.inbox_counts([agency.pk]) == ({**statuses, S.NEW: statuses[S.NEW] + 1}, overdue)


def test_overdue_list_is_most_overdue_first(client, demo_site):
    officer = user("officer")
    older, newer = make_review_dossier(demo_site), make_review_dossier(demo_site)
    for item, due in ((older, "2020-01-02"), (newer, "2021-01-04")):
        move_to(item, S.PROCESSING, officer)
        Dossier.objects.filter(pk=item.pk).update(due_date=due)
    body = login(client, "officer").get(INDEX, {"overdue": "true"}).content.decode()
    assert body.index(older.code) < body.index(newer.code)


def test_filters_status_and_overdue(client, dossier):
    login(client, "officer")
    assert dossier.code in client.get(INDEX, {"status": "1"}).content.decode()
    assert dossier.code not in client.get(INDEX, {"status": "4"}).content.decode()
    move_to(dossier, S.PROCESSING, user("officer"))
    Dossier.objects.filter(pk=dossier.pk).update(due_date="2020-01-02")
    body = client.get(INDEX, {"overdue": "true"}).content.decode()
    assert dossier.code in body
    assert "Quá hạn" in body


def test_export_csv_masks_the_personal_id(client, dossier):
    Dossier.objects.filter(pk=dossier.pk).update(personal_id="079201005678")
    response = login(client, "officer").get(INDEX, {"export": "csv", "q": dossier.code})
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode("utf-8")
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0][0] == "Mã hồ sơ"
    assert any(row[0] == dossier.code and "0792****5678" in row for row in rows)
    assert "079201005678" not in content


def test_export_xlsx(client, dossier):
    response = login(client, "officer").get(INDEX, {"export": "xlsx"})
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]


def test_dossier_page_shows_answers_files_timeline_and_logs_the_view(client, dossier):
    response = login(client, "officer").get(inspect(dossier))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Họ và tên" in body and "TRẦN THỊ BÍCH" in body  # label of the form version
    assert "Quá trình xử lý" in body
    assert "Tiếp nhận hồ sơ" in body  # an action allowed in status 1
    assert "Xử lý xong" not in body  # not allowed yet
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Dossier),
        object_id=str(dossier.pk),
        action="portal.dossier.viewed",
        user=user("officer"),
    ).exists()


def test_receive_from_the_page_and_a_stale_second_post(client, dossier):
    login(client, "officer")
    response = client.post(action(dossier, "receive"), {"expected_status": "1"})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == S.ACCEPTED
    response = client.post(action(dossier, "receive"), {"expected_status": "1"}, follow=True)
    assert "tải lại trang" in response.content.decode()


def test_refuse_needs_a_reason(client, dossier):
    login(client, "officer")
    client.post(action(dossier, "refuse"), {"expected_status": "1", "reason": ""})
    dossier.refresh_from_db()
    assert dossier.status == S.NEW
    client.post(action(dossier, "refuse"), {"expected_status": "1", "reason": "Ảnh mờ"})
    dossier.refresh_from_db()
    assert dossier.status == S.REFUSED


def test_request_supplement_from_the_page(client, dossier):
    login(client, "officer")
    client.post(
        action(dossier, "request_supplement"),
        {"expected_status": "1", "items": ["anh_chan_dung"], "message": "Ảnh chân dung bị mờ"},
    )
    dossier.refresh_from_db()
    assert dossier.status == S.SUPPLEMENT_REQUESTED
    body = client.get(inspect(dossier)).content.decode()
    assert "Ảnh chân dung bị mờ" in body and "Chờ người dân bổ sung" in body


def test_internal_note(client, dossier):
    login(client, "officer").post(reverse("dossiers:note", args=[dossier.pk]), {"text": "Gọi lại cho công dân"})
    assert DossierNote.objects.get(dossier=dossier).text == "Gọi lại cho công dân"
    assert "Gọi lại cho công dân" in client.get(inspect(dossier)).content.decode()


def test_bulk_receive_and_assign(client, demo_site):
    first, second = make_review_dossier(demo_site), make_review_dossier(demo_site)
    login(client, "officer")
    assert client.get(reverse("dossiers:bulk")).status_code == 200
    client.post(reverse("dossiers:bulk"), {"action": "receive", "dossier": [first.pk, second.pk]})
    assert set(Dossier.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True)) == {"2"}
    manager = user("manager")
    client.post(reverse("dossiers:bulk"), {"action": "assign", "assignee": manager.pk, "dossier": [first.pk]})
    first.refresh_from_db()
    assert first.assignee == manager


def test_history_with_views_is_for_managers(client, dossier):
    services.record_view(dossier, user("officer"))
    history = reverse("dossiers:history", args=[dossier.pk])
    assert login(client, "officer").get(history).status_code == 404
    response = login(client, "manager").get(history)
    assert response.status_code == 200
    assert "Cán bộ đã mở hồ sơ" in response.content.decode()


def test_status_counts_on_the_inbox(client, dossier):
    body = login(client, "officer").get(INDEX).content.decode()
    assert "review-counts" in body


def test_generate_dossiers_command(demo_site):
    from io import StringIO

    from django.core.management import call_command

    before = Dossier.objects.filter(code__contains="-G").count()
    call_command("generate_dossiers", 25, "--batch", "10", stdout=StringIO())
    generated = Dossier.objects.filter(code__contains="-G")
    assert generated.count() == before + 25
    assert generated.filter(processing_days__isnull=False).exists()
    received = generated.filter(status=S.PROCESSING).exclude(procedure__isnull=True).first()
    if received is not None:
        assert received.received_at is not None


def test_statistics_for_managers(client, demo_site):
    from forms.review.citizen import rate_dossier

    officer = user("officer")
    done = make_review_dossier(demo_site)
    move_to(done, S.DELIVERED, officer)
    rate_dossier(done.pk, satisfaction="hai_long")
    assert login(client, "officer").get(reverse("dossiers:statistics")).status_code in (302, 403)
    response = login(client, "manager").get(reverse("dossiers:statistics"))
    assert response.status_code == 200
    body = response.content.decode()
    assert done.procedure.title in body
    assert "100.0" in body or "100,0" in body
