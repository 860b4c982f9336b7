"""Form fields and widgets of the application forms, uploads and their private storage."""

import hashlib
import io
import os
import re
import stat
import sys
from datetime import date

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import include, path
from django.utils.datastructures import MultiValueDict
from PIL import Image, ImageOps

from forms.fields import (
    DECLARATION_TEXT,
    AddressField,
    CleanUpload,
    ConsentField,
    PersonalIdField,
    PersonNameField,
    PreviousIdField,
    PrivateFileField,
    ProvinceField,
    VietnameseDateField,
    VietnamesePhoneField,
)
from forms.provinces import wards
from forms.storage import private_storage, store_upload

# URLconf for the tests that need the ward endpoint (pytest.mark.urls(__name__)).
urlpatterns = [path("du-lieu/", include("forms.urls_data"))]


class PersonForm(forms.Form):
    ho_ten = PersonNameField(label="Họ, chữ đệm và tên")
    so_dinh_danh = PersonalIdField(label="Số định danh cá nhân")
    so_cmnd_cu = PreviousIdField(label="Số CMND cũ", required=False)
    so_dien_thoai = VietnamesePhoneField(label="Số điện thoại")
    ngay_sinh = VietnameseDateField(label="Ngày sinh", min_age=14)
    noi_sinh = ProvinceField(label="Nơi sinh")
    cam_doan = ConsentField()


VALID_PERSON = {
    "ho_ten": "  nguyễn   văn an ",
    "so_dinh_danh": "079 0 90 012345",
    "so_cmnd_cu": "025 123 456",
    "so_dien_thoai": "+84 912 345 678",
    "ngay_sinh": "15/03/1990",
    "noi_sinh": "79",
    "cam_doan": "on",
}


class AddressForm(forms.Form):
    thuong_tru = AddressField(label="Nơi thường trú")
    tam_tru = AddressField(label="Nơi tạm trú", required=False)


def select_html(html: str, name: str) -> str:
    match = re.search(rf'<select name="{name}"[^>]*>.*?</select>', html, re.DOTALL)
    assert match, f"no select named {name}"
    return match.group(0)


def option_values(select: str) -> list[str]:
    return re.findall(r'<option value="([^"]*)"', select)


# Identity, phone, date, name, province, consent ------------------------------------------


def test_person_fields_clean_to_their_normalised_values():
    form = PersonForm(VALID_PERSON)
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {
        "ho_ten": "NGUYỄN VĂN AN",
        "so_dinh_danh": "079090012345",
        "so_cmnd_cu": "025123456",
        "so_dien_thoai": "0912345678",
        "ngay_sinh": date(1990, 3, 15),
        "noi_sinh": "79",
        "cam_doan": True,
    }


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("so_dinh_danh", "07909001234", "Số định danh cá nhân phải gồm đúng 12 chữ số"),
        ("so_dinh_danh", "099090012345", "mã tỉnh"),
        ("so_cmnd_cu", "12345", "9 chữ số"),
        ("so_dien_thoai", "028 3829 1234", "điện thoại bàn"),
        ("ngay_sinh", "31/02/1990", "không có trên lịch"),
        ("ngay_sinh", "15/03/90", "ngày/tháng/năm"),
        ("ho_ten", "Nguyễn Văn 2", "chữ cái"),
        ("noi_sinh", "99", "chọn tỉnh/thành phố trong danh sách"),
    ],
)
def test_person_field_errors_name_the_rule(field, value, message):
    form = PersonForm({**VALID_PERSON, field: value})
    assert not form.is_valid()
    assert list(form.errors) == [field]
    assert message in " ".join(form.errors[field])


def test_birth_date_field_applies_the_age_limits():
    form = PersonForm({**VALID_PERSON, "ngay_sinh": date.today().strftime("%d/%m/%Y")})
    assert not form.is_valid()
    assert "đủ 14 tuổi" in form.errors["ngay_sinh"][0]

    class ChildForm(forms.Form):
        ngay_sinh = VietnameseDateField(max_age=13)

    assert not ChildForm({"ngay_sinh": "01/01/1990"}).is_valid()
    assert ChildForm({"ngay_sinh": date.today().replace(year=date.today().year - 5, day=1).isoformat()}).is_valid()


def test_issue_date_can_refuse_future_dates():
    class IssueForm(forms.Form):
        ngay_cap = VietnameseDateField(allow_future=False)
        ngay_hen = VietnameseDateField()

    next_year = f"01/01/{date.today().year + 1}"
    form = IssueForm({"ngay_cap": next_year, "ngay_hen": next_year})
    assert not form.is_valid()
    assert list(form.errors) == ["ngay_cap"]


def test_date_input_is_text_with_a_day_first_placeholder_and_digit_keypad():
    html = str(PersonForm()["ngay_sinh"])
    assert 'type="text"' in html
    assert 'placeholder="dd/mm/yyyy"' in html
    assert 'inputmode="numeric"' in html
    assert 'autocomplete="bday"' in html


def test_date_is_shown_day_first_when_the_form_is_redisplayed():
    form = PersonForm(initial={"ngay_sinh": date(1990, 3, 5)})
    assert 'value="05/03/1990"' in str(form["ngay_sinh"])


def test_inputs_ask_phones_for_the_right_keyboard_and_autofill():
    form = PersonForm()
    assert 'type="tel"' in str(form["so_dien_thoai"])
    assert 'autocomplete="tel"' in str(form["so_dien_thoai"])
    assert 'inputmode="numeric"' in str(form["so_dinh_danh"])
    assert 'autocomplete="name"' in str(form["ho_ten"])
    assert 'autocapitalize="characters"' in str(form["ho_ten"])


def test_province_field_lists_the_34_provinces_after_a_prompt():
    values = option_values(str(PersonForm()["noi_sinh"]))
    assert values[0] == ""
    assert len(values) == 35
    assert "79" in values


def test_consent_checkbox_is_required_and_labelled_with_the_declaration():
    form = PersonForm({**VALID_PERSON, "cam_doan": ""})
    assert not form.is_valid()
    assert form.errors["cam_doan"] == ["Bạn cần đánh dấu vào ô cam đoan để gửi hồ sơ."]
    assert form["cam_doan"].label == DECLARATION_TEXT
    assert "cam đoan những thông tin khai trên là đúng sự thật" in str(form["cam_doan"].label_tag())


# Address ---------------------------------------------------------------------------------


def address_data(province="79", ward="26740", street="12 Lê Lợi", prefix="thuong_tru"):
    return {f"{prefix}_province": province, f"{prefix}_ward": ward, f"{prefix}_street": street}


def test_address_cleans_to_codes_and_names():
    form = AddressForm(address_data(street="  12   Lê Lợi "))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["thuong_tru"] == {
        "province": "79",
        "province_name": "Thành phố Hồ Chí Minh",
        "ward": "26740",
        "ward_name": "Phường Sài Gòn",
        "street": "12 Lê Lợi",
    }
    assert form.cleaned_data["tam_tru"] is None


def test_ward_of_another_province_is_refused_and_the_list_is_narrowed_to_the_new_province():
    # The citizen had chosen HCMC and Phường Sài Gòn, then switched the province to
    # Hà Nội without JavaScript and sent the step.
    form = AddressForm(address_data(province="01", ward="26740"))
    assert not form.is_valid()
    assert form.errors["thuong_tru"] == [
        "Xã/phường/đặc khu đã chọn không thuộc Thành phố Hà Nội. Danh sách đã được cập nhật theo "
        "tỉnh/thành phố bạn chọn: vui lòng chọn lại."
    ]
    ward_select = select_html(str(form["thuong_tru"]), "thuong_tru_ward")
    assert option_values(ward_select) == ["", *[code for code, _name in wards("01")]]
    assert "26740" not in ward_select
    assert "selected" not in ward_select
    assert "Phường Hoàn Kiếm" in ward_select


def test_province_chosen_without_ward_asks_for_a_ward_of_that_province():
    form = AddressForm(address_data(province="46", ward=""))
    assert not form.is_valid()
    assert form.errors["thuong_tru"] == ["Vui lòng chọn xã/phường/đặc khu thuộc Thành phố Huế trong danh sách."]
    ward_select = select_html(str(form["thuong_tru"]), "thuong_tru_ward")
    assert len(option_values(ward_select)) == len(wards("46")) + 1
    assert " required" in ward_select


def test_before_a_province_is_chosen_the_ward_select_is_not_required():
    # A required but empty ward select would stop the browser from sending the step
    # that fills it in.
    html = str(AddressForm()["thuong_tru"])
    province_select = select_html(html, "thuong_tru_province")
    ward_select = select_html(html, "thuong_tru_ward")
    assert " required" in province_select
    assert " required" not in ward_select
    assert option_values(ward_select) == [""]
    assert "Chọn tỉnh/thành phố trước" in ward_select


def test_address_parts_have_their_own_labels_inside_a_fieldset():
    form = AddressForm()
    html = form.as_div()
    assert "<fieldset" in html
    assert "<legend" in html and "Nơi thường trú" in html
    for index, label in enumerate(["Tỉnh/thành phố", "Xã/phường/đặc khu", "Số nhà, tên đường"]):
        assert re.search(rf'<label for="id_thuong_tru_{index}">{label}', html)
    assert 'autocomplete="address-line1"' in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (address_data(province="", ward="", street="12 Lê Lợi"), "Vui lòng chọn tỉnh/thành phố."),
        (address_data(province="99", ward="26740"), "Vui lòng chọn tỉnh/thành phố trong danh sách."),
        (address_data(street=""), "Vui lòng nhập số nhà, tên đường hoặc thôn/ấp/tổ dân phố."),
        (address_data(province="", ward="", street=""), "Vui lòng nhập địa chỉ"),
    ],
)
def test_incomplete_address_says_what_is_missing(data, message):
    form = AddressForm(data)
    assert not form.is_valid()
    assert message in " ".join(form.errors["thuong_tru"])


def test_address_given_as_a_dict_is_checked_the_same_way():
    # The API sends the address as the dict the field produces.
    field = AddressField()
    value = {"province": "79", "ward": "26740", "street": "12 Lê Lợi"}
    assert field.clean(value)["ward_name"] == "Phường Sài Gòn"
    with pytest.raises(forms.ValidationError) as error:
        field.clean({**value, "province": "01"})
    assert error.value.error_list[0].code == "ward_not_in_province"


def test_street_can_be_optional():
    class PlaceForm(forms.Form):
        noi_nhan = AddressField(require_street=False)

    form = PlaceForm(address_data(street="", prefix="noi_nhan"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["noi_nhan"]["street"] == ""


def test_saved_address_is_shown_again_from_its_dict():
    initial = {"thuong_tru": {"province": "79", "ward": "26740", "street": "12 Lê Lợi"}}
    html = str(AddressForm(initial=initial)["thuong_tru"])
    assert '<option value="26740" selected>Phường Sài Gòn</option>' in html
    assert 'value="12 Lê Lợi"' in html


@pytest.mark.urls(__name__)
def test_address_widget_gives_the_script_the_ward_endpoint():
    html = str(AddressForm()["thuong_tru"])
    assert 'data-address-widget data-wards-url="/du-lieu/tinh-thanh/__province__/xa-phuong.json"' in html
    assert "data-address-province" in html
    assert "data-address-ward" in html
    assert 'aria-live="polite"' in html


@pytest.mark.urls("forms.urls_data")  # a URLconf where the forms_data namespace is missing
def test_address_widget_works_without_the_endpoint():
    html = str(AddressForm()["thuong_tru"])
    assert "data-wards-url" not in html
    assert "data-address-widget" in html


def test_address_script_is_a_deferred_static_file_and_nothing_is_inline():
    form = AddressForm()
    media = str(form.media)
    assert media == '<script src="/static/forms/js/address.js" defer></script>'
    assert not re.search(r"<script(?![^>]*\bsrc=)", form.as_div())


def test_address_script_exists_where_the_media_points():
    from django.contrib.staticfiles import finders

    assert finders.find("forms/js/address.js")


# Uploads ---------------------------------------------------------------------------------


def png_bytes(size=(4, 3), color=(0, 128, 255)) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", size, color).save(output, "PNG")
    return output.getvalue()


def jpeg_with_exif(size=(40, 20), orientation=6) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PortalTestCam"  # Make
    exif[0x0110] = "Secret Model 9"  # Model
    exif[0x0112] = orientation  # 6 = the phone was turned: rotate 90° clockwise to view
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (10.0, 46.0, 30.0)  # latitude of the citizen's home
    output = io.BytesIO()
    image.save(output, "JPEG", exif=exif, comment=b"taken at home")
    return output.getvalue()


PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def elf_bytes() -> bytes:
    """The start of a real ELF executable: the Python interpreter running the tests."""
    with open(os.path.realpath(sys.executable), "rb") as executable:
        head = executable.read(4096)
    assert head.startswith(b"\x7fELF")
    return head


def pe_bytes() -> bytes:
    """A Windows PE header (what a renamed .exe starts with)."""
    dos_header = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 44 + b"\x80\x00\x00\x00"
    stub = b"\x0e\x1f\xba\x0e\x00\xb4\x09\xcd\x21\xb8\x01\x4c\xcd\x21This program cannot be run in DOS mode.\r\r\n$"
    header = (dos_header + stub).ljust(0x80, b"\x00") + b"PE\x00\x00\x4c\x01"
    return header.ljust(1024, b"\x00")


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_real_pdf_is_accepted_unchanged():
    [clean] = PrivateFileField().clean(upload("don.pdf", PDF_BYTES))
    assert isinstance(clean, CleanUpload)
    assert clean.name == "don.pdf"
    assert clean.content_type == "application/pdf"
    assert clean.size == len(PDF_BYTES)
    assert clean.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert clean.file.read() == PDF_BYTES


@pytest.mark.parametrize(("name", "content"), [("giay-khai-sinh.pdf", "elf"), ("anh.pdf", "pe"), ("anh.jpg", "pe")])
def test_executable_with_a_document_name_is_refused_naming_the_allowed_types(name, content):
    content = elf_bytes() if content == "elf" else pe_bytes()
    with pytest.raises(forms.ValidationError) as error:
        PrivateFileField().clean(upload(name, content, "application/pdf"))
    [message] = error.value.messages
    assert error.value.error_list[0].code == "wrong_type"
    assert f"Tệp “{name}” không được chấp nhận" in message
    assert "JPG, PNG, PDF" in message


def test_unrecognisable_content_is_refused():
    with pytest.raises(forms.ValidationError) as error:
        PrivateFileField().clean(upload("ghi-chu.pdf", b"just some text, not a PDF\n" * 10))
    assert error.value.error_list[0].code == "wrong_type"


def test_png_named_pdf_is_accepted_as_a_png_when_png_is_allowed():
    [clean] = PrivateFileField().clean(upload("anh-the.pdf", png_bytes(), "application/pdf"))
    assert clean.kind == "png"
    assert clean.content_type == "image/png"
    assert clean.name == "anh-the.png"
    assert clean.original_name == "anh-the.pdf"
    assert Image.open(clean.file).format == "PNG"


def test_png_named_pdf_is_refused_when_only_pdf_is_allowed():
    with pytest.raises(forms.ValidationError) as error:
        PrivateFileField(allowed_kinds=("pdf",)).clean(upload("giay-to.pdf", png_bytes()))
    assert "Chỉ chấp nhận tệp PDF" in error.value.messages[0]


def test_exif_and_comments_are_removed_and_only_the_orientation_kept():
    original = jpeg_with_exif(size=(40, 20), orientation=6)
    with Image.open(io.BytesIO(original)) as check:
        assert check.getexif()[0x010F] == "PortalTestCam"  # the test photo does carry EXIF

    [clean] = PrivateFileField(allowed_kinds=("jpg",)).clean(upload("chan-dung.jpg", original, "image/jpeg"))
    cleaned = clean.file.read()
    assert b"PortalTestCam" not in cleaned
    assert b"Secret Model" not in cleaned
    assert b"taken at home" not in cleaned
    with Image.open(io.BytesIO(cleaned)) as image:
        assert image.format == "JPEG"
        assert dict(image.getexif()) == {0x0112: 6}  # no camera, no GPS: only how to turn it
        assert "comment" not in image.info
        assert image.size == (40, 20)  # the pixels are not re-encoded …
        assert ImageOps.exif_transpose(image).size == (20, 40)  # … and it is shown upright
    assert clean.sha256 == hashlib.sha256(cleaned).hexdigest()
    assert clean.size == len(cleaned)


def test_png_text_chunks_are_removed():
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "Địa chỉ nhà: 12 Lê Lợi")
    output = io.BytesIO()
    Image.new("RGB", (4, 4)).save(output, "PNG", pnginfo=info)
    [clean] = PrivateFileField().clean(upload("anh.png", output.getvalue()))
    with Image.open(clean.file) as image:
        assert "Comment" not in image.info
        assert image.text == {}


def test_palette_png_keeps_its_transparency():
    image = Image.new("P", (4, 4), 0)
    image.putpalette([255, 255, 255, 0, 0, 0] + [0] * 762)
    output = io.BytesIO()
    image.save(output, "PNG", transparency=0)
    [clean] = PrivateFileField().clean(upload("chu-ky.png", output.getvalue()))
    with Image.open(clean.file) as cleaned:
        assert cleaned.info.get("transparency") == 0


def test_broken_image_is_refused():
    content = jpeg_with_exif()[:300]  # a JPEG header, then nothing
    with pytest.raises(forms.ValidationError) as error:
        PrivateFileField().clean(upload("anh.jpg", content))
    assert error.value.error_list[0].code == "bad_image"
    assert "bị hỏng" in error.value.messages[0]


def test_image_with_too_many_pixels_is_refused():
    field = PrivateFileField(max_image_pixels=100)
    with pytest.raises(forms.ValidationError) as error:
        field.clean(upload("anh.png", png_bytes(size=(20, 20))))
    assert error.value.error_list[0].code == "too_many_pixels"


def test_oversize_file_is_refused_naming_the_limit():
    content = PDF_BYTES + b"0" * (2 * 1024 * 1024)
    with pytest.raises(forms.ValidationError) as error:
        PrivateFileField().clean(upload("ho-so.pdf", content))
    assert error.value.messages == ["Tệp vượt quá 2 MB: “ho-so.pdf”."]


def test_fractional_limit_is_written_with_a_decimal_comma():
    field = PrivateFileField(max_size_mb=0.5)
    with pytest.raises(forms.ValidationError) as error:
        field.clean(upload("ho-so.pdf", PDF_BYTES + b"0" * (512 * 1024)))
    assert "Tệp vượt quá 0,5 MB" in error.value.messages[0]
    assert "tối đa 0,5 MB" in str(field.help_text)


def test_file_exactly_at_the_limit_is_accepted():
    content = PDF_BYTES.ljust(2 * 1024 * 1024, b"\n")
    [clean] = PrivateFileField().clean(upload("ho-so.pdf", content))
    assert clean.size == 2 * 1024 * 1024


def test_empty_file_is_refused():
    with pytest.raises(forms.ValidationError) as error:
        PrivateFileField().clean(upload("rong.pdf", b""))
    assert error.value.error_list[0].code == "empty"


class UploadForm(forms.Form):
    cccd = PrivateFileField(label="Ảnh hai mặt CCCD", max_files=2, allowed_kinds=("jpg", "png"))
    chan_dung = PrivateFileField(label="Ảnh chân dung", allowed_kinds=("jpg",))
    giay_khai_sinh = PrivateFileField(label="Giấy khai sinh", required=False)


def test_several_files_are_taken_from_one_multiple_input():
    files = MultiValueDict(
        {
            "cccd": [upload("mat-truoc.png", png_bytes()), upload("mat-sau.jpg", jpeg_with_exif())],
            "chan_dung": [upload("anh.jpg", jpeg_with_exif())],
        }
    )
    form = UploadForm({}, files)
    assert form.is_valid(), form.errors
    assert [clean.name for clean in form.cleaned_data["cccd"]] == ["mat-truoc.png", "mat-sau.jpg"]
    assert len(form.cleaned_data["chan_dung"]) == 1
    assert form.cleaned_data["giay_khai_sinh"] == []


def test_too_many_files_are_refused_naming_the_count():
    files = MultiValueDict(
        {
            "cccd": [upload(f"anh-{number}.png", png_bytes()) for number in range(3)],
            "chan_dung": [upload("anh.jpg", jpeg_with_exif())],
        }
    )
    form = UploadForm({}, files)
    assert not form.is_valid()
    assert form.errors["cccd"] == ["Chỉ được tải lên tối đa 2 tệp (bạn đã chọn 3 tệp)."]


def test_every_bad_file_is_reported():
    files = MultiValueDict(
        {"cccd": [upload("a.pdf", elf_bytes()), upload("b.png", PDF_BYTES)], "chan_dung": [upload("c.jpg", b"x")]}
    )
    form = UploadForm({}, files)
    assert not form.is_valid()
    assert len(form.errors["cccd"]) == 2
    assert "Chỉ chấp nhận tệp JPG, PNG" in form.errors["cccd"][0]
    assert "Chỉ chấp nhận tệp JPG." in form.errors["chan_dung"][0]


def test_missing_required_upload_is_reported():
    form = UploadForm({}, MultiValueDict({"cccd": [upload("a.png", png_bytes())]}))
    assert not form.is_valid()
    assert form.errors["chan_dung"] == ["Vui lòng chọn tệp để tải lên."]


def test_earlier_upload_is_kept_when_the_step_is_sent_again_without_a_file():
    earlier = ["stored/abc.jpg"]
    assert PrivateFileField().clean(None, initial=earlier) == earlier


def test_file_inputs_accept_only_the_allowed_types_and_multiple_only_when_allowed():
    form = UploadForm()
    cccd, chan_dung = str(form["cccd"]), str(form["chan_dung"])
    assert " multiple" in cccd
    assert " multiple" not in chan_dung
    assert 'accept="image/jpeg,image/png,.jpg,.png,.jpeg"' in cccd
    assert 'accept="image/jpeg,.jpg,.jpeg"' in chan_dung
    assert form.is_multipart()
    assert str(form.fields["cccd"].help_text) == "Tệp JPG, PNG, mỗi tệp tối đa 2 MB, tối đa 2 tệp."


def test_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError, match="exe"):
        PrivateFileField(allowed_kinds=("pdf", "exe"))


def test_file_name_is_made_safe():
    [clean] = PrivateFileField().clean(upload("../../etc/Ảnh thẻ <1>.png", png_bytes()))
    assert clean.name == "Ảnh thẻ 1.png"


# Private storage -------------------------------------------------------------------------


@pytest.fixture
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return tmp_path / "private"


def test_store_upload_saves_privately_under_a_random_name(private_root):
    [clean] = PrivateFileField().clean(upload("CCCD Nguyen Van A.png", png_bytes()))
    name = store_upload(clean, "ho-so/2026/000.20.27.H56-260315-0042")
    assert name.startswith("ho-so/2026/000.20.27.H56-260315-0042/")
    assert name.endswith(".png")
    assert "Nguyen" not in name
    stored = private_root / name
    clean.file.seek(0)
    assert stored.read_bytes() == clean.file.read()
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert stat.S_IMODE(stored.parent.stat().st_mode) == 0o700


def test_prefix_cannot_escape_the_private_root(private_root):
    [clean] = PrivateFileField().clean(upload("a.pdf", PDF_BYTES))
    name = store_upload(clean, "../../../tmp")
    assert ".." not in name
    assert (private_root / name).resolve().is_relative_to(private_root.resolve())


def test_private_files_have_no_url(private_root):
    [clean] = PrivateFileField().clean(upload("a.pdf", PDF_BYTES))
    name = store_upload(clean, "x")
    with pytest.raises(ValueError, match="no URL"):
        private_storage.url(name)
    assert private_storage.base_url is None


def test_default_help_text_is_kept_when_the_editor_wrote_none():
    # The form builder passes help_text="" for fields without one.
    assert str(PersonalIdField(help_text="").help_text) == "12 chữ số, in trên thẻ căn cước (CCCD)."
    assert str(PrivateFileField(help_text="").help_text) == "Tệp JPG, PNG, PDF, tối đa 2 MB."
    assert PersonalIdField(help_text="Xem mặt trước thẻ.").help_text == "Xem mặt trước thẻ."


def test_upload_help_text_is_translated_when_shown_not_when_the_field_is_built():
    from django.utils.functional import Promise

    field = PrivateFileField()
    assert isinstance(field.help_text, Promise)
    assert str(field.help_text) == "Tệp JPG, PNG, PDF, tối đa 2 MB."
