"""QR codes that link printed leaflets and posters to guides.

A `QRCode` has a short code that is printed on paper, so it never changes once made:
it is generated on first save, is not a form field, and `save()` refuses to change it.
Editors may change where it points (a page, optionally a step anchor such as
``buoc-3``, or an external http(s) URL) without reprinting anything.

Scans are counted per code per day in `QRScanDaily` and nothing else is stored about
the visitor: no IP address, no user agent.
"""

import secrets

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator, URLValidator
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, PageChooserPanel, Panel
from wagtail.models import Orderable

__all__ = [
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "CODE_MAX_LENGTH",
    "QRCode",
    "QRCodesPanel",
    "QRScanDaily",
    "QRSet",
    "QRSetItem",
    "new_qr_code",
]

# Upper-case letters and digits without the look-alikes 0/O, 1/I/L: a code read aloud
# over the phone or typed from paper cannot be mistaken. 31**7 ≈ 2.7e10 codes.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 7
CODE_MAX_LENGTH = 16
CODE_ATTEMPTS = 10

http_url_validator = URLValidator(
    schemes=["http", "https"],
    message=_("Nhập một địa chỉ web bắt đầu bằng http:// hoặc https://."),
)
anchor_validator = RegexValidator(
    r"^[a-z0-9][a-z0-9-]*$",
    message=_("Neo chỉ gồm chữ thường không dấu, số và dấu gạch ngang, ví dụ buoc-3."),
)


def new_qr_code():
    """A random code from the unambiguous alphabet (uniqueness is checked on save)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class QRCode(models.Model):
    """A printed QR code: ``/q/<code>`` redirects to a page (and step) or an external URL."""

    code = models.CharField(
        _("mã"),
        max_length=CODE_MAX_LENGTH,
        unique=True,
        editable=False,
        help_text=_("Tạo tự động khi lưu. Không thể đổi sau khi tạo, vì mã đã được in."),
    )
    label = models.CharField(
        _("nhãn"),
        max_length=255,
        help_text=_("In dưới mã QR, ví dụ tên thủ tục hoặc tên bước."),
    )
    page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="qr_codes",
        verbose_name=_("trang đích"),
    )
    anchor = models.CharField(
        _("bước (neo trong trang)"),
        max_length=60,
        blank=True,
        validators=[anchor_validator],
        help_text=_("Không bắt buộc. Ví dụ buoc-3 để mở thẳng bước 3 của hướng dẫn."),
    )
    url = models.URLField(
        _("địa chỉ bên ngoài"),
        max_length=500,
        blank=True,
        validators=[http_url_validator],
        help_text=_("Dùng thay cho trang đích, ví dụ https://dichvucong.gov.vn. Chỉ nhận http:// hoặc https://."),
    )
    is_active = models.BooleanField(
        _("đang dùng"),
        default=True,
        help_text=_("Tắt để mã dẫn tới trang “không tìm thấy” thay vì chuyển hướng."),
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)

    panels = [
        FieldPanel("code", read_only=True),
        FieldPanel("label"),
        PageChooserPanel("page"),
        FieldPanel("anchor"),
        FieldPanel("url"),
        FieldPanel("is_active"),
    ]

    class Meta:
        verbose_name = _("mã QR")
        verbose_name_plural = pgettext_lazy("plural", "mã QR")
        ordering = ["label", "pk"]
        constraints = [
            # The database refuses a code that points at a page and a URL at once; "at
            # least one target" is checked in clean(), since deleting a page leaves its
            # codes without one (they then answer 404).
            models.CheckConstraint(
                condition=models.Q(page__isnull=True) | models.Q(url=""),
                name="qrcode_page_or_url_not_both",
            ),
        ]

    def __str__(self):
        return f"{self.label} ({self.code})" if self.code else self.label

    def clean(self):
        super().clean()
        has_page = bool(self.page_id)
        has_url = bool(self.url)
        if has_page and has_url:
            message = _("Chọn một trang đích hoặc nhập một địa chỉ bên ngoài, không chọn cả hai.")
            raise ValidationError({"page": message, "url": message})
        if not has_page and not has_url:
            message = _("Chọn một trang đích hoặc nhập một địa chỉ bên ngoài bắt đầu bằng http:// hoặc https://.")
            raise ValidationError({"page": message, "url": message})
        if self.anchor and not has_page:
            raise ValidationError({"anchor": _("Chỉ dùng bước (neo) khi mã trỏ tới một trang.")})

    def save(self, *args, **kwargs):
        if self.pk is None and not self.code:
            return self._save_with_new_code(*args, **kwargs)
        if self.pk is not None:
            stored = type(self).objects.filter(pk=self.pk).values_list("code", flat=True).first()
            if stored is not None and stored != self.code:
                raise ValueError("A printed QR code never changes its code.")
        return super().save(*args, **kwargs)

    def _save_with_new_code(self, *args, **kwargs):
        # The unique index is the real guard; a collision (about 1 in 10^10 per pair)
        # just draws again inside a savepoint.
        for _attempt in range(CODE_ATTEMPTS):
            self.code = new_qr_code()
            try:
                with transaction.atomic():
                    return super().save(*args, **kwargs)
            except IntegrityError:
                if not type(self).objects.filter(code=self.code).exists():
                    raise
                self.pk = None
        raise IntegrityError("Could not draw a unique QR code.")

    # --- where it points ---------------------------------------------------------------

    def get_target_url(self, request=None, language=None):
        """The URL a scan is sent to, or None when the code has nowhere to go.

        With a `language` (the one the visitor's browser asks for), a page that has a
        live translation in it sends the visitor there instead, at the same anchor.
        """
        if self.url:
            return self.url
        if not self.page_id:
            return None
        page = self.page
        if not page.live:
            return None
        if language:
            page = self._live_translation(page, language) or page
        page_url = page.get_url(request=request)
        if not page_url:
            return None
        return f"{page_url}#{self.anchor}" if self.anchor else page_url

    @staticmethod
    def _live_translation(page, language):
        if page.locale.language_code == language:
            return None
        return page.get_translations().filter(locale__language_code=language).live().first()

    @property
    def target_display(self):
        if self.url:
            return self.url
        if self.page_id:
            return f"{self.page.title} #{self.anchor}" if self.anchor else self.page.title
        return "—"

    def get_public_path(self):
        return reverse("guides:qr_redirect", kwargs={"code": self.code})


class QRScanDaily(models.Model):
    """How many times a code was scanned on one day (local time). Nothing about who scanned."""

    qr_code = models.ForeignKey(QRCode, on_delete=models.CASCADE, related_name="scans", verbose_name=_("mã QR"))
    day = models.DateField(_("ngày"))
    count = models.PositiveIntegerField(_("số lượt quét"), default=0)

    class Meta:
        verbose_name = _("lượt quét theo ngày")
        verbose_name_plural = pgettext_lazy("plural", "lượt quét theo ngày")
        ordering = ["-day"]
        constraints = [models.UniqueConstraint(fields=["qr_code", "day"], name="unique_qr_scan_day")]

    def __str__(self):
        return f"{self.qr_code_id} {self.day}: {self.count}"


class QRSet(ClusterableModel):
    """An ordered set of QR codes printed together on an A4 poster sheet."""

    title = models.CharField(_("tiêu đề"), max_length=255)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)

    panels = [
        FieldPanel("title"),
        InlinePanel("items", heading=_("Các mã QR"), label=_("Mã QR"), min_num=1),
    ]

    class Meta:
        verbose_name = _("bộ mã QR")
        verbose_name_plural = pgettext_lazy("plural", "bộ mã QR")
        ordering = ["title"]

    def __str__(self):
        return self.title

    def ordered_qr_codes(self):
        return [item.qr_code for item in self.items.select_related("qr_code").order_by("sort_order")]


class QRSetItem(Orderable):
    qr_set = ParentalKey(QRSet, on_delete=models.CASCADE, related_name="items")
    qr_code = models.ForeignKey(QRCode, on_delete=models.CASCADE, related_name="+", verbose_name=_("mã QR"))

    panels = [FieldPanel("qr_code")]

    class Meta(Orderable.Meta):
        verbose_name = _("mã QR trong bộ")
        verbose_name_plural = pgettext_lazy("plural", "mã QR trong bộ")

    def __str__(self):
        return str(self.qr_code)


class QRCodesPanel(Panel):
    """Lists a page's QR codes in its editor, with a one-click "create" link.

    Add it to a page's panels: ``QRCodesPanel(heading=_("Mã QR"))``.
    """

    class BoundPanel(Panel.BoundPanel):
        template_name = "guides/qr/panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page = self.instance
            context["qr_codes"], context["create_url"], context["step_links"] = [], None, []
            if page is not None and page.pk:
                create_url = reverse("guides_qr_codes:add") + f"?page={page.pk}"
                context["qr_codes"] = list(QRCode.objects.filter(page_id=page.pk).order_by("created_at", "pk"))
                context["create_url"] = create_url
                # Pages with numbered steps (GuidePage.step_anchors) get one link per step.
                step_anchors = getattr(page, "step_anchors", None)
                if callable(step_anchors):
                    context["step_links"] = [
                        {"anchor": anchor, "title": title, "url": f"{create_url}&anchor={anchor}"}
                        for anchor, title in step_anchors()
                    ]
            context["list_url"] = reverse("guides_qr_codes:index")
            return context
