"""The guides app's part of the headless API (django-ninja, inside Wagtail's API v3).

Two pieces, both described by the one OpenAPI document at /api/v3/openapi.json:

* ``register_guide_schema()`` replaces the read schema Wagtail generated for
  ``guides.GuidePage`` (only the base page fields, since the model lists no
  ``api_fields``) with a typed one carrying every structured fact of the procedure:
  steps with their ``buoc-N`` anchors, fees with amount, currency and display text,
  dossier components, service level, QR codes and the application form. Wagtail builds
  its ``/pages/`` response union when ``wagtail.api.v3.routers.pages`` is first
  imported, so this runs from ``GuidesConfig.ready()``, before any URLconf is loaded.
  ``/api/v3/pages/?type=guides.GuidePage`` lists guides, ``/api/v3/pages/<id>/`` gives
  the whole guide.
* ``router``: the QR codes printed on leaflets and posters, with their image URLs.
  site_config/urls.py adds it to the API at ``/qr-codes/`` (cms, which owns the
  NinjaAPI, must not import guides).

Everything here is public and read only: GET endpoints without authentication.
"""

import sys
from datetime import date

from django.core.exceptions import ImproperlyConfigured
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import translation
from ninja import Router, Schema
from ninja.pagination import paginate
from pydantic import Field
from wagtail.api.utils import get_full_url
from wagtail.api.v3.pagination import WagtailLimitOffsetPagination
from wagtail.api.v3.schemas import PageSchema
from wagtail.rich_text import expand_db_html

from .models import DeliveryMethod, GuidePage, QRCode
from .qr import public_url

# --- shared pieces --------------------------------------------------------------------


class QRCodeSchema(Schema):
    """A printed QR code: the URL its symbol encodes, where it leads and its images."""

    code: str = Field(description="The code printed under the symbol; it never changes.")
    label: str
    scan_url: str = Field(description="What the symbol encodes: {PORTAL_PUBLIC_BASE_URL}/q/<code>.")
    target_url: str | None = Field(description="Where a scan currently leads (page and step, or external URL).")
    page_id: int | None = Field(description="The page it points at, if any (see /api/v3/pages/<id>/).")
    anchor: str = Field(description="The step anchor on that page, e.g. buoc-3, or empty.")
    svg_url: str = Field(description="The symbol as SVG.")
    png_url: str = Field(description="The symbol as PNG; add ?size=64..2048 for its width in pixels.")

    @staticmethod
    def resolve_scan_url(obj: QRCode) -> str:
        return public_url(obj.code)

    @staticmethod
    def resolve_target_url(obj: QRCode, context: dict) -> str | None:
        request = context["request"]
        target = obj.get_target_url(request=request)
        return get_full_url(request, target) if target else None

    @staticmethod
    def resolve_svg_url(obj: QRCode, context: dict) -> str:
        return get_full_url(context["request"], reverse("guides:qr_svg", kwargs={"code": obj.code}))

    @staticmethod
    def resolve_png_url(obj: QRCode, context: dict) -> str:
        return get_full_url(context["request"], reverse("guides:qr_png", kwargs={"code": obj.code}))


def public_qr_codes():
    """Active codes whose target is reachable (an external URL, or a live page)."""
    return (
        QRCode.objects.filter(is_active=True)
        .exclude(page__isnull=True, url="")
        .exclude(page__live=False)
        .select_related("page")
        .order_by("label", "pk")
    )


# --- GuidePage read schema ------------------------------------------------------------


class GuideServiceLevelSchema(Schema):
    code: str = Field(description="toan_trinh (fully online) or mot_phan (partly online), NĐ 42/2022 art. 11.")
    label: str
    is_fully_online: bool


class GuideDeliveryMethodSchema(Schema):
    code: str
    label: str


class GuideProcedureFieldSchema(Schema):
    slug: str
    name: str


class GuideAgencySchema(Schema):
    id: int
    code: str = Field(description="The agency's identifier, first part of dossier codes (TT 01/2018).")
    name: str


class GuideStepSchema(Schema):
    position: int
    anchor: str = Field(description="The fragment id of the step on the guide page, e.g. buoc-3.")
    url: str | None = Field(description="The guide page's URL with the step's anchor.")
    title: str
    body: str = Field(description="HTML.")
    note_kind: str = Field(description="tip, warning, or empty when there is no note.")
    note: str = Field(description="HTML, or empty.")


class GuideFeeSchema(Schema):
    label: str
    amount: str = Field(description="Exact decimal amount as a string, e.g. 200000.00; 0 means free.")
    currency: str = Field(description="ISO 4217 code: VND or USD.")
    display: str = Field(
        description="The amount as shown on the portal in the page's language: 200.000 đ, 25 USD, Miễn phí (vi); 200,000 VND, 12.50 USD, Free (en)."
    )
    is_free: bool
    effective_date: date | None


class GuideDossierComponentSchema(Schema):
    name: str
    description: str
    is_required: bool
    copies: int
    template_url: str | None = Field(description="A form or template to download, if any.")


class GuideFAQSchema(Schema):
    question: str
    answer: str = Field(description="HTML.")


class GuideRelatedProcedureSchema(Schema):
    id: int
    title: str


def _page_language(page):
    """Labels inside a guide's data (service level, "Miễn phí"…) follow the guide's language,
    not the request's: /api/ has no language prefix, so the request is always Vietnamese."""
    return translation.override(page.locale.language_code)


def _html(rich_text):
    return expand_db_html(rich_text.source if hasattr(rich_text, "source") else rich_text or "")


class GuidePageFieldsSchema(PageSchema):
    """Wagtail's page detail fields plus the structured facts of the procedure."""

    procedure_code: str
    summary: str
    service_level: GuideServiceLevelSchema
    procedure_field: GuideProcedureFieldSchema | None
    agency: GuideAgencySchema | None
    processing_days: int | None = Field(description="Working days from receipt of a complete dossier.")
    processing_time_note: str
    conditions: str = Field(description="HTML.")
    legal_basis: str = Field(description="HTML.")
    result: str
    delivery_methods: list[GuideDeliveryMethodSchema]
    steps: list[GuideStepSchema]
    fees: list[GuideFeeSchema]
    dossier_components: list[GuideDossierComponentSchema]
    faq: list[GuideFAQSchema]
    related_procedures: list[GuideRelatedProcedureSchema]
    qr_codes: list[QRCodeSchema]
    application_form_url: str | None = Field(description="The online application form, when there is one.")

    @staticmethod
    def resolve_service_level(obj: GuidePage) -> dict:
        with _page_language(obj):
            label = str(obj.get_service_level_display())
        return {"code": obj.service_level, "label": label, "is_fully_online": obj.is_fully_online}

    @staticmethod
    def resolve_procedure_field(obj: GuidePage) -> dict | None:
        field = obj.procedure_field
        if field is None:
            return None
        with _page_language(obj):
            return {"slug": field.slug, "name": str(field.display_name)}

    @staticmethod
    def resolve_agency(obj: GuidePage) -> dict | None:
        agency = obj.agency
        if agency is None:
            return None
        with _page_language(obj):
            return {"id": agency.pk, "code": agency.code, "name": str(agency.display_name)}

    @staticmethod
    def resolve_conditions(obj: GuidePage) -> str:
        return _html(obj.conditions)

    @staticmethod
    def resolve_legal_basis(obj: GuidePage) -> str:
        return _html(obj.legal_basis)

    @staticmethod
    def resolve_delivery_methods(obj: GuidePage) -> list[dict]:
        labels = dict(DeliveryMethod.choices)
        with _page_language(obj):
            return [{"code": code, "label": str(labels[code])} for code in obj.delivery_methods or [] if code in labels]

    @staticmethod
    def resolve_steps(obj: GuidePage, context: dict) -> list[dict]:
        page_url = obj.get_full_url(context["request"])
        steps = []
        for item in obj.numbered_steps:
            value = item["block"].value
            has_note = bool(value.get("note") and value["note"].source)
            steps.append(
                {
                    "position": item["position"],
                    "anchor": item["anchor"],
                    "url": f"{page_url}#{item['anchor']}" if page_url else None,
                    "title": value["title"],
                    "body": _html(value["body"]),
                    "note_kind": (value.get("note_kind") or "tip") if has_note else "",
                    "note": _html(value["note"]) if has_note else "",
                }
            )
        return steps

    @staticmethod
    def resolve_fees(obj: GuidePage) -> list[dict]:
        with _page_language(obj):
            return [
                {
                    "label": fee.label,
                    "amount": str(fee.amount),
                    "currency": fee.currency,
                    "display": str(fee.display_amount),
                    "is_free": fee.is_free,
                    "effective_date": fee.effective_date,
                }
                for fee in obj.fees.all()
            ]

    @staticmethod
    def resolve_dossier_components(obj: GuidePage, context: dict) -> list[dict]:
        request = context["request"]
        components = obj.dossier_components.select_related("template_document")
        return [
            {
                "name": component.name,
                "description": component.description,
                "is_required": component.is_required,
                "copies": component.copies,
                "template_url": (
                    get_full_url(request, component.template_document.url) if component.template_document else None
                ),
            }
            for component in components
        ]

    @staticmethod
    def resolve_faq(obj: GuidePage) -> list[dict]:
        return [
            {"question": block.value["question"], "answer": _html(block.value["answer"])}
            for block in obj.faq
            if block.block_type == "question"
        ]

    @staticmethod
    def resolve_related_procedures(obj: GuidePage) -> list[dict]:
        related = obj.related_procedures.filter(related_page__live=True).select_related("related_page")
        return [{"id": item.related_page_id, "title": item.related_page.title} for item in related]

    @staticmethod
    def resolve_qr_codes(obj: GuidePage) -> list[QRCode]:
        return list(public_qr_codes().filter(page_id=obj.pk))

    @staticmethod
    def resolve_application_form_url(obj: GuidePage, context: dict) -> str | None:
        url = obj.application_form_url
        return get_full_url(context["request"], url) if url else None


def register_guide_schema():
    """Expose GuidePage's structured fields through Wagtail's API v3 (see the module docstring).

    Keeps the create and update schemas Wagtail generated; only the read side changes.
    The generator still adds the narrowed ``meta.type`` and any ``api_fields`` the model
    may list later.
    """
    if "wagtail.api.v3.routers.pages" in sys.modules:
        # Too late: the /pages/ responses were built with Wagtail's generic schema.
        raise ImproperlyConfigured(
            "wagtail.api.v3.routers.pages was imported before GuidesConfig.ready(); "
            "GuidePage's API fields would be missing. Import the API only from URLconfs."
        )
    from wagtail.api.v3.registry import ContentTypeRegistration, registry
    from wagtail.api.v3.schemas import read_generator

    label = GuidePage._meta.label
    generated = registry.get(label)
    registry.register(
        ContentTypeRegistration(
            name=label,
            label=str(GuidePage._meta.verbose_name),
            read_schema=read_generator.generate_schema(GuidePage, base_class=GuidePageFieldsSchema),
            create_schema=generated.create_schema if generated else None,
            patch_schema=generated.patch_schema if generated else None,
        )
    )


# --- QR codes router ------------------------------------------------------------------

router = Router(tags=["qr-codes"])


@router.get(
    "/",
    response=list[QRCodeSchema],
    url_name="list_qr_codes",
    summary="List QR codes",
    description="Active QR codes, optionally only those pointing at one page (?page_id=).",
    operation_id="qr_codes_list",
)
@paginate(WagtailLimitOffsetPagination)
def list_qr_codes(request: HttpRequest, page_id: int | None = None):
    codes = public_qr_codes()
    if page_id is not None:
        codes = codes.filter(page_id=page_id)
    return codes


@router.get(
    "/{code}/",
    response=QRCodeSchema,
    url_name="detail_qr_code",
    summary="QR code detail",
    operation_id="qr_codes_detail",
)
def get_qr_code(request: HttpRequest, code: str):
    qr_code = public_qr_codes().filter(code=code.upper()).first()
    if qr_code is None:
        raise Http404("No QR code matches the given code.")
    return qr_code


__all__ = ["register_guide_schema", "router"]
