"""A citizen applies for a passport on a phone: fills the steps of the seeded passport
form (with a real JPEG portrait and the ID-card photos), goes back a step and forward
again without losing anything, reviews the answers, submits and reads the dossier code."""

import io
import uuid

import pytest
from PIL import Image, ImageDraw

from forms.models import ApplicationFormPage, Dossier
from forms.storage import private_storage
from guides.models import GuidePage

pytestmark = pytest.mark.browser

PASSPORT_GUIDE_SLUG = "cap-ho-chieu-khong-gan-chip"
HCMC = "79"  # forms.provinces: Thành phố Hồ Chí Minh
SAI_GON_WARD = "26740"  # forms.provinces: Phường Sài Gòn, in Hồ Chí Minh City


def make_jpeg(path, size=(300, 400), background=(255, 255, 255)):
    """A small real JPEG (a drawn head on a white background)."""
    image = Image.new("RGB", size, background)
    draw = ImageDraw.Draw(image)
    width, height = size
    draw.ellipse((width * 0.3, height * 0.15, width * 0.7, height * 0.55), fill=(220, 180, 150))
    draw.rectangle((width * 0.2, height * 0.6, width * 0.8, height), fill=(40, 60, 120))
    image.save(path, "JPEG", quality=85)
    return path


@pytest.fixture
def passport_form():
    guide = GuidePage.objects.get(locale__language_code="vi", slug=PASSPORT_GUIDE_SLUG)
    return ApplicationFormPage.objects.child_of(guide).live().get().specific


def _next(page, expected_url_part):
    page.get_by_role("button", name="Tiếp tục").first.click()
    page.wait_for_url(f"**{expected_url_part}")


def _delete_dossier(code):
    for dossier in Dossier.objects.filter(code=code):
        for dossier_file in dossier.files.all():
            private_storage.delete(dossier_file.stored_name)
        dossier.delete()


def test_citizen_applies_for_a_passport_on_a_phone(
    portal_server, phone_page, passport_form, tmp_path, committed_changes
):
    page = phone_page
    portrait = make_jpeg(tmp_path / "chan-dung.jpg")
    id_front = make_jpeg(tmp_path / "cccd-mat-truoc.jpg", size=(320, 200), background=(200, 220, 240))
    id_back = make_jpeg(tmp_path / "cccd-mat-sau.jpg", size=(320, 200), background=(240, 230, 200))
    base = portal_server + passport_form.url

    # Step 1: the applicant (for themselves: the representative step is skipped).
    page.goto(base)
    page.wait_for_url("**/buoc/1/")
    page.locator('input[name="loai_nguoi_de_nghi"][value="ban_than"]').check()
    page.fill('input[name="ho"]', "nguyễn")
    page.fill('input[name="chu_dem_ten"]', "văn an")
    page.locator('input[name="gioi_tinh"][value="nam"]').check()
    page.fill('input[name="ngay_sinh"]', "15/03/1990")
    page.select_option('select[name="noi_sinh"]', HCMC)
    page.fill('input[name="so_dinh_danh"]', "079090123456")
    page.fill('input[name="ngay_cap"]', "01/06/2021")
    _next(page, "/buoc/3/")

    # Step 3: contact and address (the ward list follows the province).
    page.fill('input[name="so_dien_thoai"]', "0912345678")
    page.fill('input[name="email"]', "an.nguyen@example.com")
    page.select_option('select[name="dia_chi_thuong_tru_province"]', HCMC)
    page.wait_for_selector(f'select[name="dia_chi_thuong_tru_ward"] option[value="{SAI_GON_WARD}"]', state="attached")
    page.select_option('select[name="dia_chi_thuong_tru_ward"]', SAI_GON_WARD)
    page.fill('input[name="dia_chi_thuong_tru_street"]', "12 Lê Lợi")
    page.fill('input[name="nghe_nghiep"]', "Kỹ sư")
    _next(page, "/buoc/4/")

    # Step 4: first passport, no chip, collected in person.
    page.locator('input[name="lan_de_nghi"][value="lan_dau"]').check()
    assert page.locator('input[name="ho_chieu_gan_nhat_so"]').is_hidden()
    page.locator('input[name="gan_chip"][value="khong"]').check()
    page.locator('input[name="noi_nhan_ket_qua"][value="truc_tiep"]').check()
    _next(page, "/buoc/5/")

    # Step 5: the photos and the declaration; then back a step and forward again.
    page.set_input_files('input[name="anh_chan_dung"]', str(portrait))
    page.set_input_files('input[name="anh_can_cuoc_mat_truoc"]', str(id_front))
    page.set_input_files('input[name="anh_can_cuoc_mat_sau"]', str(id_back))
    page.locator('input[name="cam_doan"]').check()
    page.get_by_role("button", name="Quay lại").click()
    page.wait_for_url("**/buoc/4/")
    assert page.locator('input[name="lan_de_nghi"][value="lan_dau"]').is_checked()
    assert page.locator('input[name="noi_nhan_ket_qua"][value="truc_tiep"]').is_checked()
    _next(page, "/buoc/5/")
    uploaded = page.locator("#truong-anh_chan_dung .form-field__uploaded")
    assert "chan-dung.jpg" in uploaded.inner_text()
    assert "cccd-mat-truoc.jpg" in page.locator("#truong-anh_can_cuoc_mat_truoc .form-field__uploaded").inner_text()
    assert page.locator('input[name="cam_doan"]').is_checked()
    page.get_by_role("button", name="Tiếp tục: xem lại hồ sơ").click()
    page.wait_for_url("**/xem-lai/")

    # The review lists every answer.
    def answer(key):
        return page.locator(f'[data-answer-key="{key}"] dd').inner_text()

    assert answer("ho") == "NGUYỄN"
    assert answer("chu_dem_ten") == "VĂN AN"
    assert answer("ngay_sinh") == "15/03/1990"
    assert answer("so_dinh_danh") == "079090123456"
    assert answer("so_dien_thoai") == "0912345678"
    assert "12 Lê Lợi" in answer("dia_chi_thuong_tru") and "Sài Gòn" in answer("dia_chi_thuong_tru")
    assert answer("anh_chan_dung") == "chan-dung.jpg"
    assert page.locator('[data-answer-key="nguoi_dai_dien_ho_ten"]').count() == 0

    # Submit: the receipt shows the dossier code.
    page.get_by_role("button", name="Nộp hồ sơ").click()
    page.wait_for_url("**/ho-so/bien-nhan/**")
    code = page.locator("[data-dossier-code]").inner_text().strip()
    committed_changes.undo(lambda: _delete_dossier(code))
    assert page.get_by_role("heading", name="Hồ sơ của bạn đã được gửi").is_visible()

    dossier = Dossier.objects.get(code=code)
    assert dossier.form_page_id == passport_form.pk
    assert dossier.applicant_name == "NGUYỄN VĂN AN"
    assert dossier.personal_id == "079090123456"
    files = {f.field_key: f for f in dossier.files.all()}
    assert set(files) == {"anh_chan_dung", "anh_can_cuoc_mat_truoc", "anh_can_cuoc_mat_sau"}
    assert files["anh_chan_dung"].original_name == "chan-dung.jpg"
    assert files["anh_chan_dung"].content_type == "image/jpeg"
    assert all(private_storage.exists(f.stored_name) for f in files.values())


def test_headless_client_reads_the_schema_and_submits_over_http(
    portal_server, phone_page, passport_form, committed_changes
):
    """The API through a real HTTP server and client: no CSRF token, files as parts, 413 for a huge body."""
    api = phone_page.request
    schema = api.get(f"{portal_server}/api/v3/forms/{passport_form.pk}/schema/").json()
    assert schema["steps"][0]["fields"][0]["key"] == "loai_nguoi_de_nghi"

    def jpeg_part(name):
        buffer = io.BytesIO()
        Image.new("RGB", (120, 160), (230, 230, 230)).save(buffer, "JPEG")
        return {"name": name, "mimeType": "image/jpeg", "buffer": buffer.getvalue()}

    answers = {
        "loai_nguoi_de_nghi": "ban_than",
        "ho": "TRẦN",
        "chu_dem_ten": "THỊ LAN",
        "gioi_tinh": "nu",
        "ngay_sinh": "02/09/2001",
        "noi_sinh": "01",
        "so_dinh_danh": "001301654321",
        "ngay_cap": "10/10/2021",
        "dan_toc": "Kinh",
        "ton_giao": "Không",
        "so_dien_thoai": "+84 987 654 321",
        "dia_chi_thuong_tru_province": HCMC,
        "dia_chi_thuong_tru_ward": SAI_GON_WARD,
        "dia_chi_thuong_tru_street": "7 Pasteur",
        "nghe_nghiep": "Sinh viên",
        "lan_de_nghi": "lan_dau",
        "gan_chip": "co",
        "noi_nhan_ket_qua": "truc_tiep",
        "cam_doan": "true",
        "anh_chan_dung": jpeg_part("chan-dung.jpg"),
        "anh_can_cuoc_mat_truoc": jpeg_part("truoc.jpg"),
        "anh_can_cuoc_mat_sau": jpeg_part("sau.jpg"),
    }
    url = f"{portal_server}/api/v3/forms/{passport_form.pk}/submissions/"
    response = api.post(url, multipart=answers, headers={"Idempotency-Key": str(uuid.uuid4())})
    assert response.status == 201, response.text()
    code = response.json()["code"]
    committed_changes.undo(lambda: _delete_dossier(code))
    dossier = Dossier.objects.get(code=code)
    assert dossier.applicant_phone == "0987654321"
    assert dossier.files.count() == 3

    huge = api.post(
        url, data=b'{"ho": "' + b"A" * (10 * 1024 * 1024) + b'"}', headers={"Content-Type": "application/json"}
    )
    assert huge.status == 413
    assert huge.headers["content-type"] == "application/problem+json"
