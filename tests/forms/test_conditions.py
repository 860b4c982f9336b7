"""Conditional fields and steps: shown only when another answer matches; hidden ones neither
required nor stored; decided by the server, mirrored by conditions.js."""

import re
from datetime import date

import pytest

from forms.conditions import condition_met
from forms.models import Dossier
from tests.factories.forms import VALID_STEP_1, jpeg_upload, make_form_page


def cond(field, operator, value):
    return {"field": field, "operator": operator, "value": value}


@pytest.mark.parametrize(
    ("condition", "answers", "expected"),
    [
        (None, {}, True),
        (cond("mat", "eq", "co"), {"mat": "co"}, True),
        (cond("mat", "eq", "co"), {"mat": "khong"}, False),
        (cond("mat", "eq", "co"), {}, False),
        (cond("mat", "ne", "co"), {}, True),
        (cond("mat", "ne", "co"), {"mat": "co"}, False),
        (cond("loai", "in", "a, b"), {"loai": "b"}, True),
        (cond("loai", "in", "a, b"), {"loai": "c"}, False),
        (cond("chon", "eq", "x"), {"chon": ["y", "x"]}, True),
        (cond("dong_y", "eq", "co"), {"dong_y": True}, True),
        (cond("dong_y", "eq", "co"), {"dong_y": False}, False),
        (cond("ngay", "eq", "2026-01-02"), {"ngay": date(2026, 1, 2)}, True),
    ],
)
def test_condition_met(condition, answers, expected):
    assert condition_met(condition, answers) is expected


@pytest.fixture
def page(demo_site):
    return make_form_page(demo_site)


def post_step(client, page, number, data, action="next"):
    return client.post(page.step_url(number), {**data, "action": action})


def submit(client, page):
    review = client.get(page.review_url)
    token = re.search(r'name="submit_token" value="([^"]+)"', review.content.decode()).group(1)
    return client.post(page.submit_url, {"submit_token": token})


@pytest.mark.django_db
def test_hidden_upload_is_not_required(client, page):
    response = post_step(client, page, 1, {**VALID_STEP_1, "anh_chan_dung": jpeg_upload()})
    assert response.status_code == 302


@pytest.mark.django_db
def test_shown_upload_is_required(client, page):
    data = {**VALID_STEP_1, "ho_chieu_bi_mat": "co", "anh_chan_dung": jpeg_upload()}
    response = post_step(client, page, 1, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_don_trinh_bao_mat_error"' in html
    # Now shown (the server decided), with the data attributes conditions.js reads.
    wrapper = re.search(
        r'<div class="form-field form-field--file[^"]*" id="truong-don_trinh_bao_mat"[^>]*>', html
    ).group(0)
    assert "hidden" not in wrapper
    assert 'data-condition-field="ho_chieu_bi_mat"' in wrapper
    assert 'data-condition-value="co"' in wrapper

    data = {**VALID_STEP_1, "ho_chieu_bi_mat": "co", "don_trinh_bao_mat": jpeg_upload("don.jpg")}
    assert post_step(client, page, 1, data).status_code == 302


@pytest.mark.django_db
def test_conditional_field_starts_hidden_without_answers(client, page):
    html = client.get(page.step_url(1)).content.decode()
    wrapper = re.search(r'<div [^>]*id="truong-don_trinh_bao_mat"[^>]*>', html).group(0)
    assert " hidden" in wrapper


@pytest.mark.django_db
def test_hidden_field_answer_and_file_are_not_stored(client, page):
    # The citizen first said "lost" and uploaded the report, then changed their mind.
    data = {**VALID_STEP_1, "ho_chieu_bi_mat": "co", "don_trinh_bao_mat": jpeg_upload("don.jpg")}
    data["anh_chan_dung"] = jpeg_upload()
    assert post_step(client, page, 1, data).status_code == 302
    assert post_step(client, page, 1, {**VALID_STEP_1, "ho_chieu_bi_mat": "khong"}).status_code == 302
    post_step(client, page, 3, {"cam_doan": "on"})
    review = client.get(page.review_url).content.decode()
    assert "Đơn trình báo mất hộ chiếu" not in review
    submit(client, page)
    dossier = Dossier.objects.get(form_page=page)
    assert "don_trinh_bao_mat" not in dossier.answers
    assert list(dossier.files.values_list("field_key", flat=True)) == ["anh_chan_dung"]


@pytest.mark.django_db
def test_representative_step_only_for_a_child(client, page):
    child = {**VALID_STEP_1, "loai_nguoi_de_nghi": "tre_em_duoi_14", "anh_chan_dung": jpeg_upload()}
    response = post_step(client, page, 1, child)
    assert response["Location"].endswith("/buoc/2/")
    html = client.get(page.step_url(2)).content.decode()
    assert "Bước 2/3" in html and "Người đại diện" in html
    response = post_step(client, page, 2, {})
    assert 'id="id_nguoi_dai_dien_ho_ten_error"' in response.content.decode()
    response = post_step(client, page, 2, {"nguoi_dai_dien_ho_ten": "trần thị bình"})
    assert response["Location"].endswith("/buoc/3/")
    post_step(client, page, 3, {"cam_doan": "on"})
    assert "TRẦN THỊ BÌNH" in client.get(page.review_url).content.decode()

    # Back to step 1, now applying for oneself: the representative step disappears,
    # its answers are no longer reviewed nor stored.
    response = post_step(client, page, 1, {**VALID_STEP_1})
    assert response["Location"].endswith("/buoc/3/")
    assert client.get(page.step_url(2))["Location"].endswith("/buoc/3/")
    post_step(client, page, 3, {"cam_doan": "on"})
    assert "TRẦN THỊ BÌNH" not in client.get(page.review_url).content.decode()
    submit(client, page)
    dossier = Dossier.objects.get(form_page=page)
    assert "nguoi_dai_dien_ho_ten" not in dossier.answers
    assert dossier.answers["loai_nguoi_de_nghi"] == "ban_than"


@pytest.mark.django_db
def test_adult_path_skips_representative_step(client, page):
    response = post_step(client, page, 1, {**VALID_STEP_1, "anh_chan_dung": jpeg_upload()})
    assert response["Location"].endswith("/buoc/3/")
    assert "Bước 2/2" in client.get(page.step_url(3)).content.decode()


@pytest.mark.django_db
def test_not_equals_and_in_operators_in_a_form(client, demo_site):
    from tests.factories.forms import row

    page = make_form_page(
        demo_site,
        [
            row("radio", "Loại", "loai", choices="a | A\nb | B\nc | C"),
            row("singleline", "Chỉ khi khác A", "khac_a", condition=("loai", "ne", "a")),
            row("singleline", "Chỉ khi B hoặc C", "b_hoac_c", condition=("loai", "in", "b,c")),
        ],
    )
    assert client.post(page.step_url(1), {"loai": "a"}).status_code == 302
    response = client.post(page.step_url(1), {"loai": "b"})
    html = response.content.decode()
    assert 'id="id_khac_a_error"' in html and 'id="id_b_hoac_c_error"' in html
