"""Form fields for citizens' application forms (no models here).

Each field cleans to the normalised value its validator returns (``forms.validators``),
so the HTML forms, the form builder and the API store the same thing. Widgets are in
``forms.widgets``.
"""

import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import filetype
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from . import validators
from .provinces import province_name, provinces, ward_belongs_to, ward_name
from .uploads import strip_metadata
from .widgets import CHOOSE_PROVINCE, AddressWidget, PrivateFileInput


def _default_help_text(kwargs, text):
    """Use ``text`` unless the caller gave a help text (an empty one counts as none given)."""
    if not kwargs.get("help_text"):
        kwargs["help_text"] = text


# Identity numbers and phones ---------------------------------------------------------------


def _numeric_input(**attrs):
    # inputmode="numeric" opens the digit keypad; no autocorrect or capitalisation.
    return forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false", **attrs})


class PersonalIdField(forms.CharField):
    """The 12-digit số định danh cá nhân (CCCD); cleans to 12 digits without spaces.

    Agreement with the declared birth date and gender is a cross-field rule: call
    ``validators.check_personal_id_matches`` from the form's ``clean()``.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)  # 12 digits, with room for typed spaces
        kwargs.setdefault("widget", _numeric_input())
        _default_help_text(kwargs, _("12 chữ số, in trên thẻ căn cước (CCCD)."))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        return validators.validate_personal_id(value) if value else value


class PreviousIdField(forms.CharField):
    """A previous ID: the old 9-digit CMND or an earlier 12-digit number."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("widget", _numeric_input())
        _default_help_text(kwargs, _("Số CMND cũ (9 chữ số) hoặc số định danh cũ (12 chữ số), nếu có."))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        return validators.validate_previous_id(value) if value else value


class VietnamesePhoneField(forms.CharField):
    """A Vietnamese mobile number; cleans to ``0xxxxxxxxx`` (see ``normalize_phone``)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        # type="tel" opens the phone keypad; autocomplete lets the phone offer its own number.
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}))
        _default_help_text(kwargs, _("Số di động, ví dụ 0912 345 678."))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        return validators.normalize_phone(value) if value else value


# Dates and names ------------------------------------------------------------------------


class VietnameseDateField(forms.DateField):
    """A date typed as dd/mm/yyyy; cleans to a ``datetime.date``.

    A text input, not ``type="date"``: on cheap Android phones the native picker starts
    at today and makes a birth date in 1960 dozens of taps away, older browsers show it
    as plain text anyway, and a phone set to English displays mm/dd. The digit keypad
    (``inputmode="numeric"``) has no "/" key, so "15031990", "15.03.1990" and
    "15-03-1990" are accepted too, as is ISO yyyy-mm-dd (what autofill may put in).

    ``min_age``/``max_age`` (inclusive, in completed years) make it a birth date field:
    the date may not be in the future and the age must be in range. ``allow_future=False``
    refuses future dates for other past events (an ID's issue date).
    """

    def __init__(self, *, min_age=None, max_age=None, allow_future=None, **kwargs):
        self.min_age = min_age
        self.max_age = max_age
        is_birth_date = min_age is not None or max_age is not None
        self.allow_future = (not is_birth_date) if allow_future is None else allow_future
        attrs = {
            "inputmode": "numeric",
            "placeholder": "dd/mm/yyyy",
            "autocomplete": "bday" if is_birth_date else "off",
        }
        kwargs.setdefault("widget", forms.DateInput(format="%d/%m/%Y", attrs=attrs))
        _default_help_text(kwargs, _("Ngày/tháng/năm, ví dụ 15/03/1990."))
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        return validators.parse_vn_date(value)

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        if self.min_age is not None or self.max_age is not None:
            validators.validate_age(value, min_age=self.min_age, max_age=self.max_age)
        elif not self.allow_future and value > timezone.localdate():
            raise ValidationError(_("Ngày không được sau ngày hôm nay."), code="date_future")


class PersonNameField(forms.CharField):
    """A person's name; cleans to capitals with Vietnamese diacritics (``NGUYỄN VĂN AN``)."""

    def __init__(self, *, autocomplete="name", **kwargs):
        kwargs.setdefault("max_length", validators.PERSON_NAME_MAX_LENGTH + 20)
        attrs = {"autocomplete": autocomplete, "autocapitalize": "characters", "spellcheck": "false"}
        kwargs.setdefault("widget", forms.TextInput(attrs=attrs))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        return validators.validate_person_name(value) if value else value


# Places ----------------------------------------------------------------------------------


def _province_choices():
    return [("", CHOOSE_PROVINCE), *provinces()]


class ProvinceField(forms.ChoiceField):
    """One of the 34 provinces; cleans to its two-digit code (``"79"``)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", _province_choices)
        kwargs.setdefault("widget", forms.Select(attrs={"autocomplete": "address-level1"}))
        kwargs.setdefault("error_messages", {"invalid_choice": _("Vui lòng chọn tỉnh/thành phố trong danh sách.")})
        super().__init__(**kwargs)


class AddressField(forms.MultiValueField):
    """Province + xã/phường/đặc khu + street, after the 2025 reform (no district).

    Cleans to ``{"province", "province_name", "ward", "ward_name", "street"}`` (codes and
    names both kept, so the submission reads correctly even if the list changes again),
    or ``None`` when optional and empty. The ward must belong to the province: when the
    citizen changes the province without JavaScript, the step comes back with the new
    province's wards and a message asking to choose again.
    """

    widget = AddressWidget
    default_error_messages = {
        "required": _("Vui lòng nhập địa chỉ: tỉnh/thành phố, xã/phường và số nhà, đường."),
        "province_missing": _("Vui lòng chọn tỉnh/thành phố."),
        "province_invalid": _("Vui lòng chọn tỉnh/thành phố trong danh sách."),
        "ward_missing": _("Vui lòng chọn xã/phường/đặc khu thuộc %(province)s trong danh sách."),
        "ward_not_in_province": _(
            "Xã/phường/đặc khu đã chọn không thuộc %(province)s. Danh sách đã được cập nhật theo "
            "tỉnh/thành phố bạn chọn: vui lòng chọn lại."
        ),
        "street_missing": _("Vui lòng nhập số nhà, tên đường hoặc thôn/ấp/tổ dân phố."),
        "street_too_long": _("Số nhà, tên đường không được dài quá %(limit)d ký tự."),
    }
    street_max_length = 200

    def __init__(self, *, require_street=True, **kwargs):
        self.require_street = require_street
        # The parts' `required` only sets the HTML attribute on each select/input; the
        # checks themselves are in clean(), in the order a citizen fixes them.
        parts = (
            forms.CharField(),
            forms.CharField(),
            forms.CharField(required=require_street, max_length=self.street_max_length),
        )
        super().__init__(parts, require_all_fields=False, **kwargs)

    def clean(self, value):
        if isinstance(value, dict) or (self.disabled and not isinstance(value, (list, tuple))):
            value = self.widget.decompress(value)  # a stored address, or one sent to the API
        parts = [*(value or []), None, None, None][:3]
        province, ward, street = (" ".join(str(part or "").split()) for part in parts)
        if not (province or ward or street):
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None

        errors = []
        name = province_name(province) if province else None
        if not province:
            errors.append(ValidationError(self.error_messages["province_missing"], code="province_missing"))
        elif name is None:
            errors.append(ValidationError(self.error_messages["province_invalid"], code="province_invalid"))
        elif not ward:
            errors.append(
                ValidationError(self.error_messages["ward_missing"], code="ward_missing", params={"province": name})
            )
        elif not ward_belongs_to(ward, province):
            errors.append(
                ValidationError(
                    self.error_messages["ward_not_in_province"],
                    code="ward_not_in_province",
                    params={"province": name},
                )
            )
        if not street and self.require_street:
            errors.append(ValidationError(self.error_messages["street_missing"], code="street_missing"))
        elif len(street) > self.street_max_length:
            errors.append(
                ValidationError(
                    self.error_messages["street_too_long"],
                    code="street_too_long",
                    params={"limit": self.street_max_length},
                )
            )
        if errors:
            raise ValidationError(errors)
        return self.compress([province, ward, street])

    def compress(self, data_list):
        if not data_list:
            return None
        province, ward, street = data_list
        province = province.zfill(2)
        ward = ward.zfill(5)
        return {
            "province": province,
            "province_name": province_name(province),
            "ward": ward,
            "ward_name": ward_name(ward),
            "street": street,
        }


# Declaration -----------------------------------------------------------------------------

DECLARATION_TEXT = _(
    "Tôi xin cam đoan những thông tin khai trên là đúng sự thật và chịu trách nhiệm trước "
    "pháp luật về lời khai của mình."
)


class ConsentField(forms.BooleanField):
    """The required declaration checkbox (cam đoan); its label is the declaration itself."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", DECLARATION_TEXT)
        kwargs.setdefault("required", True)
        kwargs.setdefault("error_messages", {"required": _("Bạn cần đánh dấu vào ô cam đoan để gửi hồ sơ.")})
        super().__init__(**kwargs)


# Uploads ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class UploadKind:
    label: str
    content_type: str
    sniffed_as: tuple[str, ...]  # extensions `filetype` reports for this kind
    pillow_format: str | None = None  # images are stored without metadata (forms.uploads)


UPLOAD_KINDS = {
    "jpg": UploadKind("JPG", "image/jpeg", ("jpg",), "JPEG"),
    "png": UploadKind("PNG", "image/png", ("png", "apng"), "PNG"),
    "webp": UploadKind("WEBP", "image/webp", ("webp",), "WEBP"),
    "pdf": UploadKind("PDF", "application/pdf", ("pdf",)),
}
_KIND_ALIASES = {"jpeg": "jpg"}
# What Pillow calls the files of a kind: a phone's multi-picture JPEG (a portrait-mode or
# depth photo, MPF) opens as "MPO"; it is stored as its first picture, a plain JPEG.
_PILLOW_FORMATS_OF = {"JPEG": ("JPEG", "MPO")}
_SNIFF_BYTES = 8192
_UNSAFE_NAME_CHARACTERS = re.compile(r"[^\w\- ]+")


@dataclass(frozen=True)
class CleanUpload:
    """A checked upload, ready to store: content type from the bytes, metadata removed.

    ``name`` is the citizen's file name made safe, with the extension of the real type;
    ``file`` holds the cleaned bytes; ``sha256`` is of those bytes.
    """

    name: str
    content_type: str
    size: int
    sha256: str
    file: File = field(repr=False)
    kind: str = ""
    original_name: str = ""


class PrivateFileField(forms.FileField):
    """Uploads checked by content, not by name; cleans to a list of ``CleanUpload``.

    ``allowed_kinds`` among ``jpg``, ``png``, ``webp``, ``pdf``. A file whose bytes are of
    another type is refused whatever its name says; one whose bytes are of an allowed
    type is accepted under its real type (a PNG named ``.pdf`` is stored as ``.png``).
    Images are checked by their header (format, pixel count) and stored without
    EXIF/XMP/comments (GPS position, phone model), rewritten losslessly by
    ``forms.uploads`` (pixels are not decoded); a turned phone photo keeps only its EXIF
    Orientation so it is shown upright.

    The limits apply to the uploaded files; a cleaned image is never larger (apart from the
    26-byte orientation block).
    The list is always returned, also for ``max_files=1``; it is empty when the field is
    optional and nothing was sent. Storing is up to the caller (``forms.storage``).
    """

    default_error_messages = {
        "required": _("Vui lòng chọn tệp để tải lên."),
        "empty": _("Tệp “%(name)s” rỗng."),
        "too_many": _("Chỉ được tải lên tối đa %(max)d tệp (bạn đã chọn %(count)d tệp)."),
        "too_large": _("Tệp vượt quá %(limit)s MB: “%(name)s”."),
        "wrong_type": _(
            "Tệp “%(name)s” không được chấp nhận: nội dung tệp không phải %(kinds)s. Chỉ chấp nhận tệp %(kinds)s."
        ),
        "bad_image": _("Ảnh “%(name)s” bị hỏng hoặc không đọc được. Vui lòng chụp hoặc chọn lại ảnh."),
        "too_many_pixels": _("Ảnh “%(name)s” có kích thước điểm ảnh quá lớn. Vui lòng chọn ảnh nhỏ hơn."),
    }

    def __init__(
        self,
        *,
        max_size_mb=2,
        max_files=1,
        allowed_kinds=("jpg", "png", "pdf"),
        max_image_pixels=40_000_000,
        **kwargs,
    ):
        kinds = tuple(dict.fromkeys(_KIND_ALIASES.get(kind.lower(), kind.lower()) for kind in allowed_kinds))
        unknown = [kind for kind in kinds if kind not in UPLOAD_KINDS]
        if unknown or not kinds:
            raise ValueError(f"Unsupported upload kinds {unknown or allowed_kinds}; choose from {list(UPLOAD_KINDS)}.")
        if max_files < 1:
            raise ValueError("max_files must be at least 1.")
        self.max_size_mb = max_size_mb
        self.max_files = max_files
        self.allowed_kinds = kinds
        self.max_image_pixels = max_image_pixels
        accept = ",".join(
            [UPLOAD_KINDS[kind].content_type for kind in kinds]
            + [f".{kind}" for kind in kinds]
            + ([".jpeg"] if "jpg" in kinds else [])
        )
        kwargs.setdefault("widget", PrivateFileInput(attrs={"accept": accept}, multiple=max_files > 1))
        _default_help_text(kwargs, self.default_help_text())
        super().__init__(**kwargs)

    @property
    def max_size_bytes(self) -> int:
        return int(self.max_size_mb * 1024 * 1024)

    def kinds_label(self) -> str:
        """``"JPG, PNG, PDF"``."""
        return ", ".join(UPLOAD_KINDS[kind].label for kind in self.allowed_kinds)

    def default_help_text(self):
        """The limits in words, translated when shown (fields are often built at import time)."""
        params = {"kinds": self.kinds_label(), "limit": _format_megabytes(self.max_size_mb), "max": self.max_files}
        if self.max_files > 1:
            return _interpolate_lazy(_("Tệp %(kinds)s, mỗi tệp tối đa %(limit)s MB, tối đa %(max)d tệp."), params)
        return _interpolate_lazy(_("Tệp %(kinds)s, tối đa %(limit)s MB."), params)

    def clean(self, data, initial=None):
        uploads = [upload for upload in (data if isinstance(data, (list, tuple)) else [data]) if upload]
        if not uploads:
            if initial:
                return initial  # already uploaded on an earlier visit to this step
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(uploads) > self.max_files:
            raise ValidationError(
                self.error_messages["too_many"],
                code="too_many",
                params={"max": self.max_files, "count": len(uploads)},
            )
        cleaned, errors = [], []
        for upload in uploads:
            try:
                cleaned.append(self.clean_upload(upload))
            except ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise ValidationError(errors)
        self.run_validators(cleaned)
        return cleaned

    def has_changed(self, initial, data):
        return not self.disabled and bool(data)

    def clean_upload(self, upload) -> CleanUpload:
        """Check one uploaded file and return it cleaned, or raise ``ValidationError``."""
        original_name = str(getattr(upload, "name", "") or "")
        display_name = PurePosixPath(original_name.replace("\\", "/")).name or original_name
        size = getattr(upload, "size", None)
        if size is None:
            raise ValidationError(self.error_messages["required"], code="required")
        if size == 0:
            raise ValidationError(self.error_messages["empty"], code="empty", params={"name": display_name})
        if size > self.max_size_bytes:
            raise ValidationError(
                self.error_messages["too_large"],
                code="too_large",
                params={"limit": _format_megabytes(self.max_size_mb), "name": display_name},
            )
        upload.seek(0)
        content = upload.read()
        kind = self._sniff(content)
        if kind is None:
            raise ValidationError(
                self.error_messages["wrong_type"],
                code="wrong_type",
                params={"name": display_name, "kinds": self.kinds_label()},
            )
        spec = UPLOAD_KINDS[kind]
        if spec.pillow_format:
            content = self._strip_image(content, spec, display_name)
        name = _safe_file_name(display_name, kind)
        return CleanUpload(
            name=name,
            content_type=spec.content_type,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            file=ContentFile(content, name=name),
            kind=kind,
            original_name=display_name,
        )

    def _sniff(self, content: bytes) -> str | None:
        guessed = filetype.guess(content[:_SNIFF_BYTES])
        if guessed is None:
            return None
        for kind in self.allowed_kinds:
            if guessed.extension in UPLOAD_KINDS[kind].sniffed_as:
                return kind
        return None

    def _strip_image(self, content: bytes, spec: UploadKind, name: str) -> bytes:
        """Check the image's header and size, then drop its metadata without decoding it.

        ``Image.open`` reads the header only (format, width, height); the pixels are never
        decoded. ``forms.uploads`` rewrites the container without EXIF/XMP/comments/text,
        keeping a minimal EXIF Orientation when the photo needs turning to be viewed upright.
        """
        try:
            with Image.open(io.BytesIO(content), formats=[spec.pillow_format]) as image:
                if image.format not in _PILLOW_FORMATS_OF.get(spec.pillow_format, (spec.pillow_format,)):
                    raise ValidationError(self.error_messages["bad_image"], code="bad_image", params={"name": name})
                if image.width * image.height > self.max_image_pixels:
                    raise ValidationError(
                        self.error_messages["too_many_pixels"], code="too_many_pixels", params={"name": name}
                    )
            return strip_metadata(content, spec.pillow_format)
        except Image.DecompressionBombError:
            raise ValidationError(
                self.error_messages["too_many_pixels"], code="too_many_pixels", params={"name": name}
            ) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):  # BadImage is a ValueError
            raise ValidationError(self.error_messages["bad_image"], code="bad_image", params={"name": name}) from None


def _interpolate(template, params) -> str:
    return str(template) % params


_interpolate_lazy = lazy(_interpolate, str)


def _format_megabytes(value) -> str:
    """``2`` → ``"2"``, ``0.5`` → ``"0,5"`` (Vietnamese decimal comma)."""
    return f"{value:g}".replace(".", ",")


def _safe_file_name(name: str, extension: str) -> str:
    """The citizen's file name without path, odd characters or a misleading extension."""
    stem = unicodedata.normalize("NFC", name.rsplit(".", 1)[0] if "." in name else name)
    stem = " ".join(_UNSAFE_NAME_CHARACTERS.sub(" ", stem).split())[:80].strip() or "tep"
    return f"{stem}.{extension}"
