"""Online application forms and the dossiers they create.

``ApplicationFormPage`` extends Wagtail's form builder (``FormMixin``): editors add, order
and configure ``ApplicationFormField`` rows in the page editor. A field of type "step"
starts a new step, so the whole form (steps included) is one sortable InlinePanel.

A submission never becomes a Wagtail ``FormSubmission`` (editors must not see personal
data): it becomes a ``Dossier`` with its files, its status history and a frozen copy of
the form definition (``FormVersion``). Dossiers are created in ``forms.services`` only.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.forms.forms import WagtailAdminFormPageForm
from wagtail.contrib.forms.models import AbstractFormField, FormMixin
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page

from .constants import RESERVED_KEYS, Channel, ConditionOperator, DossierStatus, NotifyBy, ResultDelivery
from .keys import field_key, unique_key

KEY_PATTERN = r"^[a-z][a-z0-9_]{0,62}$"
UPLOAD_KIND_NAMES = ("jpg", "jpeg", "png", "webp", "pdf")  # what forms.fields.PrivateFileField accepts
validate_key_pattern = RegexValidator(
    KEY_PATTERN,
    _("Chỉ dùng chữ thường không dấu, chữ số và dấu gạch dưới; bắt đầu bằng một chữ cái (tối đa 63 ký tự)."),
)


class FieldType(models.TextChoices):
    """What an ApplicationFormField renders. The builder has one create_<type>_field per input type."""

    SINGLELINE = "singleline", _("Một dòng chữ")
    MULTILINE = "multiline", _("Nhiều dòng chữ")
    EMAIL = "email", _("Thư điện tử")
    NUMBER = "number", _("Số")
    DROPDOWN = "dropdown", _("Danh sách thả xuống")
    RADIO = "radio", _("Chọn một (nút tròn)")
    CHECKBOXES = "checkboxes", _("Chọn nhiều (ô đánh dấu)")
    CHECKBOX = "checkbox", _("Một ô đánh dấu")
    PERSONAL_ID = "personal_id", _("Số định danh cá nhân (12 số)")
    PREVIOUS_ID = "previous_id", _("Số CMND cũ (9 số)")
    PHONE = "phone", _("Số điện thoại di động")
    VN_DATE = "vn_date", _("Ngày (dd/mm/yyyy)")
    PERSON_NAME = "person_name", _("Họ tên (chữ in hoa)")
    PROVINCE = "province", _("Tỉnh, thành phố")
    ADDRESS = "address", _("Địa chỉ (tỉnh, xã/phường, số nhà)")
    FILE = "file", _("Tệp tải lên")
    CONSENT = "consent", _("Lời cam đoan")
    HEADING = "heading", _("Tiêu đề, lời giải thích (không nhập liệu)")
    STEP = "step", _("Bắt đầu bước mới")


# Types that render text only: no input, no answer, no key in the answers.
NON_INPUT_TYPES = frozenset({FieldType.HEADING, FieldType.STEP})
CHOICE_TYPES = frozenset({FieldType.DROPDOWN, FieldType.RADIO, FieldType.CHECKBOXES})


def parse_choices(text):
    """Editor-written choices → ``[(value, label)]``.

    One choice per line (or comma separated on one line, like Wagtail's builder). A line
    may be ``value | Label``; a bare ``Label`` gets the ASCII key of its label as value,
    so ``Có`` is stored as ``co`` and conditions can be written against stable values.
    """
    text = (text or "").strip()
    if not text:
        return []
    lines = text.splitlines()
    items = [line.strip().rstrip(",").strip() for line in lines] if len(lines) > 1 else text.split(",")
    choices = []
    for item in items:
        item = item.strip()
        if not item:
            continue
        if "|" in item:
            value, label = (part.strip() for part in item.split("|", 1))
        else:
            value, label = field_key(item), item
        choices.append((value, label))
    return choices


class ApplicationFormPageForm(WagtailAdminFormPageForm):
    """Checks the editor's field keys: safe pattern, unique per form, stable once dossiers exist."""

    def clean(self):
        formset = self.formsets.get("form_fields")
        if formset is not None:
            self._assign_text_row_keys(formset)
        cleaned_data = super().clean()
        if formset is None:
            return cleaned_data
        has_dossiers = bool(self.instance.pk) and Dossier.objects.filter(form_page_id=self.instance.pk).exists()
        seen = {}
        for form in formset.forms:
            if not form.is_valid() or form.cleaned_data.get("DELETE"):
                continue
            instance = form.instance
            key = (form.cleaned_data.get("clean_name") or "").strip()
            if instance.pk and has_dossiers:
                original = (
                    ApplicationFormField.objects.filter(pk=instance.pk).values_list("clean_name", flat=True).first()
                )
                if original and key and key != original:
                    form.add_error(
                        "clean_name",
                        _("Biểu mẫu đã có hồ sơ nộp nên không thể đổi mã trường “%(key)s”.") % {"key": original},
                    )
                    continue
                key = key or original or ""
            if not key:
                key = field_key(form.cleaned_data.get("label") or "") or ""
            if key in RESERVED_KEYS:
                form.add_error(
                    "clean_name", _("Mã trường “%(key)s” được hệ thống dùng riêng; hãy chọn mã khác.") % {"key": key}
                )
                continue
            if key in seen:
                form.add_error("clean_name", _("Mã trường “%(key)s” bị trùng với một trường khác.") % {"key": key})
                seen[key].add_error("clean_name", _("Mã trường “%(key)s” bị trùng với một trường khác.") % {"key": key})
            else:
                seen[key] = form
        return cleaned_data

    @staticmethod
    def _assign_text_row_keys(formset):
        """Give new step and heading rows a key no input field uses (``buoc_…``, ``tieu_de_…``).

        They store no answer, but Wagtail's duplicate-name check covers every row: a step
        "Cam đoan" must not take the key of the consent field "cam_doan".
        """
        rows = [form for form in formset.forms if form.is_valid() and not form.cleaned_data.get("DELETE")]
        taken = set()
        for form in rows:
            key = form.cleaned_data.get("clean_name") or form.instance.clean_name
            if not key and form.cleaned_data.get("field_type") not in NON_INPUT_TYPES:
                key = field_key(form.cleaned_data.get("label") or "")
            if key:
                taken.add(key)
        for form in rows:
            if form.cleaned_data.get("field_type") in NON_INPUT_TYPES and not (
                form.cleaned_data.get("clean_name") or form.instance.clean_name
            ):
                key = unique_key(text_row_key_source(form.cleaned_data), taken)
                taken.add(key)
                form.cleaned_data["clean_name"] = key
                form.instance.clean_name = key


def text_row_key_source(data):
    prefix = "buoc" if data.get("field_type") == FieldType.STEP else "tieu de"
    return f"{prefix} {data.get('label') or ''}"


class ApplicationFormPage(RoutablePageMixin, FormMixin, Page):
    """An online application form for one procedure (a child page of its GuidePage).

    The citizen fills it in steps (``buoc/<n>/``), reviews every answer (``xem-lai/``) and
    submits (``nop/``); the receipt lives at a URL of its own (forms.urls).
    """

    intro = RichTextField(_("lời dẫn"), blank=True, features=["bold", "italic", "link", "ul", "ol"])
    procedure = models.ForeignKey(
        "guides.GuidePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="application_forms",
        verbose_name=_("thủ tục"),
        help_text=_("Để trống để dùng trang hướng dẫn thủ tục chứa biểu mẫu này."),
    )
    agency = models.ForeignKey(
        "cms.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="application_forms",
        verbose_name=_("cơ quan tiếp nhận"),
        help_text=_("Để trống để dùng cơ quan giải quyết của thủ tục."),
    )
    review_intro = models.TextField(
        _("lời dẫn trang xem lại"),
        blank=True,
        default="Kiểm tra kỹ các thông tin dưới đây trước khi nộp. Sau khi nộp, bạn không thể sửa hồ sơ.",
    )
    next_steps = RichTextField(
        _("sau khi nộp"),
        blank=True,
        features=["bold", "italic", "link", "ul", "ol"],
        help_text=_("Hiện trên biên nhận: cơ quan sẽ làm gì tiếp theo, người dân cần chuẩn bị gì."),
    )

    base_form_class = ApplicationFormPageForm

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [PageChooserPanel("procedure", page_type="guides.GuidePage"), FieldPanel("agency")],
            heading=_("Thủ tục và cơ quan"),
        ),
        InlinePanel(
            "form_fields",
            label=_("Trường"),
            heading=_("Các trường của biểu mẫu"),
            help_text=_(
                "Kéo để sắp xếp. Thêm một trường loại “Bắt đầu bước mới” để chia biểu mẫu thành các bước; "
                "điều kiện của trường đó áp dụng cho cả bước."
            ),
        ),
        FieldPanel("review_intro"),
        FieldPanel("next_steps"),
    ]

    parent_page_types = ["guides.GuidePage"]
    subpage_types = []
    template = "forms/pages/application_form_page.html"
    landing_page_template = "forms/pages/receipt.html"

    class Meta:
        verbose_name = _("biểu mẫu nộp hồ sơ trực tuyến")
        verbose_name_plural = pgettext_lazy("plural", "biểu mẫu nộp hồ sơ trực tuyến")

    # --- the procedure and the agency -----------------------------------------------

    def get_procedure(self):
        """The GuidePage this form belongs to: the chosen one, else the parent guide."""
        if self.procedure_id:
            return self.procedure.specific
        parent = self.get_parent() if self.pk else None
        if parent is not None and parent.specific_class.__name__ == "GuidePage":
            return parent.specific
        return None

    def get_agency(self):
        """The receiving agency: the chosen one, else the procedure's agency."""
        if self.agency_id:
            return self.agency
        procedure = self.get_procedure()
        return procedure.agency if procedure is not None else None

    def full_clean(self, *args, **kwargs):
        if not self.procedure_id:
            procedure = self.get_procedure()
            if procedure is not None:
                self.procedure = procedure
        if not self.agency_id and self.procedure_id and self.procedure.agency_id:
            self.agency_id = self.procedure.agency_id
        super().full_clean(*args, **kwargs)

    # --- Wagtail form builder -------------------------------------------------------

    @property
    def form_builder(self):
        from .builder import ApplicationFormBuilder

        return ApplicationFormBuilder

    def get_data_fields(self):
        return [(f.clean_name, f.label) for f in self.get_form_fields() if f.field_type not in NON_INPUT_TYPES]

    # Privacy: submissions are Dossiers, visible to the agency's officers only. Wagtail's
    # FormSubmission store, listing and export are switched off for this page type.
    def process_form_submission(self, form):
        raise NotImplementedError("ApplicationFormPage submissions go through forms.services.submit_application")

    def get_submissions(self):
        return self.get_submission_class().objects.none()

    def serve_submissions_list_view(self, request, *args, **kwargs):
        raise Http404

    # --- the citizen's journey (views live in forms.views) -----------------------

    @path("")
    def start(self, request):
        from . import views

        return views.start(request, self)

    @path("buoc/<int:number>/")
    def step(self, request, number):
        from . import views

        return views.step(request, self, number)

    @path("xem-lai/")
    def review(self, request):
        from . import views

        return views.review(request, self)

    @path("nop/")
    def submit(self, request):
        from . import views

        return views.submit(request, self)

    preview_modes = [("form", _("Biểu mẫu (tất cả các bước)"))]

    def serve_preview(self, request, mode_name):
        from . import views

        return views.preview(request, self)

    def step_url(self, number):
        return self.url + self.reverse_subpage("step", kwargs={"number": number})

    @property
    def review_url(self):
        return self.url + self.reverse_subpage("review")

    @property
    def submit_url(self):
        return self.url + self.reverse_subpage("submit")


class ApplicationFormField(AbstractFormField):
    """One field (or a heading, or a step break) of an application form."""

    page = ParentalKey(ApplicationFormPage, on_delete=models.CASCADE, related_name="form_fields")
    field_type = models.CharField(_("loại trường"), max_length=16, choices=FieldType.choices)
    field_type.required_on_save = True
    clean_name = models.CharField(
        _("mã trường"),
        max_length=63,
        blank=True,
        default="",
        validators=[validate_key_pattern],
        help_text=_(
            "Tên kỹ thuật của câu trả lời (chữ không dấu, ví dụ so_dien_thoai). Để trống để tạo từ nhãn. "
            "Không đổi được khi biểu mẫu đã có hồ sơ."
        ),
    )
    label = models.CharField(_("nhãn"), max_length=255)
    help_text = models.CharField(_("hướng dẫn"), max_length=500, blank=True)
    choices = models.TextField(
        _("các lựa chọn"),
        blank=True,
        help_text=_("Mỗi dòng một lựa chọn, dạng “giá trị | Nhãn” (ví dụ “co | Có”) hoặc chỉ “Nhãn”."),
    )
    min_age = models.PositiveSmallIntegerField(
        _("tuổi tối thiểu"), null=True, blank=True, validators=[MaxValueValidator(150)]
    )
    max_age = models.PositiveSmallIntegerField(
        _("tuổi tối đa"), null=True, blank=True, validators=[MaxValueValidator(150)]
    )
    max_size_mb = models.PositiveSmallIntegerField(
        _("dung lượng tối đa (MB)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("Cho trường tệp. Để trống: 5 MB."),
    )
    max_files = models.PositiveSmallIntegerField(
        _("số tệp tối đa"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    allowed_kinds = models.CharField(
        _("loại tệp cho phép"),
        max_length=100,
        blank=True,
        help_text=_("Cho trường tệp, cách nhau bởi dấu phẩy, ví dụ “jpg, png, pdf”. Để trống: ảnh và PDF."),
    )
    condition_field = models.CharField(
        _("chỉ hiện khi trường"),
        max_length=63,
        blank=True,
        help_text=_("Mã của trường điều khiển (ví dụ loai_nguoi_de_nghi). Để trống: luôn hiện."),
    )
    condition_operator = models.CharField(
        _("phép so sánh"), max_length=2, choices=ConditionOperator.choices, default=ConditionOperator.EQUALS
    )
    condition_value = models.CharField(
        _("giá trị"),
        max_length=255,
        blank=True,
        help_text=_("Giá trị của lựa chọn, ví dụ “co”. Với “là một trong”: các giá trị cách nhau bởi dấu phẩy."),
    )

    panels = [
        FieldRowPanel([FieldPanel("label"), FieldPanel("field_type", required_on_save=True)]),
        FieldPanel("help_text"),
        FieldRowPanel([FieldPanel("required"), FieldPanel("clean_name")]),
        FieldPanel("choices"),
        FieldPanel("default_value"),
        FieldRowPanel([FieldPanel("min_age"), FieldPanel("max_age")], heading=_("Trường ngày")),
        FieldRowPanel(
            [FieldPanel("max_size_mb"), FieldPanel("max_files"), FieldPanel("allowed_kinds")],
            heading=_("Trường tệp"),
        ),
        FieldRowPanel(
            [FieldPanel("condition_field"), FieldPanel("condition_operator"), FieldPanel("condition_value")],
            heading=_("Điều kiện hiển thị"),
        ),
    ]

    class Meta(AbstractFormField.Meta):
        verbose_name = _("trường biểu mẫu")
        verbose_name_plural = pgettext_lazy("plural", "trường biểu mẫu")

    def __str__(self):
        return self.label

    def get_field_clean_name(self):
        """`Số điện thoại` → `so_dien_thoai` (Wagtail's default keeps no Vietnamese letters readable).

        Steps and headings get a prefix (``buoc_…``, ``tieu_de_…``) so they never take an input's key.
        """
        if self.field_type in NON_INPUT_TYPES:
            return field_key(text_row_key_source({"field_type": self.field_type, "label": self.label}))
        return field_key(self.label)

    def save(self, *args, **kwargs):
        # Wagtail sets clean_name only when it is empty, so a key never changes with the label.
        self.clean_name = (self.clean_name or "").strip()
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.field_type in CHOICE_TYPES and not parse_choices(self.choices):
            raise ValidationError({"choices": _("Loại trường này cần ít nhất một lựa chọn.")})
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            raise ValidationError({"max_age": _("Tuổi tối đa phải lớn hơn hoặc bằng tuổi tối thiểu.")})
        if self.condition_field and not re.match(KEY_PATTERN, self.condition_field):
            raise ValidationError({"condition_field": _("Nhập mã của một trường khác, ví dụ loai_nguoi_de_nghi.")})
        unknown_kinds = [kind for kind in self.allowed_kinds_list() if kind not in UPLOAD_KIND_NAMES]
        if unknown_kinds:
            raise ValidationError(
                {
                    "allowed_kinds": _("Loại tệp không hỗ trợ: %(kinds)s. Chọn trong jpg, png, webp, pdf.")
                    % {"kinds": ", ".join(unknown_kinds)}
                }
            )
        if self.condition_field and not self.condition_value:
            raise ValidationError({"condition_value": _("Nhập giá trị để so sánh.")})

    @property
    def key(self):
        return self.clean_name or self.get_field_clean_name()

    @property
    def is_input(self):
        return self.field_type not in NON_INPUT_TYPES

    @property
    def condition(self):
        """``{"field": key, "operator": "eq", "value": "co"}`` or None."""
        if not self.condition_field:
            return None
        return {"field": self.condition_field, "operator": self.condition_operator, "value": self.condition_value}

    def get_choices(self):
        return parse_choices(self.choices)

    def allowed_kinds_list(self):
        return [kind.strip().lower().lstrip(".") for kind in self.allowed_kinds.split(",") if kind.strip()]


# --- dossiers ------------------------------------------------------------------------


class FormVersion(models.Model):
    """A frozen copy of a form's definition (labels, types, steps, choices, conditions).

    Dossiers point at the version they were filled in, so editing the form later never
    changes how an old dossier reads. Reused while the definition is unchanged (same hash).
    """

    form_page = models.ForeignKey(ApplicationFormPage, on_delete=models.PROTECT, related_name="versions")
    definition = models.JSONField(_("định nghĩa"))
    definition_hash = models.CharField(_("mã băm"), max_length=64)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("phiên bản biểu mẫu")
        verbose_name_plural = pgettext_lazy("plural", "phiên bản biểu mẫu")
        constraints = [
            models.UniqueConstraint(fields=["form_page", "definition_hash"], name="unique_form_version_hash")
        ]

    def __str__(self):
        return f"{self.form_page_id}@{self.definition_hash[:10]}"

    def field_labels(self):
        """``{key: label}`` of every input field of this version."""
        return {
            field["key"]: field["label"]
            for step in self.definition.get("steps", [])
            for field in step.get("fields", [])
            if field.get("type") not in NON_INPUT_TYPES
        }


class Timeliness(models.TextChoices):
    """How a finished dossier compares with its due date (national statistics, set by forms.review)."""

    EARLY = "truoc_han", _("Trước hạn")
    ON_TIME = "dung_han", _("Đúng hạn")
    LATE = "tre_han", _("Trễ hạn")


class Dossier(models.Model):
    """A citizen's application (hồ sơ): personal data, visible to the agency's officers only."""

    code = models.CharField(_("mã hồ sơ"), max_length=64, unique=True)
    form_page = models.ForeignKey(
        ApplicationFormPage, on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("biểu mẫu")
    )
    form_version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="dossiers")
    procedure = models.ForeignKey(
        "guides.GuidePage",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("thủ tục"),
        db_index=False,  # the (procedure, agency) index in Meta serves the foreign key too
    )
    # Indexed by the composite indexes in Meta, which all start with the agency.
    agency = models.ForeignKey(
        "cms.Agency",
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name=_("cơ quan tiếp nhận"),
        db_index=False,
    )
    status = models.CharField(
        _("trạng thái"), max_length=2, choices=DossierStatus.choices, default=DossierStatus.NEW, db_index=True
    )
    channel = models.PositiveSmallIntegerField(_("kênh nộp"), choices=Channel.choices, default=Channel.ONLINE)
    answers = models.JSONField(_("nội dung tờ khai"), default=dict)
    applicant_name = models.CharField(_("người nộp"), max_length=200, blank=True)
    applicant_phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("email"), blank=True)
    personal_id = models.CharField(_("số định danh cá nhân"), max_length=20, blank=True)
    result_delivery = models.CharField(
        _("cách nhận kết quả"), max_length=20, choices=ResultDelivery.choices, default=ResultDelivery.IN_PERSON
    )
    postal_address = models.TextField(_("địa chỉ nhận kết quả"), blank=True)
    notify_by = models.CharField(_("nhận thông báo qua"), max_length=8, choices=NotifyBy.choices, default=NotifyBy.ALL)
    language = models.CharField(_("ngôn ngữ"), max_length=10, default="vi")
    idempotency_key = models.CharField(max_length=100, null=True, blank=True, unique=True, editable=False)
    submitted_at = models.DateTimeField(_("nộp lúc"), default=timezone.now, db_index=True)
    received_at = models.DateTimeField(_("tiếp nhận lúc"), null=True, blank=True)
    due_date = models.DateField(_("ngày hẹn trả"), null=True, blank=True)
    # The review workflow (forms.review.services writes these; nothing else does).
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_dossiers",
        verbose_name=_("cán bộ thụ lý"),
    )
    processing_days = models.PositiveSmallIntegerField(_("thời hạn (ngày làm việc)"), null=True, blank=True)
    clock_paused_at = models.DateTimeField(_("tạm dừng tính hạn từ"), null=True, blank=True)
    paused_working_days = models.PositiveIntegerField(_("số ngày làm việc tạm dừng"), default=0)
    finished_at = models.DateTimeField(_("xử lý xong lúc"), null=True, blank=True)
    timeliness = models.CharField(_("tiến độ"), max_length=10, choices=Timeliness.choices, blank=True)
    returned_at = models.DateTimeField(_("trả kết quả lúc"), null=True, blank=True)
    return_method = models.CharField(_("cách trả kết quả"), max_length=20, choices=ResultDelivery.choices, blank=True)
    tracking_number = models.CharField(_("số vận đơn"), max_length=60, blank=True)
    result_file = models.ForeignKey(
        "DossierFile",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("tệp kết quả"),
    )
    # Code, applicant name and phone digits folded (no diacritics, đ → d, lower case) for the
    # officers' accent-insensitive search; kept up to date by forms.review.search on save.
    # PostgreSQL indexes it with pg_trgm (migration 0005), so "contains" stays fast.
    search_text = models.TextField(default="", blank=True, editable=False)

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = pgettext_lazy("plural", "hồ sơ")
        ordering = ["-submitted_at"]
        indexes = [
            # The officers' inbox (forms.review), chosen from EXPLAIN ANALYZE at 1,000,000 dossiers:
            # status counts, status filter sorted by due date, overdue (index-only scans);
            # receipt-date ranges; the procedures that have dossiers of an agency.
            models.Index(fields=["agency", "status", "due_date"], name="dossier_agency_status_due"),
            models.Index(fields=["agency", "received_at"], name="dossier_agency_received"),
            models.Index(fields=["procedure", "agency"], name="dossier_procedure_agency"),
            # Overdue candidates (statuses 2, 4, 9) in due-date order: the overdue list and its count.
            models.Index(
                fields=["agency", "due_date"],
                name="dossier_open_due",
                condition=models.Q(status__in=["2", "4", "9"]),
            ),
        ]

    def __str__(self):
        return self.code

    @property
    def status_enum(self):
        return DossierStatus(self.status)

    @property
    def citizen_status_label(self):
        return self.status_enum.citizen_label


class DossierFile(models.Model):
    """An uploaded file of a dossier, kept in private storage (no public URL)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="files")
    field_key = models.CharField(_("mã trường"), max_length=63)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(_("kiểu nội dung"), max_length=100)
    size = models.PositiveBigIntegerField(_("dung lượng"))
    sha256 = models.CharField(max_length=64)
    stored_name = models.CharField(_("tên lưu trữ"), max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tệp của hồ sơ")
        verbose_name_plural = pgettext_lazy("plural", "tệp của hồ sơ")
        ordering = ["pk"]

    def __str__(self):
        return self.original_name


class StatusChange(models.Model):
    """One entry of a dossier's history: who moved it from which status to which, and why."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="status_changes")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Trống: người dân (hoặc hệ thống)."),
    )
    from_status = models.CharField(_("từ trạng thái"), max_length=2, choices=DossierStatus.choices, blank=True)
    to_status = models.CharField(_("sang trạng thái"), max_length=2, choices=DossierStatus.choices)
    note = models.TextField(_("ghi chú"), blank=True)
    created_at = models.DateTimeField(_("lúc"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("lịch sử trạng thái")
        verbose_name_plural = pgettext_lazy("plural", "lịch sử trạng thái")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.dossier_id}: {self.from_status or '–'} → {self.to_status}"


class DossierCodeCounter(models.Model):
    """The last dossier number given by an agency on a day (Asia/Ho_Chi_Minh).

    Incremented by one ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` statement in
    forms.services, so concurrent submissions never share a number.
    """

    agency = models.ForeignKey("cms.Agency", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="unique_dossier_counter_day")]

    def __str__(self):
        return f"{self.agency_id} {self.day}: {self.last_number}"
