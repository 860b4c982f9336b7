"""Tracking without an account: lookup, enumeration resistance, rate limits, the API, and the
citizen's supplement, withdrawal, rating and result download."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from forms.constants import DossierStatus
from forms.review import services
from forms.review.citizen import signed_token
from forms.review.models import DossierNote, DossierRating, SupplementRequest
from tests.factories.forms import jpeg_upload
from tests.factories.review import make_review_dossier, move_to, user

pytestmark = pytest.mark.django_db

S = DossierStatus
LOOKUP = reverse("review_tracking:lookup")
API = "/api/v3/dossiers/lookup/"
NOT_FOUND = "Không tìm thấy hồ sơ với mã hồ sơ và 4 số cuối điện thoại này"


@pytest.fixture
def dossier(demo_site):
    return make_review_dossier(demo_site)  # phone 0912345678


@pytest.fixture
def officer(demo_site):
    return user("officer")


def detail(dossier):
    return reverse("review_tracking:detail", kwargs={"code": dossier.code})


def track(client, dossier, last4="5678"):
    return client.post(LOOKUP, {"code": dossier.code, "phone_last4": last4})


def private(response):
    return "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_lookup_page_in_both_languages(client):
    assert client.get(LOOKUP).status_code == 200
    response = client.get("/en/tra-cuu/")
    assert response.status_code == 200
    assert private(response)


def test_right_pair_shows_the_dossier(client, dossier, officer):
    services.receive_dossier(dossier.pk, officer)
    response = track(client, dossier)
    assert response.status_code == 302 and response["Location"] == detail(dossier)
    response = client.get(detail(dossier))
    body = response.content.decode()
    assert response.status_code == 200 and private(response)
    assert "Đã tiếp nhận" in body  # the citizen's label, not the staff one
    assert "Được tiếp nhận" not in body
    dossier.refresh_from_db()
    assert dossier.due_date.strftime("%d/%m/%Y") in body


def test_code_is_normalised(client, dossier):
    response = client.post(LOOKUP, {"code": f"  {dossier.code.lower()} ", "phone_last4": "5678"})
    assert response.status_code == 302


def _normalised(response, code):
    body = response.content.decode().replace(code, "CODE")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)


def test_wrong_pair_answers_exactly_like_an_unknown_code(client, dossier):
    wrong = track(client, dossier, last4="0000")
    unknown_code = dossier.code[:-4] + "9999"
    unknown = client.post(LOOKUP, {"code": unknown_code, "phone_last4": "0000"})
    assert wrong.status_code == unknown.status_code == 200
    assert NOT_FOUND in wrong.content.decode()
    assert _normalised(wrong, dossier.code) == _normalised(unknown, unknown_code)
    assert client.get(detail(dossier)).status_code == 404


def test_detail_needs_the_check_in_this_session(client, dossier):
    assert client.get(detail(dossier)).status_code == 404
    assert client.get(reverse("review_tracking:detail", kwargs={"code": "KHONG-CO"})).status_code == 404


def test_client_rate_limit(client, dossier):
    statuses = [client.post(LOOKUP, {"code": f"X-{n}", "phone_last4": "1234"}).status_code for n in range(11)]
    assert statuses[:10] == [200] * 10 and statuses[10] == 429
    # Even the right pair is refused while limited.
    assert track(client, dossier).status_code == 429


def test_per_code_rate_limit_whatever_the_client(client, dossier):
    for n in range(20):
        response = client.post(LOOKUP, {"code": dossier.code, "phone_last4": f"{n:04d}"}, REMOTE_ADDR=f"10.0.0.{n}")
        assert response.status_code == 200
    assert track(client, dossier).status_code == 429


def test_api_lookup(client, dossier, officer):
    services.receive_dossier(dossier.pk, officer)
    response = client.post(API, {"code": dossier.code, "phone_last4": "5678"}, content_type="application/json")
    assert response.status_code == 200 and private(response)
    data = response.json()
    assert data["status"] == "2" and data["status_label"] == "Đã tiếp nhận"
    assert [entry["status"] for entry in data["timeline"]] == ["1", "2"]
    wrong = client.post(API, {"code": dossier.code, "phone_last4": "0000"}, content_type="application/json")
    unknown = client.post(API, {"code": "KHONG-CO", "phone_last4": "5678"}, content_type="application/json")
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json() == unknown.json()


def test_api_rate_limit(client):
    for n in range(10):
        client.post(API, {"code": f"X-{n}", "phone_last4": "1234"}, content_type="application/json")
    response = client.post(API, {"code": "X", "phone_last4": "1234"}, content_type="application/json")
    assert response.status_code == 429 and response["Retry-After"]


def test_internal_notes_and_staff_notes_never_reach_the_citizen(client, dossier, officer):
    services.receive_dossier(dossier.pk, officer, note="Nội bộ: kiểm tra kỹ")
    services.add_note(dossier.pk, officer, "Ghi chú bí mật")
    track(client, dossier)
    body = client.get(detail(dossier)).content.decode()
    assert "Ghi chú bí mật" not in body and "Nội bộ: kiểm tra kỹ" not in body
    assert DossierNote.objects.filter(dossier=dossier).exists()


def test_supplement_loop_through_a_signed_link(client, dossier, officer):
    move_to(dossier, S.PROCESSING, officer)
    services.request_supplement(
        dossier.pk, officer, items=["ho_ten", "anh_chan_dung"], message="Sửa họ tên, tải lại ảnh rõ nét"
    )
    response = client.get(reverse("review_tracking:signed_link", args=[signed_token(dossier, "bo-sung")]))
    supplement_url = reverse("review_tracking:supplement", kwargs={"code": dossier.code})
    assert response["Location"] == supplement_url
    page = client.get(supplement_url).content.decode()
    assert 'name="ho_ten"' in page and 'name="anh_chan_dung"' in page
    assert 'name="so_dien_thoai"' not in page  # only what was requested
    response = client.post(supplement_url, {"ho_ten": "trần văn mới", "anh_chan_dung": jpeg_upload("anh-moi.jpg")})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == S.PROCESSING
    assert dossier.answers["ho_ten"] == "TRẦN VĂN MỚI"
    assert dossier.clock_paused_at is None
    request_obj = SupplementRequest.objects.get(dossier=dossier)
    assert request_obj.previous_answers["ho_ten"] == "NGUYỄN VĂN AN"
    assert request_obj.new_answers["ho_ten"] == "TRẦN VĂN MỚI"
    assert dossier.files.filter(field_key="anh_chan_dung", original_name="anh-moi.jpg").exists()
    # The officer sees old and new side by side.
    client.force_login(officer)
    body = client.get(reverse("dossiers:inspect", args=[dossier.pk])).content.decode()
    assert "NGUYỄN VĂN AN" in body and "TRẦN VĂN MỚI" in body and "review-diff__new" in body


def test_supplement_before_acceptance_goes_back_to_new(client, dossier, officer):
    services.request_supplement(dossier.pk, officer, items=["ho_ten"], message="Sửa họ tên")
    track(client, dossier)
    client.post(reverse("review_tracking:supplement", kwargs={"code": dossier.code}), {"ho_ten": "lê văn b"})
    dossier.refresh_from_db()
    assert dossier.status == S.NEW


def test_invalid_supplement_is_shown_again(client, dossier, officer):
    services.request_supplement(dossier.pk, officer, items=["so_dien_thoai"], message="Sửa số điện thoại")
    track(client, dossier)
    url = reverse("review_tracking:supplement", kwargs={"code": dossier.code})
    response = client.post(url, {"so_dien_thoai": "123"})
    assert response.status_code == 200
    dossier.refresh_from_db()
    assert dossier.status == S.SUPPLEMENT_REQUESTED


def test_expired_or_forged_link(client, dossier):
    response = client.get(reverse("review_tracking:signed_link", args=["abc:def"]))
    assert response["Location"] == LOOKUP


def test_citizen_withdraws_with_a_reason(client, dossier):
    track(client, dossier)
    url = reverse("review_tracking:withdraw", kwargs={"code": dossier.code})
    client.post(url, {"reason": ""})
    dossier.refresh_from_db()
    assert dossier.status == S.NEW
    client.post(url, {"reason": "Đã có hộ chiếu"})
    dossier.refresh_from_db()
    assert dossier.status == S.WITHDRAWN
    assert dossier.status_changes.last().actor is None


def test_no_withdrawal_once_finished(client, dossier, officer):
    move_to(dossier, S.DONE, officer)
    track(client, dossier)
    assert "Rút hồ sơ" not in client.get(detail(dossier)).content.decode()
    client.post(reverse("review_tracking:withdraw", kwargs={"code": dossier.code}), {"reason": "x"})
    dossier.refresh_from_db()
    assert dossier.status == S.DONE


def test_rating_once_after_the_end(client, dossier, officer):
    track(client, dossier)
    rate_url = reverse("review_tracking:rate", kwargs={"code": dossier.code})
    client.post(rate_url, {"satisfaction": "hai_long"})
    assert not DossierRating.objects.filter(dossier=dossier).exists()  # still in status 1
    move_to(dossier, S.DELIVERED, officer)
    assert "Đánh giá mức độ hài lòng" in client.get(detail(dossier)).content.decode()
    client.post(rate_url, {"satisfaction": "rat_hai_long", "comment": "Nhanh"})
    client.post(rate_url, {"satisfaction": "khong_hai_long"})
    rating = DossierRating.objects.get(dossier=dossier)
    assert rating.satisfaction == "rat_hai_long" and rating.comment == "Nhanh"


def test_electronic_result_download(client, dossier, officer):
    move_to(dossier, S.DONE, officer)
    result = SimpleUploadedFile("ket-qua.pdf", b"%PDF-1.4 ket qua", content_type="application/pdf")
    services.return_result(dossier.pk, officer, method="dien_tu", result_file=result)
    track(client, dossier)
    assert "Tải kết quả" in client.get(detail(dossier)).content.decode()
    response = client.get(reverse("review_tracking:result", kwargs={"code": dossier.code}))
    assert response.status_code == 200 and private(response)
    assert b"".join(response.streaming_content) == b"%PDF-1.4 ket qua"


def test_no_result_download_without_an_electronic_return(client, dossier, officer):
    move_to(dossier, S.DELIVERED, officer)  # returned in person
    track(client, dossier)
    assert client.get(reverse("review_tracking:result", kwargs={"code": dossier.code})).status_code == 404


def test_receipt_link_fills_the_code_in(client):
    body = client.get(LOOKUP, {"ma": "000.20.79.h29-260315-0042"}).content.decode()
    assert 'value="000.20.79.H29-260315-0042"' in body


def test_tracking_page_in_english(client):
    from io import StringIO

    from django.core.management import call_command

    call_command("compile_translations", stdout=StringIO())
    body = client.get("/en/tra-cuu/").content.decode()
    assert "Track a dossier" in body
    assert "Last 4 digits of the phone number in the dossier" in body
