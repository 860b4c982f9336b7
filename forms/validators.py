"""Validators for the fields of Vietnamese application forms (domain brief, section 7).

Pure functions shared by the HTML forms and the API: each takes the citizen's input,
raises ``ValidationError`` with a Vietnamese message that names the broken rule, and
returns the value in the one normalised form that is stored.
"""

import re
import unicodedata
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .data.old_province_codes import OLD_PROVINCE_CODES
from .keys import fold

# Gender values as stored in submissions. The personal ID encodes only these two
# (TT 07/2016, art. 7), so they are the only values checked against it. Labels from the
# Wagtail form builder ("Nam", "Nữ") fold to the same values.
GENDER_MALE = "nam"
GENDER_FEMALE = "nu"
GENDER_CHOICES = [(GENDER_MALE, _("Nam")), (GENDER_FEMALE, _("Nữ"))]

PERSONAL_ID_LENGTH = 12
PREVIOUS_ID_LENGTH = 9  # the old chứng minh nhân dân (CMND)

# The fourth digit of a personal ID: (century of birth, gender). 4–9 are defined for
# the 22nd–24th centuries; nobody alive was born then, so they are refused.
_CENTURY_GENDER_DIGITS = {
    "0": (1900, GENDER_MALE),
    "1": (1900, GENDER_FEMALE),
    "2": (2000, GENDER_MALE),
    "3": (2000, GENDER_FEMALE),
}

MOBILE_PHONE_PATTERN = re.compile(r"^0(3[2-9]|5[25689]|7[06-9]|8[1-689]|9[0-46-9])\d{7}$")
# Fixed lines: 02x area codes, 11 digits with the leading 0 (e.g. 028 3829 1234).
_LANDLINE_PATTERN = re.compile(r"^02\d{9}$")
_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")

_DIGITS_ONLY = re.compile(r"^[0-9]+$")
_DATE_SEPARATORS = re.compile(r"\s*[/.\-]\s*")
_VN_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_COMPACT_DATE = re.compile(r"^(\d{2})(\d{2})(\d{4})$")
EARLIEST_DATE = date(1900, 1, 1)

PERSON_NAME_MAX_LENGTH = 100
_NAME_PUNCTUATION = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "‐": "-", "‑": "-", "–": "-"})


def _compact(value) -> str:
    """NFKC (full-width digits → ASCII) and no whitespace at all."""
    text = unicodedata.normalize("NFKC", str(value or ""))
    return "".join(text.split())


# Personal ID (số định danh cá nhân / CCCD) -----------------------------------------------


def validate_personal_id(value) -> str:
    """Check a 12-digit personal ID ``PPP G YY NNNNNN`` and return it without spaces.

    PPP is a known birth-registration province code (old 63-province list), G is 0–3,
    and the year it encodes is not in the future. There is no checksum to verify.
    """
    number = _compact(value)
    if not _DIGITS_ONLY.match(number):
        raise ValidationError(_("Số định danh cá nhân chỉ được gồm chữ số."), code="personal_id_not_digits")
    if len(number) != PERSONAL_ID_LENGTH:
        raise ValidationError(
            _("Số định danh cá nhân phải gồm đúng 12 chữ số (bạn đã nhập %(count)d chữ số)."),
            code="personal_id_length",
            params={"count": len(number)},
        )
    province = number[:3]
    if province not in OLD_PROVINCE_CODES:
        raise ValidationError(
            _(
                "Ba chữ số đầu của số định danh cá nhân phải là mã tỉnh nơi đăng ký khai sinh; "
                "“%(code)s” không phải mã tỉnh hợp lệ."
            ),
            code="personal_id_province",
            params={"code": province},
        )
    if number[3] not in _CENTURY_GENDER_DIGITS:
        raise ValidationError(
            _("Chữ số thứ tư của số định danh cá nhân (mã thế kỷ sinh và giới tính) phải là 0, 1, 2 hoặc 3."),
            code="personal_id_century",
        )
    if personal_id_birth_year(number) > timezone.localdate().year:
        raise ValidationError(
            _("Năm sinh mã hóa trong số định danh cá nhân (%(year)d) chưa tới."),
            code="personal_id_future_year",
            params={"year": personal_id_birth_year(number)},
        )
    return number


def personal_id_birth_year(personal_id: str) -> int:
    """The year of birth encoded in a (well-formed) personal ID: century digit + YY."""
    century, _gender = _CENTURY_GENDER_DIGITS[personal_id[3]]
    return century + int(personal_id[4:6])


def personal_id_gender(personal_id: str) -> str:
    """``GENDER_MALE`` or ``GENDER_FEMALE``, as encoded in a (well-formed) personal ID."""
    return _CENTURY_GENDER_DIGITS[personal_id[3]][1]


def check_personal_id_matches(personal_id, *, birth_date=None, gender=None) -> None:
    """Raise ``ValidationError`` when the ID disagrees with the declared birth date or gender.

    ``birth_date`` is a ``date`` (or text accepted by ``parse_vn_date``); ``gender`` is
    ``GENDER_MALE``/``GENDER_FEMALE`` or a label that folds to them ("Nam", "Nữ"). Any
    other gender value is not checked: the ID cannot say anything about it. All
    disagreements are reported together.
    """
    number = validate_personal_id(personal_id)
    errors = []
    if birth_date:
        if isinstance(birth_date, datetime):
            birth_date = birth_date.date()
        elif not isinstance(birth_date, date):
            birth_date = parse_vn_date(birth_date)
        encoded_year = personal_id_birth_year(number)
        if encoded_year != birth_date.year:
            errors.append(
                ValidationError(
                    _(
                        "Năm sinh theo số định danh cá nhân (%(id_year)d) không khớp với ngày sinh "
                        "đã khai (năm %(year)d)."
                    ),
                    code="personal_id_birth_year_mismatch",
                    params={"id_year": encoded_year, "year": birth_date.year},
                )
            )
    if gender:
        declared = fold(str(gender)).strip()
        if declared in (GENDER_MALE, GENDER_FEMALE) and declared != personal_id_gender(number):
            errors.append(
                ValidationError(
                    _("Giới tính theo số định danh cá nhân (chữ số thứ tư) không khớp với giới tính đã khai."),
                    code="personal_id_gender_mismatch",
                )
            )
    if errors:
        raise ValidationError(errors)


def validate_previous_id(value) -> str:
    """An earlier ID number: the old 9-digit CMND, or a 12-digit personal ID.

    The CMND stopped being valid on 31/12/2024 (Luật Căn cước, art. 46), so it is
    accepted only in a "previous ID" field, never as the applicant's current ID.
    """
    number = _compact(value)
    if _DIGITS_ONLY.match(number) and len(number) == PERSONAL_ID_LENGTH:
        return validate_personal_id(number)
    if not _DIGITS_ONLY.match(number) or len(number) != PREVIOUS_ID_LENGTH:
        raise ValidationError(
            _("Số CMND cũ phải gồm đúng 9 chữ số (hoặc 12 chữ số nếu là số định danh cá nhân)."),
            code="previous_id_format",
        )
    return number


# Phone -----------------------------------------------------------------------------------


def normalize_phone(value) -> str:
    """A Vietnamese mobile number, stored as ``0xxxxxxxxx`` (10 digits).

    Accepts ``0…``, ``+84…``, ``84…`` and ``0084…`` with spaces, dots, dashes or
    brackets. The 0-prefixed national form is what citizens and officers read and type
    (and what the mobile pattern in the brief is written for); ``phone_e164`` gives
    ``+84…`` for an SMS gateway. Fixed lines are refused: results and reminders go out
    by SMS.
    """
    number = _PHONE_SEPARATORS.sub("", unicodedata.normalize("NFKC", str(value or "")))
    for prefix in ("+84", "0084", "84"):
        if number.startswith(prefix) and (prefix != "84" or len(number) in (11, 12)):
            national = number[len(prefix) :]
            # "+84 0912…" and "+84 (0) 912…" are common: the 0 must not be doubled.
            number = national if national.startswith("0") else "0" + national
            break
    else:
        if len(number) == 9 and number[:1] in "35789":
            number = "0" + number  # the leading 0 forgotten
    if MOBILE_PHONE_PATTERN.match(number):
        return number
    if _LANDLINE_PATTERN.match(number):
        raise ValidationError(
            _("Số điện thoại bàn (cố định) không được chấp nhận. Vui lòng nhập số điện thoại di động."),
            code="phone_landline",
        )
    raise ValidationError(
        _(
            "Số điện thoại di động không hợp lệ: cần 10 chữ số, bắt đầu bằng 03, 05, 07, 08 hoặc 09 (ví dụ 0912 345 678)."
        ),
        code="phone_invalid",
    )


def phone_e164(value) -> str:
    """``"0912345678"`` → ``"+84912345678"`` (after ``normalize_phone``)."""
    return "+84" + normalize_phone(value)[1:]


# Dates -----------------------------------------------------------------------------------


def parse_vn_date(value) -> date:
    """Parse ``dd/mm/yyyy`` (also ``d/m/yyyy``, ``dd-mm-yyyy``, ``dd.mm.yyyy``, ``ddmmyyyy``)
    or ISO ``yyyy-mm-dd`` (HTML date inputs and the API).

    Two-digit years are refused: "15/03/90" could be 1990 or 2090.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    if match := _ISO_DATE.match(text):
        year, month, day = match.groups()
    elif match := _COMPACT_DATE.match(text) or _VN_DATE.match(_DATE_SEPARATORS.sub("/", text)):
        day, month, year = match.groups()
    else:
        raise ValidationError(
            _("Ngày phải được nhập theo dạng ngày/tháng/năm, ví dụ 15/03/1990."),
            code="date_format",
        )
    try:
        parsed = date(int(year), int(month), int(day))
    except ValueError:
        raise ValidationError(
            _("Ngày %(value)s không có trên lịch."), code="date_invalid", params={"value": text}
        ) from None
    if parsed < EARLIEST_DATE:
        raise ValidationError(_("Ngày phải từ năm 1900 trở về sau."), code="date_too_early")
    return parsed


def age_on(birth_date: date, today: date) -> int:
    """Age in completed years (someone born on 29/02 turns a year older on 01/03)."""
    return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))


def validate_age(birth_date, *, min_age=None, max_age=None, today=None) -> date:
    """Check that a birth date is in the past and the age (in completed years) is in range.

    ``max_age`` is inclusive: a form for children under 14 uses ``max_age=13``.
    """
    birth_date = parse_vn_date(birth_date)
    today = today or timezone.localdate()
    if birth_date > today:
        raise ValidationError(_("Ngày sinh không được sau ngày hôm nay."), code="birth_date_future")
    age = age_on(birth_date, today)
    if min_age is not None and age < min_age:
        raise ValidationError(
            _("Người được khai phải đủ %(min_age)d tuổi trở lên."),
            code="age_too_young",
            params={"min_age": min_age},
        )
    if max_age is not None and age > max_age:
        raise ValidationError(
            _("Mẫu này chỉ dành cho người chưa đủ %(limit)d tuổi."),
            code="age_too_old",
            params={"limit": max_age + 1},
        )
    return birth_date


# Names -----------------------------------------------------------------------------------


def validate_person_name(value) -> str:
    """A person's name in capitals, as TK01 wants: ``"nguyễn  văn an"`` → ``"NGUYỄN VĂN AN"``.

    Latin letters (with any Vietnamese diacritics), spaces, apostrophes and hyphens;
    spaces collapsed; uppercased and recomposed (NFC), so that decomposed input from
    some keyboards gives the same stored text as composed input.
    """
    text = unicodedata.normalize("NFC", str(value or "")).translate(_NAME_PUNCTUATION)
    name = " ".join(text.split())
    if not name:
        raise ValidationError(_("Vui lòng nhập họ tên."), code="name_empty")
    if len(name) > PERSON_NAME_MAX_LENGTH:
        raise ValidationError(
            _("Họ tên không được dài quá %(limit)d ký tự."),
            code="name_too_long",
            params={"limit": PERSON_NAME_MAX_LENGTH},
        )
    if not all(_is_name_character(char) for char in name) or not any(char.isalpha() for char in name):
        raise ValidationError(
            _("Họ tên chỉ được gồm chữ cái (có dấu tiếng Việt), dấu cách, dấu nháy đơn (') và dấu gạch nối (-)."),
            code="name_characters",
        )
    return unicodedata.normalize("NFC", name.upper())


def _is_name_character(char: str) -> bool:
    if char in " '-":
        return True
    if unicodedata.combining(char):
        return True  # a mark NFC could not compose, e.g. on a letter with two marks
    return char.isalpha() and unicodedata.name(char, "").startswith("LATIN ")
