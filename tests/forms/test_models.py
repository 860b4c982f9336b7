"""Form pages and fields: readable stable keys, editor validation, builder field types, links."""

import pytest
from django import forms as django_forms
from django.urls import reverse
from wagtail.test.utils.form_data import querydict_from_html

from forms import fields as portal_fields
from forms.builder import build_step_form, page_steps
from forms.constants import ALLOWED_TRANSITIONS, CITIZEN_LABELS, DossierStatus, is_allowed_transition
from forms.models import ApplicationFormField, parse_choices
from tests.factories.forms import make_dossier, make_form_page, make_guide, row

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(demo_site):
    return make_form_page(demo_site)


def test_key_is_readable_ascii_from_vietnamese_label(page):
    field = ApplicationFormField.objects.get(page=page, label="Số điện thoại")
    assert field.clean_name == "so_dien_thoai"


def test_key_does_not_change_with_the_label(page):
    field = ApplicationFormField.objects.get(page=page, clean_name="so_dien_thoai")
    field.label = "Số điện thoại di động"
    field.save()
    field.refresh_from_db()
    assert field.clean_name == "so_dien_thoai"


def test_editor_given_key_is_kept(page):
    field = ApplicationFormField.objects.create(page=page, label="Quê quán", clean_name="que", field_type="singleline")
    assert field.clean_name == "que"


def test_parse_choices_accepts_values_and_bare_labels():
    assert parse_choices("co | Có\nKhông") == [("co", "Có"), ("khong", "Không")]
    assert parse_choices("Hà Nội, Huế") == [("ha_noi", "Hà Nội"), ("hue", "Huế")]
    assert parse_choices("") == []


def test_builder_maps_every_field_type(demo_site):
    rows = [
        row("singleline", "Một dòng", "a"),
        row("multiline", "Nhiều dòng", "b"),
        row("email", "Email", "c"),
        row("number", "Số", "d"),
        row("dropdown", "Chọn", "e", choices="x | X"),
        row("radio", "Nút", "f", choices="x | X"),
        row("checkboxes", "Nhiều ô", "g", choices="x | X\ny | Y"),
        row("checkbox", "Một ô", "h"),
        row("personal_id", "Số định danh", "i"),
        row("previous_id", "CMND cũ", "j"),
        row("phone", "Điện thoại", "k"),
        row("vn_date", "Ngày sinh", "l", min_age=14, max_age=80),
        row("person_name", "Họ tên", "m"),
        row("province", "Tỉnh", "n"),
        row("address", "Địa chỉ", "o"),
        row("file", "Tệp", "p", max_size_mb=3, max_files=2, allowed_kinds="jpg, pdf"),
        row("consent", "Cam đoan", "q"),
        row("heading", "Tiêu đề", "r", required=False),
    ]
    page = make_form_page(demo_site, rows)
    form = build_step_form(page, 1)
    expected = {
        "a": django_forms.CharField,
        "b": django_forms.CharField,
        "c": django_forms.EmailField,
        "d": django_forms.DecimalField,
        "e": django_forms.ChoiceField,
        "f": django_forms.ChoiceField,
        "g": django_forms.MultipleChoiceField,
        "h": django_forms.BooleanField,
        "i": portal_fields.PersonalIdField,
        "j": portal_fields.PreviousIdField,
        "k": portal_fields.VietnamesePhoneField,
        "l": portal_fields.VietnameseDateField,
        "m": portal_fields.PersonNameField,
        "n": portal_fields.ProvinceField,
        "o": portal_fields.AddressField,
        "p": portal_fields.PrivateFileField,
        "q": portal_fields.ConsentField,
    }
    for key, field_class in expected.items():
        assert isinstance(form.fields[key], field_class), key
    assert "r" not in form.fields  # headings render text, no input
    assert isinstance(form.fields["b"].widget, django_forms.Textarea)
    assert isinstance(form.fields["f"].widget, django_forms.RadioSelect)
    assert (form.fields["l"].min_age, form.fields["l"].max_age) == (14, 80)
    upload = form.fields["p"]
    assert (upload.max_size_mb, upload.max_files, upload.allowed_kinds) == (3, 2, ("jpg", "pdf"))


def test_step_rows_split_the_form_into_steps(page):
    steps = page_steps(page)
    assert [s.title for s in steps] == ["Người đề nghị", "Người đại diện", "Cam đoan"]
    assert steps[1].condition == {"field": "loai_nguoi_de_nghi", "operator": "eq", "value": "tre_em_duoi_14"}


def test_personal_id_is_checked_against_birth_date_and_gender(demo_site):
    page = make_form_page(
        demo_site,
        [
            row("radio", "Giới tính", "gioi_tinh", choices="nam | Nam\nnu | Nữ"),
            row("vn_date", "Ngày sinh", "ngay_sinh", min_age=0),
            row("personal_id", "Số định danh", "so_dinh_danh"),
        ],
    )
    data = {"gioi_tinh": "nam", "ngay_sinh": "15/03/1990", "so_dinh_danh": "079090123456"}
    form = build_step_form(page, 1, data)
    assert form.is_valid(), form.errors
    form = build_step_form(page, 1, {**data, "gioi_tinh": "nu"})
    assert not form.is_valid()
    assert "so_dinh_danh" in form.errors


def test_page_defaults_procedure_and_agency_from_its_guide(demo_site):
    guide = make_guide(demo_site)
    page = make_form_page(demo_site, guide=guide)
    assert page.procedure_id == guide.pk
    assert page.agency_id == guide.agency_id
    assert page.get_agency() == guide.agency


def test_guide_links_to_its_live_form(demo_site):
    guide = make_guide(demo_site)
    assert guide.application_form_url is None
    page = make_form_page(demo_site, guide=guide)
    assert guide.application_form_url == page.url
    page.unpublish()
    assert guide.application_form_url is None


def test_status_table():
    assert [s.value for s in DossierStatus] == [str(n) for n in range(11)]
    assert DossierStatus.NEW.label == "Mới đăng ký"
    assert CITIZEN_LABELS[DossierStatus.NEW] == "Chờ tiếp nhận"
    assert is_allowed_transition("1", "6") and is_allowed_transition("6", "2")
    assert not is_allowed_transition("10", "4")
    assert set(ALLOWED_TRANSITIONS) == set(DossierStatus)


# --- the page editor --------------------------------------------------------------------


def edit_data(client, page):
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    return querydict_from_html(response.content.decode(), form_id="page-edit-form").copy()


def field_index(data, key):
    total = int(data["form_fields-TOTAL_FORMS"])
    return next(i for i in range(total) if data[f"form_fields-{i}-clean_name"] == key)


def post_edit(client, page, data):
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)


def test_editor_can_rename_a_key_before_any_dossier(admin_client, page):
    data = edit_data(admin_client, page)
    data[f"form_fields-{field_index(data, 'ho_ten')}-clean_name"] = "ho_va_ten"
    response = post_edit(admin_client, page, data)
    assert response.status_code == 302
    page.refresh_from_db()
    draft = page.get_latest_revision_as_object()
    assert "ho_va_ten" in [field.clean_name for field in draft.form_fields.all()]


def test_duplicate_key_is_refused(admin_client, page):
    data = edit_data(admin_client, page)
    data[f"form_fields-{field_index(data, 'ho_ten')}-clean_name"] = "so_dien_thoai"
    response = post_edit(admin_client, page, data)
    assert response.status_code == 200
    # Wagtail's own duplicate check (on the label) or ours (on the key) refuses it.
    html = response.content.decode()
    assert "bị trùng" in html or "The name &#x27;so_dien_thoai&#x27;" in html or "so_dien_thoai" in html
    assert page.get_latest_revision_as_object().form_fields.filter(clean_name="so_dien_thoai").count() == 1


def test_unsafe_or_reserved_key_is_refused(admin_client, page):
    data = edit_data(admin_client, page)
    index = field_index(data, "ho_ten")
    data[f"form_fields-{index}-clean_name"] = "Họ tên!"
    assert "Chỉ dùng chữ thường không dấu" in post_edit(admin_client, page, data).content.decode()
    data[f"form_fields-{index}-clean_name"] = "website"
    assert "dùng riêng" in post_edit(admin_client, page, data).content.decode()


def test_key_cannot_change_once_the_form_has_dossiers(admin_client, page):
    make_dossier(page)
    data = edit_data(admin_client, page)
    data[f"form_fields-{field_index(data, 'ho_ten')}-clean_name"] = "ho_va_ten"
    response = post_edit(admin_client, page, data)
    assert response.status_code == 200
    assert "không thể đổi mã trường" in response.content.decode()
    assert page.form_fields.filter(clean_name="ho_ten").exists()
