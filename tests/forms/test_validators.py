"""Validators of the application forms (domain brief, section 7)."""

import unicodedata
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from forms.data.old_province_codes import OLD_PROVINCE_CODES
from forms.validators import (
    GENDER_FEMALE,
    GENDER_MALE,
    age_on,
    check_personal_id_matches,
    normalize_phone,
    parse_vn_date,
    personal_id_birth_year,
    personal_id_gender,
    phone_e164,
    validate_age,
    validate_person_name,
    validate_personal_id,
    validate_previous_id,
)


def messages(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


# Personal ID --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("079090012345", "079090012345"),  # HCMC, male, 1990
        ("079 0 90 012345", "079090012345"),  # spaces as printed on some cards
        (" 001305000123 ", "001305000123"),  # Hà Nội, female, 2005
        ("０９６２１０１２３４５６", "096210123456"),  # full-width digits from some keyboards
        ("002199000001", "002199000001"),  # Hà Giang: an old province, merged in 2025, still valid
    ],
)
def test_valid_personal_id_is_returned_without_spaces(typed, stored):
    assert validate_personal_id(typed) == stored


@pytest.mark.parametrize("typed", ["07909001234", "0790900123456"])
def test_personal_id_of_11_or_13_digits_is_refused_naming_the_rule(typed):
    with pytest.raises(ValidationError) as error:
        validate_personal_id(typed)
    assert error.value.code == "personal_id_length"
    assert "Số định danh cá nhân phải gồm đúng 12 chữ số" in messages(error.value)


def test_personal_id_with_letters_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_personal_id("07909001234A")
    assert "chỉ được gồm chữ số" in messages(error.value)


@pytest.mark.parametrize("province", ["000", "003", "099", "100", "063"])
def test_personal_id_with_unknown_province_code_is_refused(province):
    with pytest.raises(ValidationError) as error:
        validate_personal_id(f"{province}090012345")
    assert error.value.code == "personal_id_province"
    assert "mã tỉnh" in messages(error.value)
    assert province in messages(error.value)


@pytest.mark.parametrize("digit", "456789")
def test_personal_id_with_century_digit_outside_0_to_3_is_refused(digit):
    with pytest.raises(ValidationError) as error:
        validate_personal_id(f"079{digit}90012345")
    assert error.value.code == "personal_id_century"
    assert "phải là 0, 1, 2 hoặc 3" in messages(error.value)


def test_personal_id_encoding_a_future_birth_year_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_personal_id("079299012345")  # 2099
    assert error.value.code == "personal_id_future_year"


def test_old_province_list_has_the_63_provinces_and_examples_from_the_brief():
    assert len(OLD_PROVINCE_CODES) == 63
    assert OLD_PROVINCE_CODES["001"] == "Hà Nội"
    assert OLD_PROVINCE_CODES["031"] == "Hải Phòng"
    assert OLD_PROVINCE_CODES["048"] == "Đà Nẵng"
    assert OLD_PROVINCE_CODES["079"] == "Hồ Chí Minh"
    assert OLD_PROVINCE_CODES["096"] == "Cà Mau"


def test_personal_id_digits_decode_birth_year_and_gender():
    assert personal_id_birth_year("079090012345") == 1990
    assert personal_id_gender("079090012345") == GENDER_MALE
    assert personal_id_birth_year("079305012345") == 2005
    assert personal_id_gender("079305012345") == GENDER_FEMALE


def test_personal_id_that_agrees_with_birth_date_and_gender_passes():
    check_personal_id_matches("079090012345", birth_date=date(1990, 3, 15), gender=GENDER_MALE)
    check_personal_id_matches("079305012345", birth_date="15/03/2005", gender=GENDER_FEMALE)
    # Labels from the form builder fold to the same values.
    check_personal_id_matches("079305012345", birth_date=date(2005, 1, 1), gender="Nữ")


def test_wrong_century_digit_is_reported_against_the_birth_date():
    # 1 = female born in the 1900s, but she was born in 2005.
    with pytest.raises(ValidationError) as error:
        check_personal_id_matches("079105012345", birth_date=date(2005, 6, 1), gender=GENDER_FEMALE)
    assert [e.code for e in error.value.error_list] == ["personal_id_birth_year_mismatch"]
    assert "1905" in messages(error.value)
    assert "2005" in messages(error.value)


def test_birth_year_digits_that_disagree_with_the_birth_date_are_refused():
    with pytest.raises(ValidationError) as error:
        check_personal_id_matches("079090012345", birth_date=date(1991, 3, 15))
    assert "Năm sinh theo số định danh cá nhân (1990)" in messages(error.value)


def test_gender_digit_that_disagrees_with_the_declared_gender_is_refused():
    with pytest.raises(ValidationError) as error:
        check_personal_id_matches("079090012345", gender="nu")
    assert [e.code for e in error.value.error_list] == ["personal_id_gender_mismatch"]
    assert "Giới tính" in messages(error.value)


def test_year_and_gender_disagreements_are_reported_together():
    with pytest.raises(ValidationError) as error:
        check_personal_id_matches("079090012345", birth_date=date(2001, 1, 1), gender="Nữ")
    assert {e.code for e in error.value.error_list} == {
        "personal_id_birth_year_mismatch",
        "personal_id_gender_mismatch",
    }


def test_a_gender_the_id_cannot_encode_is_not_checked():
    check_personal_id_matches("079090012345", gender="khác")


# Previous ID ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("025 123 456", "025123456"), ("123456789", "123456789"), ("079090012345", "079090012345")],
)
def test_previous_id_accepts_a_9_digit_cmnd_or_a_12_digit_id(typed, stored):
    assert validate_previous_id(typed) == stored


@pytest.mark.parametrize("typed", ["12345678", "1234567890", "12345678A", "12345678901"])
def test_previous_id_of_other_lengths_is_refused(typed):
    with pytest.raises(ValidationError) as error:
        validate_previous_id(typed)
    assert "9 chữ số" in messages(error.value)


def test_twelve_digit_previous_id_follows_the_personal_id_rules():
    with pytest.raises(ValidationError) as error:
        validate_previous_id("099090012345")
    assert error.value.code == "personal_id_province"


# Phone ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "0912345678",
        "0912 345 678",
        "091.234.5678",
        "0912-345-678",
        "+84912345678",
        "+84 912 345 678",
        "(+84) 912-345-678",
        "84912345678",
        "0084912345678",
        "912345678",  # the leading 0 forgotten
        "+84 0912 345 678",  # the 0 kept after the country code
        "+84 (0) 912 345 678",
        "840912345678",
        "０９１２３４５６７８",
    ],
)
def test_mobile_numbers_in_every_common_spelling_are_stored_with_a_leading_zero(typed):
    assert normalize_phone(typed) == "0912345678"


@pytest.mark.parametrize("typed", ["0321234567", "0521234567", "0701234567", "0812345678", "0961234567"])
def test_every_mobile_prefix_range_is_accepted(typed):
    assert normalize_phone(typed) == typed


@pytest.mark.parametrize("typed", ["028 3829 1234", "+84 28 3829 1234", "024.3826.5555"])
def test_landline_is_refused_with_a_clear_message(typed):
    with pytest.raises(ValidationError) as error:
        normalize_phone(typed)
    assert error.value.code == "phone_landline"
    assert "điện thoại bàn" in messages(error.value)
    assert "di động" in messages(error.value)


@pytest.mark.parametrize("typed", ["0112345678", "091234567", "09123456789", "0951234567", "abc", "+1 415 555 0100"])
def test_not_a_vietnamese_mobile_is_refused(typed):
    with pytest.raises(ValidationError) as error:
        normalize_phone(typed)
    assert error.value.code == "phone_invalid"
    assert "10 chữ số" in messages(error.value)


def test_phone_in_international_form_for_an_sms_gateway():
    assert phone_e164("0912 345 678") == "+84912345678"


# Dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["15/03/1990", "15/3/1990", "1990-03-15", "15031990", "15.03.1990", "15-03-1990", " 15 / 03 / 1990 "],
)
def test_dates_are_read_day_first_or_iso(typed):
    assert parse_vn_date(typed) == date(1990, 3, 15)


def test_single_digit_day_and_month():
    assert parse_vn_date("5/3/1990") == date(1990, 3, 5)


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("31/02/2020", "date_invalid"),
        ("29/02/2023", "date_invalid"),
        ("15/03/90", "date_format"),  # two-digit year: 1990 or 2090?
        ("03/15/1990 10:00", "date_format"),
        ("hôm qua", "date_format"),
        ("31/12/1899", "date_too_early"),
    ],
)
def test_impossible_or_ambiguous_dates_are_refused(typed, code):
    with pytest.raises(ValidationError) as error:
        parse_vn_date(typed)
    assert error.value.code == code


def test_month_out_of_range_is_not_silently_swapped():
    with pytest.raises(ValidationError):
        parse_vn_date("03/15/1990")


def test_leap_day_exists_in_leap_years():
    assert parse_vn_date("29/02/2024") == date(2024, 2, 29)


def test_age_counts_completed_years():
    assert age_on(date(2012, 6, 1), date(2026, 5, 31)) == 13
    assert age_on(date(2012, 6, 1), date(2026, 6, 1)) == 14
    assert age_on(date(2008, 2, 29), date(2026, 2, 28)) == 17
    assert age_on(date(2008, 2, 29), date(2026, 3, 1)) == 18


def test_minimum_age_is_reached_on_the_birthday():
    today = date(2026, 6, 1)
    assert validate_age("01/06/2012", min_age=14, today=today) == date(2012, 6, 1)
    with pytest.raises(ValidationError) as error:
        validate_age("02/06/2012", min_age=14, today=today)
    assert error.value.code == "age_too_young"
    assert "đủ 14 tuổi" in messages(error.value)


def test_under_14_form_refuses_a_child_on_their_14th_birthday():
    today = date(2026, 6, 1)
    assert validate_age(date(2012, 6, 2), max_age=13, today=today) == date(2012, 6, 2)
    with pytest.raises(ValidationError) as error:
        validate_age(date(2012, 6, 1), max_age=13, today=today)
    assert error.value.code == "age_too_old"
    assert "chưa đủ 14 tuổi" in messages(error.value)


def test_birth_date_in_the_future_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_age(date(2026, 6, 2), today=date(2026, 6, 1))
    assert error.value.code == "birth_date_future"


# Names ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("nguyễn văn an", "NGUYỄN VĂN AN"),
        ("  Đặng   thị   Ánh  ", "ĐẶNG THỊ ÁNH"),
        ("trần thị thu hoà", "TRẦN THỊ THU HOÀ"),  # tone placement kept as the citizen writes it
        ("H’Hen Niê", "H'HEN NIÊ"),  # Ê Đê name with a typographic apostrophe
        ("Ksor Y-Blốk", "KSOR Y-BLỐK"),
        ("ưng hoàng phúc", "ƯNG HOÀNG PHÚC"),
    ],
)
def test_names_are_uppercased_with_their_diacritics(typed, stored):
    assert validate_person_name(typed) == stored


def test_decomposed_input_is_stored_composed():
    decomposed = unicodedata.normalize("NFD", "nguyễn thị ngọc ánh")
    stored = validate_person_name(decomposed)
    assert stored == "NGUYỄN THỊ NGỌC ÁNH"
    assert unicodedata.is_normalized("NFC", stored)
    assert len(stored) == len("NGUYỄN THỊ NGỌC ÁNH")


@pytest.mark.parametrize("typed", ["Nguyễn Văn 2", "an@example.com", "Trần_Văn", "Иван Петров", "李小龍", "-", "'"])
def test_names_with_digits_symbols_or_other_scripts_are_refused(typed):
    with pytest.raises(ValidationError) as error:
        validate_person_name(typed)
    assert error.value.code == "name_characters"
    assert "chữ cái" in messages(error.value)


def test_empty_and_overlong_names_are_refused():
    with pytest.raises(ValidationError) as error:
        validate_person_name("   ")
    assert error.value.code == "name_empty"
    with pytest.raises(ValidationError) as error:
        validate_person_name("a" * 101)
    assert error.value.code == "name_too_long"
