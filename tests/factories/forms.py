"""Factories for application forms, their fields and dossiers.

``make_form_page()`` builds a published ApplicationFormPage under a fresh guide (under a
fresh procedure index below the demo home page), with a small three-step form that has
every kind of condition the tests need. ``make_dossier()`` submits through the service.
"""

import io
import itertools
from datetime import date

import factory
import wagtail_factories
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from forms.constants import Channel
from forms.models import ApplicationFormField, ApplicationFormPage, FieldType
from forms.services import submit_application

from .cms import AgencyFactory
from .guides import GuidePageFactory, ProcedureIndexPageFactory

T = FieldType


class ApplicationFormPageFactory(wagtail_factories.PageFactory):
    """A published form page; pass ``parent=`` (a GuidePage)."""

    class Meta:
        model = ApplicationFormPage

    title = factory.Sequence(lambda n: f"Biểu mẫu thử {n}")
    slug = factory.Sequence(lambda n: f"bieu-mau-thu-{n}")
    intro = "<p>Khai trực tuyến.</p>"


class ApplicationFormFieldFactory(factory.django.DjangoModelFactory):
    """A field row; pass ``page=``."""

    class Meta:
        model = ApplicationFormField

    label = factory.Sequence(lambda n: f"Trường {n}")
    field_type = T.SINGLELINE
    required = True
    sort_order = factory.Sequence(int)


def row(field_type, label, key="", *, required=True, choices="", condition=None, **extra):
    data = {"field_type": field_type, "label": label, "clean_name": key, "required": required, "choices": choices}
    data.update(extra)
    if condition:
        data.update(condition_field=condition[0], condition_operator=condition[1], condition_value=condition[2])
    return data


# Step 1: who applies, phone, lost-passport flag → police report upload, portrait.
# Step 2 (only for a child under 14): the representative.
# Step 3: the declaration.
TEST_FORM = [
    row(T.STEP, "Người đề nghị", required=False),
    row(
        T.RADIO,
        "Người đề nghị",
        "loai_nguoi_de_nghi",
        choices="ban_than | Bản thân\ntre_em_duoi_14 | Trẻ em dưới 14 tuổi",
    ),
    row(T.PERSON_NAME, "Họ và tên", "ho_ten"),
    row(T.PHONE, "Số điện thoại"),
    row(T.RADIO, "Hộ chiếu cũ bị mất?", "ho_chieu_bi_mat", choices="co | Có\nkhong | Không"),
    row(
        T.FILE,
        "Đơn trình báo mất hộ chiếu",
        "don_trinh_bao_mat",
        allowed_kinds="jpg, png, pdf",
        condition=("ho_chieu_bi_mat", "eq", "co"),
    ),
    row(T.FILE, "Ảnh chân dung", "anh_chan_dung", allowed_kinds="jpg", max_size_mb=2),
    row(
        T.STEP,
        "Người đại diện",
        required=False,
        condition=("loai_nguoi_de_nghi", "eq", "tre_em_duoi_14"),
    ),
    row(T.PERSON_NAME, "Họ và tên người đại diện", "nguoi_dai_dien_ho_ten"),
    row(T.STEP, "Cam đoan", required=False),
    row(T.HEADING, "Lời cam đoan", required=False),
    row(T.CONSENT, "Tôi cam đoan khai đúng sự thật", "cam_doan"),
]


_agency_numbers = itertools.count(1)


def make_agency():
    """An agency whose code cannot collide with the seeded demo agencies (000.20/21.79.H29)."""
    return AgencyFactory(code=f"999.{next(_agency_numbers):03d}.79.T")


def make_guide(home, agency=None, **kwargs):
    index = ProcedureIndexPageFactory(parent=home)
    return GuidePageFactory(parent=index, agency=agency or make_agency(), **kwargs)


def make_form_page(home, rows=None, *, guide=None, agency=None, **kwargs):
    """A published ApplicationFormPage (default: TEST_FORM) under a guide of `agency`."""
    guide = guide or make_guide(home, agency)
    page = ApplicationFormPageFactory.build(**kwargs)
    page.form_fields = [ApplicationFormField(sort_order=i, **data) for i, data in enumerate(rows or TEST_FORM)]
    guide.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def jpeg_bytes(size=(40, 60), color=(180, 180, 180)):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG")
    return buffer.getvalue()


def jpeg_upload(name="anh.jpg"):
    return SimpleUploadedFile(name, jpeg_bytes(), content_type="image/jpeg")


VALID_STEP_1 = {
    "loai_nguoi_de_nghi": "ban_than",
    "ho_ten": "nguyễn văn an",
    "so_dien_thoai": "0912 345 678",
    "ho_chieu_bi_mat": "khong",
}


def make_dossier(page, *, answers=None, uploads=None, key=None, submitted_at=None):
    """A dossier submitted through the service (status 1), like the HTML path would."""
    cleaned = {
        "loai_nguoi_de_nghi": "ban_than",
        "ho_ten": "NGUYỄN VĂN AN",
        "so_dien_thoai": "0912345678",
        "ho_chieu_bi_mat": "khong",
        "cam_doan": True,
        "ngay": date(2026, 1, 1),
    }
    cleaned.update(answers or {})
    return submit_application(
        page,
        cleaned,
        uploads or {},
        idempotency_key=key,
        language="vi",
        channel=Channel.ONLINE,
        submitted_at=submitted_at,
    ).dossier
