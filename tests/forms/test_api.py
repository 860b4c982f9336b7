"""The forms API: the seeded passport form's schema, and submissions through the same
validation as the HTML journey (errors per field in vi/en, conditions, idempotency,
bad input that stores nothing, rate limit, no CSRF for headless clients)."""

import uuid

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from forms.constants import Channel, DossierStatus
from forms.models import ApplicationFormPage, Dossier, DossierFile
from forms.storage import private_storage
from guides.models import GuidePage
from tests.factories.forms import T, jpeg_bytes, make_form_page, row

pytestmark = pytest.mark.django_db

PASSPORT_GUIDE_SLUG = "cap-ho-chieu-khong-gan-chip"
PHOTO_KEYS = ("anh_chan_dung", "anh_can_cuoc_mat_truoc", "anh_can_cuoc_mat_sau")
# A man born 15/03/1990, birth registered in Hồ Chí Minh City (079), 1900s male (0), year 90.
VALID_ANSWERS = {
    "loai_nguoi_de_nghi": "ban_than",
    "ho": "nguyễn",
    "chu_dem_ten": "văn an",
    "gioi_tinh": "nam",
    "ngay_sinh": "15/03/1990",
    "noi_sinh": "79",
    "so_dinh_danh": "079090123456",
    "ngay_cap": "01/06/2021",
    "dan_toc": "Kinh",
    "ton_giao": "Không",
    "so_dien_thoai": "0912 345 678",
    "email": "an.nguyen@example.com",
    "dia_chi_thuong_tru_province": "79",
    "dia_chi_thuong_tru_ward": "26740",
    "dia_chi_thuong_tru_street": "12 Lê Lợi",
    "nghe_nghiep": "Kỹ sư",
    "lan_de_nghi": "lan_dau",
    "gan_chip": "khong",
    "noi_nhan_ket_qua": "truc_tiep",
    "cam_doan": "true",
}


@pytest.fixture
def passport_form(demo_site):
    guide = GuidePage.objects.get(locale__language_code="vi", slug=PASSPORT_GUIDE_SLUG)
    return ApplicationFormPage.objects.child_of(guide).live().get()


def schema_url(page_id):
    return f"/api/v3/forms/{page_id}/schema/"


def submissions_url(page_id):
    return f"/api/v3/forms/{page_id}/submissions/"


def photos():
    return {key: SimpleUploadedFile(f"{key}.jpg", jpeg_bytes(), content_type="image/jpeg") for key in PHOTO_KEYS}


def post(client, page, data, **headers):
    return client.post(submissions_url(page.pk), data, headers=headers)


def fields_by_key(schema):
    return {field["key"]: field for step in schema["steps"] for field in step["fields"]}


# --- schema -----------------------------------------------------------------------------


def test_schema_of_the_passport_form_lists_steps_fields_rules_and_conditions(client, passport_form):
    response = client.get(schema_url(passport_form.pk))
    assert response.status_code == 200
    schema = response.json()
    assert schema["id"] == passport_form.pk
    assert schema["title"] == passport_form.title
    assert schema["procedure"]["title"] == passport_form.get_procedure().title
    assert schema["agency"]["code"] == passport_form.get_agency().code
    assert schema["submission_url"].endswith(submissions_url(passport_form.pk))
    assert [step["title"] for step in schema["steps"]] == [
        "Người đề nghị",
        "Người đại diện (tờ khai TK01a)",
        "Liên hệ, địa chỉ và gia đình",
        "Hộ chiếu và nơi nhận kết quả",
        "Ảnh và giấy tờ, cam đoan",
    ]
    representative_step = schema["steps"][1]
    assert representative_step["condition"] == {
        "field": "loai_nguoi_de_nghi",
        "operator": "eq",
        "value": "tre_em_duoi_14",
        "values": ["tre_em_duoi_14"],
    }

    fields = fields_by_key(schema)
    applicant = fields["loai_nguoi_de_nghi"]
    assert (applicant["type"], applicant["required"], applicant["default"]) == ("radio", True, "ban_than")
    assert [choice["value"] for choice in applicant["choices"]] == ["ban_than", "tre_em_duoi_14"]
    assert fields["ho"]["type"] == "person_name"
    assert fields["ho"]["help_text"] == "Viết chữ in hoa có dấu, ví dụ NGUYỄN."
    assert fields["email"]["required"] is False
    assert fields["so_dinh_danh"]["rules"]["pattern"] == r"^[0-9]{12}$"
    assert fields["so_dien_thoai"]["rules"]["pattern"].startswith("^0(3[2-9]")
    assert fields["ngay_sinh"]["rules"]["min_age"] == 0
    assert fields["nguoi_dai_dien_ngay_sinh"]["rules"]["min_age"] == 18
    assert fields["ngay_sinh"]["rules"]["format"] == "dd/mm/yyyy"
    assert {c["value"] for c in fields["noi_sinh"]["choices"]} >= {"01", "79", "96"}
    assert len(fields["noi_sinh"]["choices"]) == 34
    assert fields["dia_chi_thuong_tru"]["inputs"] == [
        "dia_chi_thuong_tru_province",
        "dia_chi_thuong_tru_ward",
        "dia_chi_thuong_tru_street",
    ]
    # a field shown only for a lost passport
    assert fields["don_trinh_bao_mat"]["condition"]["field"] == "ho_chieu_gan_nhat_bi_mat"
    assert fields["dia_chi_nhan_ket_qua"]["condition"]["values"] == ["buu_chinh"]
    # file rules
    portrait = fields["anh_chan_dung"]
    assert portrait["type"] == "file"
    assert portrait["rules"]["max_size_mb"] == 2
    assert portrait["rules"]["max_size_bytes"] == 2 * 1024 * 1024
    assert portrait["rules"]["max_files"] == 1
    assert portrait["rules"]["allowed_kinds"] == ["jpg"]
    assert portrait["rules"]["allowed_content_types"] == ["image/jpeg"]
    assert fields["anh_can_cuoc_mat_truoc"]["rules"]["allowed_kinds"] == ["jpg", "png"]
    assert fields["cam_doan"]["type"] == "consent"
    # a heading is text only
    heading = next(f for f in schema["steps"][2]["fields"] if f["type"] == "heading")
    assert heading["inputs"] == [] and heading["label"] == "Thông tin gia đình"


def test_schema_has_a_json_schema_with_conditional_requirements(client, passport_form):
    json_schema = client.get(schema_url(passport_form.pk)).json()["json_schema"]
    assert json_schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    properties = json_schema["properties"]
    assert properties["gioi_tinh"]["enum"] == ["nam", "nu"]
    assert properties["so_dinh_danh"]["pattern"] == r"^[0-9]{12}$"
    assert properties["cam_doan"] == {**properties["cam_doan"], "type": "boolean", "const": True}
    assert properties["anh_chan_dung"]["maxItems"] == 1
    assert properties["anh_chan_dung"]["items"]["x-allowed-content-types"] == ["image/jpeg"]
    assert properties["dia_chi_thuong_tru"]["type"] == "object"
    assert "tieu_de_thong_tin_gia_dinh" not in properties  # headings hold no answer
    assert {"ho", "so_dinh_danh", "anh_chan_dung", "cam_doan"} <= set(json_schema["required"])
    assert "giay_khai_sinh" not in json_schema["required"]
    rules = {tuple(rule["then"]["required"]): rule["if"] for rule in json_schema["allOf"]}
    child_rule = next(condition for keys, condition in rules.items() if "giay_khai_sinh" in keys)
    assert child_rule == {
        "properties": {"loai_nguoi_de_nghi": {"enum": ["tre_em_duoi_14"]}},
        "required": ["loai_nguoi_de_nghi"],
    }
    assert ("dia_chi_nhan_ket_qua",) in rules


def test_schema_of_a_page_that_is_not_a_form_is_404(client, passport_form):
    guide = passport_form.get_parent()
    for page_id in (guide.pk, 999_999_999):
        response = client.get(schema_url(page_id))
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"


# --- submissions -------------------------------------------------------------------------


def test_valid_submission_creates_a_dossier_with_files(client, passport_form):
    response = post(client, passport_form, {**VALID_ANSWERS, **photos()})
    assert response.status_code == 201, response.content
    body = response.json()
    dossier = Dossier.objects.get(code=body["code"])
    assert body["tracking_url"].endswith(f"/tra-cuu/?ma={dossier.code}")
    assert response["Location"] == body["tracking_url"]
    assert body["status"] == DossierStatus.NEW
    assert body["status_label"] == "Chờ tiếp nhận"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert dossier.form_page_id == passport_form.pk
    assert dossier.channel == Channel.ONLINE
    assert dossier.applicant_name == "NGUYỄN VĂN AN"
    assert dossier.applicant_phone == "0912345678"
    assert dossier.personal_id == "079090123456"
    assert dossier.answers["ngay_sinh"] == "1990-03-15"
    assert dossier.answers["dia_chi_thuong_tru"]["ward"] == "26740"
    assert dossier.language == "vi"
    files = {f.field_key: f for f in DossierFile.objects.filter(dossier=dossier)}
    assert set(files) == set(PHOTO_KEYS)
    assert files["anh_chan_dung"].content_type == "image/jpeg"
    assert all(private_storage.exists(f.stored_name) for f in files.values())


def test_missing_and_invalid_answers_are_400_with_vietnamese_messages_per_field(client, passport_form):
    data = {**VALID_ANSWERS, **photos(), "so_dien_thoai": "12345", "so_dinh_danh": "079190123456"}
    del data["ho"]
    del data["anh_chan_dung"]
    count = Dossier.objects.count()
    response = post(client, passport_form, data)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response["Content-Language"] == "vi"
    errors = response.json()["errors"]
    assert set(errors) == {"ho", "so_dien_thoai", "so_dinh_danh", "anh_chan_dung"}
    assert errors["ho"] == ["Trường này là bắt buộc."]
    assert errors["anh_chan_dung"] == ["Vui lòng chọn tệp để tải lên."]
    assert "số điện thoại" in errors["so_dien_thoai"][0].lower()
    # 079 1 90…: the fourth digit says a woman, the answer says a man
    assert "giới tính" in " ".join(errors["so_dinh_danh"]).lower()
    assert Dossier.objects.count() == count


def test_errors_follow_accept_language_english(client, passport_form):
    data = {**VALID_ANSWERS, **photos()}
    del data["ho"]
    response = post(client, passport_form, data, **{"Accept-Language": "en-GB,en;q=0.9,vi;q=0.5"})
    assert response.status_code == 400
    assert response["Content-Language"] == "en"
    assert response.json()["errors"] == {"ho": ["This field is required."]}


def test_hidden_fields_are_not_required_and_not_stored(client, passport_form):
    # In person: the postal address is hidden; not a child: the representative step is hidden.
    data = {
        **VALID_ANSWERS,
        **photos(),
        "dia_chi_nhan_ket_qua_province": "79",
        "dia_chi_nhan_ket_qua_ward": "26743",
        "dia_chi_nhan_ket_qua_street": "45 Nguyễn Huệ",
        "nguoi_dai_dien_ho_ten": "không dùng",
    }
    response = post(client, passport_form, data)
    assert response.status_code == 201, response.content
    dossier = Dossier.objects.get(code=response.json()["code"])
    assert "dia_chi_nhan_ket_qua" not in dossier.answers
    assert "nguoi_dai_dien_ho_ten" not in dossier.answers
    assert dossier.postal_address == ""


def test_shown_conditional_fields_are_required(client, passport_form):
    data = {**VALID_ANSWERS, **photos(), "noi_nhan_ket_qua": "buu_chinh", "loai_nguoi_de_nghi": "tre_em_duoi_14"}
    response = post(client, passport_form, data)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "dia_chi_nhan_ket_qua" in errors
    assert {"nguoi_dai_dien_ho_ten", "quan_he", "giay_khai_sinh"} <= set(errors)


def test_postal_delivery_with_its_address_is_stored(client, passport_form):
    data = {
        **VALID_ANSWERS,
        **photos(),
        "noi_nhan_ket_qua": "buu_chinh",
        "dia_chi_nhan_ket_qua_province": "79",
        "dia_chi_nhan_ket_qua_ward": "26743",
        "dia_chi_nhan_ket_qua_street": "45 Nguyễn Huệ",
    }
    response = post(client, passport_form, data)
    assert response.status_code == 201, response.content
    dossier = Dossier.objects.get(code=response.json()["code"])
    assert dossier.result_delivery == "buu_chinh"
    assert "45 Nguyễn Huệ" in dossier.postal_address


def test_repeated_parts_give_several_checkboxes_and_several_files(client, demo_site):
    page = make_form_page(
        demo_site,
        [
            row(
                T.CHECKBOXES,
                "Giấy tờ kèm theo",
                "giay_to",
                choices="ho_chieu | Hộ chiếu\nthi_thuc | Thị thực\nkhac | Khác",
            ),
            row(T.FILE, "Ảnh giấy tờ", "anh_giay_to", allowed_kinds="jpg, png", max_files=3),
            row(T.CONSENT, "Tôi cam đoan", "cam_doan"),
        ],
    )
    fields = fields_by_key(client.get(schema_url(page.pk)).json())
    assert fields["giay_to"]["multiple"] and fields["anh_giay_to"]["multiple"]
    scans = [SimpleUploadedFile(f"trang-{n}.jpg", jpeg_bytes(), content_type="image/jpeg") for n in (1, 2)]
    data = {"giay_to": ["ho_chieu", "thi_thuc"], "anh_giay_to": scans, "cam_doan": "on"}
    response = post(client, page, data)
    assert response.status_code == 201, response.content
    dossier = Dossier.objects.get(code=response.json()["code"])
    assert dossier.answers["giay_to"] == ["ho_chieu", "thi_thuc"]
    assert sorted(dossier.files.values_list("original_name", flat=True)) == ["trang-1.jpg", "trang-2.jpg"]

    scan = SimpleUploadedFile("trang-3.jpg", jpeg_bytes(), content_type="image/jpeg")
    unknown_choice = post(client, page, {**data, "giay_to": ["ho_chieu", "vang"], "anh_giay_to": scan})
    assert unknown_choice.status_code == 400
    assert "giay_to" in unknown_choice.json()["errors"]


def test_tracking_url_follows_the_language(client, passport_form):
    response = post(client, passport_form, {**VALID_ANSWERS, **photos()}, **{"Accept-Language": "en"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["tracking_url"].endswith(f"/en/tra-cuu/?ma={body['code']}")
    assert Dossier.objects.get(code=body["code"]).language == "en"


def test_same_idempotency_key_returns_the_same_dossier_once(client, passport_form):
    key = str(uuid.uuid4())
    first = post(client, passport_form, {**VALID_ANSWERS, **photos()}, **{"Idempotency-Key": key})
    second = post(client, passport_form, {**VALID_ANSWERS, **photos()}, **{"Idempotency-Key": key})
    assert first.status_code == 201
    assert second.status_code == 200
    assert second["Idempotent-Replayed"] == "true"
    assert first.json()["code"] == second.json()["code"]
    assert Dossier.objects.filter(idempotency_key=f"api:{passport_form.pk}:{key}").count() == 1
    # A different key is a different application.
    third = post(client, passport_form, {**VALID_ANSWERS, **photos()}, **{"Idempotency-Key": str(uuid.uuid4())})
    assert third.status_code == 201 and third.json()["code"] != first.json()["code"]


def test_malformed_idempotency_key_is_400(client, passport_form):
    response = post(client, passport_form, {**VALID_ANSWERS, **photos()}, **{"Idempotency-Key": "x" * 65})
    assert response.status_code == 400


def test_unknown_field_is_400_and_nothing_is_stored(client, passport_form):
    count, files = Dossier.objects.count(), DossierFile.objects.count()
    response = post(client, passport_form, {**VALID_ANSWERS, **photos(), "so_tai_khoan": "123"})
    assert response.status_code == 400
    assert response.json()["errors"] == {"so_tai_khoan": ["Biểu mẫu không có trường này."]}
    assert (Dossier.objects.count(), DossierFile.objects.count()) == (count, files)


def test_file_sent_for_a_text_field_is_400(client, passport_form):
    data = {**VALID_ANSWERS, **photos(), "nghe_nghiep": SimpleUploadedFile("a.jpg", jpeg_bytes())}
    response = post(client, passport_form, data)
    assert response.status_code == 400
    assert "nghe_nghiep" in response.json()["errors"]


def test_two_files_for_a_single_file_field_are_400(client, passport_form):
    data = {**VALID_ANSWERS, **photos()}
    data["anh_chan_dung"] = [
        SimpleUploadedFile("a.jpg", jpeg_bytes(), content_type="image/jpeg"),
        SimpleUploadedFile("b.jpg", jpeg_bytes(), content_type="image/jpeg"),
    ]
    response = post(client, passport_form, data)
    assert response.status_code == 400
    assert response.json()["errors"]["anh_chan_dung"] == ["Chỉ được tải lên tối đa 1 tệp (bạn đã chọn 2 tệp)."]


def test_executable_named_jpg_is_400_naming_the_allowed_types(client, passport_form):
    executable = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64 + b"PE\x00\x00" * 64
    data = {**VALID_ANSWERS, **photos()}
    data["anh_chan_dung"] = SimpleUploadedFile("chan-dung.jpg", executable, content_type="image/jpeg")
    count = Dossier.objects.count()
    response = post(client, passport_form, data)
    assert response.status_code == 400
    (message,) = response.json()["errors"]["anh_chan_dung"]
    assert "chan-dung.jpg" in message and "Chỉ chấp nhận tệp JPG" in message
    assert Dossier.objects.count() == count


def test_malformed_multipart_is_400(client, passport_form):
    count = Dossier.objects.count()
    no_boundary = client.post(
        submissions_url(passport_form.pk), data=b"--x\r\nnot really", content_type="multipart/form-data"
    )
    assert no_boundary.status_code == 400
    assert no_boundary["Content-Type"] == "application/problem+json"
    garbage = client.post(
        submissions_url(passport_form.pk),
        data=b"\x00\x01garbage without any boundary",
        content_type="multipart/form-data; boundary=BoUnDaRy",
    )
    assert garbage.status_code == 400
    assert Dossier.objects.count() == count


def test_ten_megabyte_json_body_is_413(client, passport_form):
    count = Dossier.objects.count()
    body = b'{"ho": "' + b"A" * (10 * 1024 * 1024) + b'"}'
    response = client.post(submissions_url(passport_form.pk), data=body, content_type="application/json")
    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
    assert Dossier.objects.count() == count


def test_answers_over_the_memory_limit_in_multipart_are_413(client, passport_form, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = post(client, passport_form, {**VALID_ANSWERS, **photos(), "nghe_nghiep": "x" * 20_000})
    assert response.status_code == 413


def test_json_body_is_415(client, passport_form):
    response = client.post(submissions_url(passport_form.pk), data={"ho": "A"}, content_type="application/json")
    assert response.status_code == 415


def test_submission_to_a_page_that_is_not_a_form_is_404(client, passport_form):
    count = Dossier.objects.count()
    response = post(client, passport_form.get_parent(), {**VALID_ANSWERS, **photos()})
    assert response.status_code == 404
    assert Dossier.objects.count() == count


def test_honeypot_filled_stores_nothing(client, passport_form):
    count = Dossier.objects.count()
    response = post(client, passport_form, {**VALID_ANSWERS, **photos(), "website": "http://spam.example"})
    assert response.status_code == 400
    assert Dossier.objects.count() == count


@pytest.mark.parametrize("restricted", ["form", "guide"])
def test_a_form_in_a_private_section_is_404_and_stores_nothing(client, passport_form, restricted):
    from wagtail.models import PageViewRestriction

    page = passport_form if restricted == "form" else passport_form.get_parent()
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    count = Dossier.objects.count()
    assert client.get(schema_url(passport_form.pk)).status_code == 404
    assert post(client, passport_form, {**VALID_ANSWERS, **photos()}).status_code == 404
    assert Dossier.objects.count() == count


def test_a_restriction_elsewhere_leaves_the_form_public(client, passport_form):
    from wagtail.models import PageViewRestriction

    other = GuidePage.objects.live().exclude(pk=passport_form.get_parent().pk).first()
    PageViewRestriction.objects.create(page=other, restriction_type=PageViewRestriction.LOGIN)
    assert client.get(schema_url(passport_form.pk)).status_code == 200


@override_settings(PORTAL_FORMS_SUBMIT_RATE=(2, 600))
def test_rate_limit_answers_429_with_retry_after(client, passport_form):
    for _ in range(2):
        post(client, passport_form, {"ho": "A"})
    response = post(client, passport_form, {**VALID_ANSWERS, **photos()})
    assert response.status_code == 429
    assert response["Retry-After"] == "600"
    assert "quá nhiều lần" in response.json()["detail"]


def test_no_csrf_token_needed_even_with_a_session_cookie(passport_form):
    user = get_user_model().objects.filter(is_superuser=True).first()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = post(client, passport_form, {**VALID_ANSWERS, **photos()})
    assert response.status_code == 201, response.content


def test_openapi_document_describes_both_routes(client):
    document = client.get("/api/v3/openapi.json").json()
    schema_path = document["paths"]["/api/v3/forms/{page_id}/schema/"]["get"]
    submit_path = document["paths"]["/api/v3/forms/{page_id}/submissions/"]["post"]
    assert schema_path["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/FormDefinitionSchema"
    )
    assert set(submit_path["responses"]) >= {"200", "201", "400", "404", "413", "429"}
    assert submit_path["responses"]["201"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/FormSubmissionCreatedSchema"
    )
    assert "multipart/form-data" in submit_path["requestBody"]["content"]
    headers = {p["name"] for p in submit_path["parameters"] if p["in"] == "header"}
    assert {"Idempotency-Key", "Accept-Language"} <= headers
    components = document["components"]["schemas"]
    assert {"FormDefinitionSchema", "FormFieldSchema", "FormProblemSchema"} <= set(components)
