"""Factories for the guides pages: procedure fields, the index, guides and their rows."""

from datetime import date
from decimal import Decimal

import factory
import wagtail_factories

from guides.models import DossierComponent, Fee, GuidePage, ProcedureField, ProcedureIndexPage, ServiceLevel

from .cms import AgencyFactory


def make_steps(count=4):
    """Raw StreamField data for `count` steps: ``[("step", {...}), …]``."""
    return [
        ("step", {"title": f"Bước thử {position}", "body": f"<p>Nội dung bước {position}.</p>"})
        for position in range(1, count + 1)
    ]


class ProcedureFieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcedureField
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Lĩnh vực {n}")
    name_en = factory.Sequence(lambda n: f"Field {n}")
    slug = factory.Sequence(lambda n: f"linh-vuc-{n}")


class ProcedureIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ProcedureIndexPage

    title = "Thủ tục hành chính"
    slug = factory.Sequence(lambda n: f"thu-tuc-{n}")
    intro = "<p>Danh sách thủ tục.</p>"


class GuidePageFactory(wagtail_factories.PageFactory):
    """A published guide with four steps. Pass ``parent=`` (a ProcedureIndexPage)."""

    class Meta:
        model = GuidePage

    title = factory.Sequence(lambda n: f"Thủ tục thử nghiệm {n:03d}")
    slug = factory.Sequence(lambda n: f"thu-tuc-thu-nghiem-{n:03d}")
    procedure_code = factory.Sequence(lambda n: f"T-{n:03d}")
    summary = "Hướng dẫn thủ tục dùng trong kiểm thử."
    procedure_field = factory.SubFactory(ProcedureFieldFactory)
    # Codes of their own: the seeded demo agencies use the 000.2x.79.H29 range.
    agency = factory.SubFactory(AgencyFactory, code=factory.Sequence(lambda n: f"999.{n:03d}.01.G01"))
    service_level = ServiceLevel.FULL
    processing_days = 8
    result = "Hộ chiếu phổ thông."
    delivery_methods = factory.LazyFunction(lambda: ["truc_tiep", "buu_chinh"])
    steps = factory.LazyFunction(make_steps)


class FeeFactory(factory.django.DjangoModelFactory):
    """A fee row; pass ``page=`` (a saved GuidePage)."""

    class Meta:
        model = Fee

    label = "Cấp mới"
    amount = Decimal("200000")
    currency = Fee.Currency.VND
    effective_date = date(2026, 1, 1)
    sort_order = factory.Sequence(int)


class DossierComponentFactory(factory.django.DjangoModelFactory):
    """A dossier component row; pass ``page=`` (a saved GuidePage)."""

    class Meta:
        model = DossierComponent

    name = "Tờ khai TK01"
    is_required = True
    copies = 1
    sort_order = factory.Sequence(int)
