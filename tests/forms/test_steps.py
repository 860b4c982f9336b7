"""Multi-step forms: per-step validation, back and forward with answers and uploads kept, review."""

import re

import pytest

from forms.models import FieldType
from tests.factories.forms import VALID_STEP_1, jpeg_upload, make_form_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(demo_site):
    return make_form_page(demo_site)


def post_step(client, page, number, data, action="next"):
    return client.post(page.step_url(number), {**data, "action": action})


def test_start_redirects_to_first_step_with_progress(client, page):
    response = client.get(page.url, follow=True)
    assert response.redirect_chain[-1][0].endswith("/buoc/1/")
    html = response.content.decode()
    # The representative step is hidden until the answers ask for it: 2 steps.
    assert "Bước 1/2" in html
    assert 'name="ho_ten"' in html
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_invalid_step_shows_errors_beside_fields_and_keeps_answers_and_uploads(client, page):
    data = {**VALID_STEP_1, "so_dien_thoai": "0123", "anh_chan_dung": jpeg_upload("chan-dung.jpg")}
    response = post_step(client, page, 1, data)
    assert response.status_code == 200
    html = response.content.decode()
    # The error sits beside its field and is linked to the input.
    assert 'id="id_so_dien_thoai_error"' in html
    input_tag = re.search(r'<input[^>]*name="so_dien_thoai"[^>]*>', html).group(0)
    assert "id_so_dien_thoai_error" in input_tag
    assert 'aria-invalid="true"' in input_tag
    # An error summary at the top links to the field.
    assert 'href="#id_so_dien_thoai"' in html
    # Other answers and the valid upload are kept.
    assert 'value="nguyễn văn an"' in html
    assert "Đã tải lên:" in html and "chan-dung.jpg" in html

    # Fixing only the phone is enough: the portrait uploaded before still counts.
    response = post_step(client, page, 1, {**VALID_STEP_1})
    assert response.status_code == 302
    assert response["Location"].endswith("/buoc/3/")


def test_required_upload_missing_is_reported(client, page):
    response = post_step(client, page, 1, VALID_STEP_1)
    assert response.status_code == 200
    assert 'id="id_anh_chan_dung_error"' in response.content.decode()


def test_back_and_forward_keep_answers_and_uploads(client, page):
    response = post_step(client, page, 1, {**VALID_STEP_1, "anh_chan_dung": jpeg_upload("anh-cua-toi.jpg")})
    assert response["Location"].endswith("/buoc/3/")
    response = client.get(page.step_url(3))
    assert "Bước 2/2" in response.content.decode()

    response = post_step(client, page, 3, {"cam_doan": "on"}, action="back")
    assert response["Location"].endswith("/buoc/1/")
    html = client.get(page.step_url(1)).content.decode()
    assert 'value="nguyễn văn an"' in html
    assert 'value="0912 345 678"' in html
    assert "anh-cua-toi.jpg" in html

    # Forward again without re-uploading: step 3 still has its tick.
    response = post_step(client, page, 1, VALID_STEP_1)
    assert response["Location"].endswith("/buoc/3/")
    html = client.get(page.step_url(3)).content.decode()
    assert re.search(r'<input[^>]*name="cam_doan"[^>]*checked', html)


def test_later_step_cannot_be_reached_before_earlier_ones(client, page):
    response = client.get(page.step_url(3))
    assert response.status_code == 302
    assert response["Location"].endswith("/buoc/1/")
    response = client.get(page.review_url)
    assert response["Location"].endswith("/buoc/1/")


def test_unknown_step_is_404(client, page):
    assert client.get(page.step_url(9)).status_code == 404


def test_review_lists_every_answer(client, page):
    post_step(client, page, 1, {**VALID_STEP_1, "anh_chan_dung": jpeg_upload("anh.jpg")})
    response = post_step(client, page, 3, {"cam_doan": "on"})
    assert response["Location"].endswith("/xem-lai/")
    response = client.get(page.review_url)
    html = response.content.decode()
    assert response.status_code == 200
    for label, value in [
        ("Người đề nghị", "Bản thân"),
        ("Họ và tên", "NGUYỄN VĂN AN"),
        ("Số điện thoại", "0912345678"),
        ("Hộ chiếu cũ bị mất?", "Không"),
        ("Ảnh chân dung", "anh.jpg"),
        ("Tôi cam đoan khai đúng sự thật", "Có"),
    ]:
        assert label in html
        assert value in html
    assert 'name="submit_token"' in html
    assert "no-store" in response["Cache-Control"]


def test_step_page_has_no_inline_script_or_style(client, page):
    html = client.get(page.step_url(1)).content.decode()
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) is None
    assert " style=" not in html and "<style" not in html
    assert re.search(r'<script src="[^"]*forms/js/conditions\.js" defer>', html)


def test_honeypot_is_rendered_and_hidden_by_stylesheet(client, page):
    html = client.get(page.step_url(1)).content.decode()
    assert 'class="form-hp"' in html and 'name="website"' in html
    assert "forms/css/forms.css" in html


def test_preview_shows_every_step(rf, page, admin_user):
    request = rf.get("/")
    request.user = admin_user
    response = page.serve_preview(request, "form")
    response.render()
    html = response.content.decode()
    assert "Người đại diện" in html and "Cam đoan" in html
    assert page.form_fields.filter(field_type=FieldType.STEP).count() == 3


def test_wrong_file_type_keeps_its_specific_error(client, page):
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = SimpleUploadedFile("anh.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    response = post_step(client, page, 1, {**VALID_STEP_1, "anh_chan_dung": pdf})
    html = response.content.decode()
    error = re.search(r'id="id_anh_chan_dung_error">(.*?)</div>', html, re.S).group(1)
    assert "không được chấp nhận" in error


def test_only_the_steps_own_inputs_are_kept_in_the_draft(client, page):
    post_step(client, page, 1, {**VALID_STEP_1, "anh_chan_dung": jpeg_upload(), "rac": "x" * 1000})
    saved = client.session[f"portal_forms.draft.{page.pk}"]["steps"]["1"]
    assert "rac" not in saved and "action" not in saved
    assert saved["ho_ten"] == ["nguyễn văn an"]


def test_steps_reuse_the_forms_the_worker_keeps(client, page, monkeypatch):
    """Every step request validates the earlier steps again: their classes (and the shown
    step's) are built once per published form, not on every request (forms.compiled)."""
    from forms.builder import ApplicationFormBuilder

    assert post_step(client, page, 1, {**VALID_STEP_1, "anh_chan_dung": jpeg_upload("a.jpg")}).status_code == 302
    client.get(page.step_url(1))
    client.get(page.step_url(3))  # step 2 is hidden by step 1's answers
    built = []
    original = ApplicationFormBuilder.get_form_class
    monkeypatch.setattr(
        ApplicationFormBuilder, "get_form_class", lambda self, **kw: built.append(kw) or original(self, **kw)
    )
    assert client.get(page.step_url(1)).status_code == 200
    third = client.get(page.step_url(3))  # validates step 1 again, then shows step 3
    assert third.status_code == 200 and "Bước 2/2" in third.content.decode()
    assert built == []


def test_an_error_shown_to_one_citizen_is_not_on_the_next_citizens_form(client, page, django_user_model):
    from django.test import Client

    response = post_step(client, page, 1, {**VALID_STEP_1, "so_dien_thoai": "0123"})
    assert 'aria-invalid="true"' in response.content.decode()
    fresh = Client().get(page.step_url(1)).content.decode()
    assert "aria-invalid" not in fresh
    assert "id_so_dien_thoai_error" not in fresh
