"""Procedure guide pages: the index of procedures and one structured guide per procedure.

A guide stores the facts of a procedure as fields (code, agency, service level, fees,
dossier components…) rather than one rich-text blob, so the index can filter on them,
the API can serialise them, and fees are rendered the same way everywhere.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    PageChooserPanel,
    TabbedInterface,
)
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, get_page_models
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from cms.caching import CachedPageMixin
from cms.models import Agency, _in_language
from cms.permissions import ModeratedPageMixin

from ..blocks import FAQBlock, StepsBlock
from ..formatting import USD, VND, format_fee_amount
from .qr import QRCodesPanel

__all__ = [
    "STEP_ANCHOR_PREFIX",
    "DeliveryMethod",
    "DossierComponent",
    "Fee",
    "ProcedureFilterForm",
    "GuidePage",
    "ProcedureField",
    "ProcedureIndexPage",
    "RelatedProcedure",
    "ServiceLevel",
    "step_anchor",
]

STEP_ANCHOR_PREFIX = "buoc-"
GUIDES_PER_PAGE = 10


def step_anchor(position):
    """The fragment id of the step at 1-based `position`: ``buoc-3``. QR codes link to it."""
    return f"{STEP_ANCHOR_PREFIX}{int(position)}"


class ServiceLevel(models.TextChoices):
    """Online service level under NĐ 42/2022, art. 11."""

    FULL = "toan_trinh", _("Toàn trình")
    PARTIAL = "mot_phan", _("Một phần")


class DeliveryMethod(models.TextChoices):
    """How the result reaches the citizen (QĐ 45/2016/QĐ-TTg for the public post)."""

    IN_PERSON = "truc_tiep", _("Nhận trực tiếp tại cơ quan")
    PUBLIC_POST = "buu_chinh", _("Qua bưu chính công ích")
    ELECTRONIC = "dien_tu", _("Bản điện tử (qua cổng dịch vụ công, email)")


@register_snippet
class ProcedureField(index.Indexed, models.Model):
    """A field (lĩnh vực) of administrative procedures, e.g. "Quản lý xuất nhập cảnh".

    One shared list for both languages (like agencies): the English name is a column,
    so a translated guide keeps pointing at the same field and the index filter works
    the same in /en/.
    """

    name = models.CharField(_("tên lĩnh vực"), max_length=200, unique=True)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=200, blank=True)
    slug = models.SlugField(
        _("đường dẫn"),
        max_length=200,
        unique=True,
        blank=True,
        help_text=_("Dùng trong bộ lọc của trang danh sách thủ tục. Để trống để tạo từ tên."),
    )

    panels = [FieldPanel("name"), FieldPanel("name_en"), FieldPanel("slug")]
    search_fields = [index.SearchField("name"), index.SearchField("name_en"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("lĩnh vực thủ tục")
        verbose_name_plural = pgettext_lazy("plural", "lĩnh vực thủ tục")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name.replace("đ", "d").replace("Đ", "D"))[:200]
        super().save(*args, **kwargs)

    @property
    def display_name(self):
        return _in_language(self.name, self.name_en)


class GuidePageForm(WagtailAdminPageForm):
    """Delivery methods are stored as a JSON list and edited as checkboxes."""

    delivery_methods = forms.MultipleChoiceField(
        label=_("Cách nhận kết quả"),
        choices=DeliveryMethod.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class GuidePage(ModeratedPageMixin, CachedPageMixin, Page):
    """The guide to one administrative procedure."""

    procedure_code = models.CharField(
        _("mã thủ tục"),
        max_length=40,
        blank=True,
        help_text=_("Mã thủ tục hành chính trên Cơ sở dữ liệu quốc gia, ví dụ 1.001234."),
    )
    summary = models.TextField(
        _("tóm tắt"),
        blank=True,
        help_text=_("Một hai câu: thủ tục này dành cho ai, để làm gì. Hiện trong danh sách và kết quả tìm kiếm."),
    )
    procedure_field = models.ForeignKey(
        ProcedureField,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="guides",
        verbose_name=_("lĩnh vực"),
    )
    agency = models.ForeignKey(
        "cms.Agency",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="guides",
        verbose_name=_("cơ quan giải quyết"),
    )
    service_level = models.CharField(
        _("mức độ dịch vụ công trực tuyến"),
        max_length=20,
        choices=ServiceLevel.choices,
        default=ServiceLevel.FULL,
        help_text=_("Toàn trình: nộp, xử lý và nhận kết quả hoàn toàn trực tuyến. Một phần: phải đến cơ quan."),
    )
    processing_days = models.PositiveSmallIntegerField(
        _("thời hạn giải quyết (ngày làm việc)"),
        null=True,
        blank=True,
        help_text=_("Số ngày làm việc kể từ khi nhận đủ hồ sơ hợp lệ. Để trống nếu giải quyết ngay."),
    )
    processing_time_note = models.CharField(
        _("ghi chú về thời hạn"),
        max_length=200,
        blank=True,
        help_text=_("Ví dụ: “ngay lập tức” hoặc “3 ngày làm việc nếu nộp tại Cục Quản lý xuất nhập cảnh”."),
    )
    conditions = RichTextField(_("điều kiện thực hiện"), blank=True, features=["bold", "italic", "link", "ul", "ol"])
    legal_basis = RichTextField(
        _("căn cứ pháp lý"), blank=True, features=["bold", "italic", "link", "ul", "ol", "document-link"]
    )
    result = models.TextField(_("kết quả thực hiện"), blank=True, help_text=_("Giấy tờ người dân nhận được."))
    delivery_methods = models.JSONField(_("cách nhận kết quả"), default=list, blank=True)
    steps = StreamField(StepsBlock(), verbose_name=_("các bước thực hiện"))
    faq = StreamField(FAQBlock(), blank=True, verbose_name=_("câu hỏi thường gặp"))

    base_form_class = GuidePageForm

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("procedure_code"), FieldPanel("service_level")]),
                FieldPanel("procedure_field"),
                FieldPanel("agency"),
                FieldRowPanel([FieldPanel("processing_days"), FieldPanel("processing_time_note")]),
            ],
            heading=_("Thông tin chung"),
        ),
        FieldPanel("steps"),
        QRCodesPanel(heading=_("Mã QR")),  # QR: this guide's QR codes + "Tạo mã QR" (guides/models/qr.py)
    ]
    dossier_panels = [
        InlinePanel(
            "dossier_components",
            heading=_("Thành phần hồ sơ"),
            label=_("Giấy tờ"),
            help_text=_("Mỗi dòng một loại giấy tờ; đính kèm mẫu đơn để người dân tải về."),
        ),
        FieldPanel("conditions"),
        MultiFieldPanel([FieldPanel("result"), FieldPanel("delivery_methods")], heading=_("Kết quả")),
        FieldPanel("legal_basis"),
    ]
    fee_panels = [
        InlinePanel(
            "fees",
            heading=_("Phí, lệ phí"),
            label=_("Mức phí"),
            help_text=_("Nhập số tiền bằng số (0 nếu miễn phí) và ngày bắt đầu áp dụng."),
        ),
    ]
    more_panels = [
        FieldPanel("faq"),
        InlinePanel("related_procedures", heading=_("Thủ tục liên quan"), label=_("Thủ tục")),
    ]

    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Nội dung")),
            ObjectList(dossier_panels, heading=_("Hồ sơ và kết quả")),
            ObjectList(fee_panels, heading=_("Lệ phí")),
            ObjectList(more_panels, heading=_("Hỏi đáp, liên quan")),
            ObjectList(Page.promote_panels, heading=_("Quảng bá")),
        ]
    )

    search_fields = [
        *Page.search_fields,  # includes the title, boosted
        index.SearchField("procedure_code", boost=3),
        index.AutocompleteField("procedure_code"),
        index.SearchField("summary", boost=1.5),
        index.SearchField("steps"),
        index.SearchField("result"),
        index.FilterField("service_level"),
        index.FilterField("agency"),
        index.FilterField("procedure_field"),
    ]

    parent_page_types = ["guides.ProcedureIndexPage"]
    subpage_types = ["portal_forms.ApplicationFormPage"]  # by label: guides does not import forms
    template = "pages/guide_page.html"

    class Meta:
        verbose_name = _("hướng dẫn thủ tục")
        verbose_name_plural = pgettext_lazy("plural", "hướng dẫn thủ tục")

    @classmethod
    def clean_subpage_models(cls):
        """Only page types that name GuidePage in their own ``parent_page_types`` may be
        created below a guide (the forms app's application form): the guides app does not
        name them, so it needs no import of the forms app."""
        if cls._clean_subpage_models is None:
            cls._clean_subpage_models = [
                model
                for model in get_page_models()
                if getattr(model, "parent_page_types", None) is not None and cls in model.clean_parent_page_models()
            ]
        return cls._clean_subpage_models

    # --- presentation helpers -------------------------------------------------------

    @property
    def delivery_method_labels(self):
        labels = dict(DeliveryMethod.choices)
        return [labels[code] for code in self.delivery_methods or [] if code in labels]

    @property
    def is_fully_online(self):
        return self.service_level == ServiceLevel.FULL

    def step_anchor(self, position):
        return step_anchor(position)

    @property
    def numbered_steps(self):
        """The steps with their 1-based position and anchor, for templates and QR codes."""
        return [
            {"position": position, "anchor": step_anchor(position), "block": block}
            for position, block in enumerate(self.steps, start=1)
        ]

    def step_anchors(self):
        """``[("buoc-1", "Chuẩn bị hồ sơ"), …]``: what a QR code may point at."""
        return [(step_anchor(position), block.value["title"]) for position, block in enumerate(self.steps, start=1)]

    def get_application_form(self):
        """The live online application form of this procedure, or None.

        The forms app links a form page to a guide through a ForeignKey whose reverse
        accessor is ``application_forms``, or places the form below the guide; the guides
        app never imports it (imports flow forms -> guides). A translated guide uses the
        form of its Vietnamese source when it has none of its own, in the visitor's
        language when that form is translated.
        """
        for guide in [self, *self.get_translations()]:
            related = getattr(guide, "application_forms", None)
            form = related.live().first() if related is not None else None
            if form is None:
                form = guide.get_children().live().first()
            if form is not None:
                return form.specific.localized
        return None

    @property
    def application_form_url(self):
        """Hook for templates and the API: the URL of the application form, or None."""
        form = self.get_application_form()
        return form.url if form is not None else None

    # --- plain data for the API and search ------------------------------------------

    def fees_data(self):
        return [fee.as_dict() for fee in self.fees.all()]

    def dossier_components_data(self):
        return [component.as_dict() for component in self.dossier_components.all()]

    def steps_data(self):
        return [
            {
                "position": position,
                "anchor": step_anchor(position),
                "title": block.value["title"],
                "body": block.value["body"].source,
                "note_kind": (block.value.get("note_kind") or "tip") if block.value.get("note") else "",
                "note": block.value["note"].source if block.value.get("note") else "",
            }
            for position, block in enumerate(self.steps, start=1)
        ]

    def faq_data(self):
        return [
            {"question": block.value["question"], "answer": block.value["answer"].source}
            for block in self.faq
            if block.block_type == "question"
        ]

    def structured_data(self):
        """Every structured fact of the procedure as JSON-ready dicts and lists."""
        return {
            "id": self.pk,
            "title": self.title,
            "url": self.url,
            "locale": self.locale.language_code,
            "procedure_code": self.procedure_code,
            "summary": self.summary,
            "field": (
                {"slug": self.procedure_field.slug, "name": self.procedure_field.display_name}
                if self.procedure_field_id
                else None
            ),
            "agency": (
                {"id": self.agency_id, "code": self.agency.code, "name": str(self.agency.display_name)}
                if self.agency_id
                else None
            ),
            "service_level": self.service_level,
            "service_level_label": str(self.get_service_level_display()),
            "processing_days": self.processing_days,
            "processing_time_note": self.processing_time_note,
            "fees": self.fees_data(),
            "dossier_components": self.dossier_components_data(),
            "conditions": self.conditions,
            "legal_basis": self.legal_basis,
            "result": self.result,
            "delivery_methods": list(self.delivery_methods or []),
            "steps": self.steps_data(),
            "faq": self.faq_data(),
            "related": [
                related.related_page_id for related in self.related_procedures.all() if related.related_page_id
            ],
            "application_form_url": self.application_form_url,
        }


class Fee(Orderable):
    """One fee row of a guide: who pays how much, from when."""

    class Currency(models.TextChoices):
        VND = VND, _("VND (đồng)")
        USD = USD, _("USD (đô la Mỹ)")

    page = ParentalKey(GuidePage, on_delete=models.CASCADE, related_name="fees")
    label = models.CharField(
        _("trường hợp"),
        max_length=255,
        help_text=_("Ví dụ: “Cấp lần đầu” hoặc “Cấp lại do bị mất, hư hỏng”."),
    )
    amount = models.DecimalField(
        _("số tiền"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(0, message=_("Số tiền không được âm."))],
        help_text=_("Chỉ nhập số, không dấu chấm ngăn cách (ví dụ 200000). Nhập 0 nếu miễn phí."),
    )
    currency = models.CharField(_("đơn vị tiền"), max_length=3, choices=Currency.choices, default=Currency.VND)
    effective_date = models.DateField(_("áp dụng từ ngày"), null=True, blank=True)

    panels = [
        FieldPanel("label"),
        FieldRowPanel([FieldPanel("amount"), FieldPanel("currency"), FieldPanel("effective_date")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("lệ phí")
        verbose_name_plural = pgettext_lazy("plural", "lệ phí")

    def __str__(self):
        return f"{self.label}: {self.display_amount}"

    def clean(self):
        # The dong has no minor unit in use: 200000.50 đ is a typing mistake, not a fee.
        if self.currency == VND and self.amount is not None and self.amount != self.amount.to_integral_value():
            raise ValidationError({"amount": _("Tiền đồng (VND) không có phần lẻ: nhập số nguyên, ví dụ 200000.")})

    @property
    def display_amount(self):
        return format_fee_amount(self.amount, self.currency)

    @property
    def is_free(self):
        return self.amount == 0

    def as_dict(self):
        return {
            "label": self.label,
            "amount": str(self.amount),
            "currency": self.currency,
            "display": self.display_amount,
            "effective_date": self.effective_date.isoformat() if self.effective_date else None,
        }


class DossierComponent(Orderable):
    """A paper the applicant must provide (thành phần hồ sơ)."""

    page = ParentalKey(GuidePage, on_delete=models.CASCADE, related_name="dossier_components")
    name = models.CharField(_("tên giấy tờ"), max_length=255)
    description = models.CharField(
        _("mô tả"), max_length=500, blank=True, help_text=_("Yêu cầu cụ thể, ví dụ kích thước ảnh.")
    )
    is_required = models.BooleanField(_("bắt buộc"), default=True)
    copies = models.PositiveSmallIntegerField(_("số bản"), default=1)
    template_document = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("mẫu tải về"),
        help_text=_("Không bắt buộc. Mẫu đơn, tờ khai để người dân tải về."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("is_required"), FieldPanel("copies")]),
        FieldPanel("template_document"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = pgettext_lazy("plural", "thành phần hồ sơ")

    def __str__(self):
        return self.name

    def as_dict(self):
        return {
            "name": self.name,
            "description": self.description,
            "is_required": self.is_required,
            "copies": self.copies,
            "template_url": self.template_document.url if self.template_document_id else None,
        }


class RelatedProcedure(Orderable):
    page = ParentalKey(GuidePage, on_delete=models.CASCADE, related_name="related_procedures")
    related_page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("thủ tục"),
    )

    panels = [PageChooserPanel("related_page", page_type="guides.GuidePage")]

    class Meta(Orderable.Meta):
        verbose_name = _("thủ tục liên quan")
        verbose_name_plural = pgettext_lazy("plural", "thủ tục liên quan")

    def clean(self):
        if self.related_page_id and self.page_id and self.related_page_id == self.page_id:
            raise ValidationError({"related_page": _("Không thể chọn chính thủ tục này.")})


class ProcedureFilterForm(forms.Form):
    """The index's filters. Unknown or stale values are ignored rather than reported:
    a shared link with an old agency id still lists procedures."""

    field = forms.ModelChoiceField(
        label=_("Lĩnh vực"),
        queryset=ProcedureField.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Tất cả lĩnh vực"),
    )
    agency = forms.ModelChoiceField(
        label=_("Cơ quan"),
        queryset=Agency.objects.all(),
        required=False,
        empty_label=_("Tất cả cơ quan"),
    )
    level = forms.ChoiceField(
        label=_("Mức độ trực tuyến"),
        choices=[("", _("Tất cả mức độ")), *ServiceLevel.choices],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].label_from_instance = lambda obj: obj.display_name
        self.fields["agency"].label_from_instance = lambda obj: obj.display_name

    def valid_filters(self):
        """The cleaned value of each filter that was given and is valid."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}

    def is_filtered(self):
        return bool(self.valid_filters())

    def filter(self, guides):
        filters = self.valid_filters()
        if "field" in filters:
            guides = guides.filter(procedure_field=filters["field"])
        if "agency" in filters:
            guides = guides.filter(agency=filters["agency"])
        if "level" in filters:
            guides = guides.filter(service_level=filters["level"])
        return guides


class ProcedureIndexPage(ModeratedPageMixin, CachedPageMixin, Page):
    """Lists the guides below it, filtered through plain GET parameters."""

    intro = RichTextField(_("giới thiệu"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    subpage_types = ["guides.GuidePage"]
    template = "pages/procedure_index_page.html"
    # The filter form's parameters and the page number: such URLs may be cached.
    cacheable_query_params = frozenset({"field", "agency", "level", "page"})

    class Meta:
        verbose_name = _("danh sách thủ tục")
        verbose_name_plural = pgettext_lazy("plural", "danh sách thủ tục")

    def get_guides(self):
        return (
            GuidePage.objects.child_of(self)
            .live()
            .public()
            .select_related("agency", "procedure_field")
            .order_by("path")  # the order editors give the guides in the page tree
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        guides = self.get_guides()
        filter_form = ProcedureFilterForm(request.GET or None)
        guides = filter_form.filter(guides)
        paginator = Paginator(guides, GUIDES_PER_PAGE)
        # get_page() turns "abc", "-1" or "999" into a valid page instead of an error.
        guides_page = paginator.get_page(request.GET.get("page"))
        context.update(
            filter_form=filter_form,
            guides=guides_page,
            paginator=paginator,
            result_count=paginator.count,
            is_filtered=filter_form.is_filtered(),
        )
        return context
