"""Home and standard pages, site-wide settings, menus and agencies."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index

from .blocks import BaseStreamBlock, NoticeBlock
from .caching import CachedPageMixin


def _in_language(vi_value, en_value):
    """Pick the English variant of a bilingual setting when the visitor reads English."""
    if (get_language() or "vi").startswith("en") and en_value:
        return en_value
    return vi_value


class Agency(models.Model):
    """An administrative agency that publishes procedures and handles dossiers.

    `code` is the agency's identifier used as the first part of the dossier code
    (TT 01/2018/TT-VPCP art. 19), e.g. ``000.20.27.H56``.
    """

    name = models.CharField(_("tên cơ quan"), max_length=255, unique=True)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=255, blank=True)
    short_name = models.CharField(_("tên viết tắt"), max_length=50, blank=True)
    code = models.CharField(_("mã định danh"), max_length=40, unique=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=50, blank=True)
    email = models.EmailField(_("email"), blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="AgencyMembership",
        related_name="agencies",
        blank=True,
        verbose_name=_("cán bộ"),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("name_en"),
        FieldPanel("short_name"),
        FieldPanel("code"),
        FieldPanel("address"),
        FieldPanel("phone"),
        FieldPanel("email"),
    ]

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = pgettext_lazy("plural", "cơ quan")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def display_name(self):
        return _in_language(self.name, self.name_en)


class AgencyMembership(models.Model):
    """Links an officer to the agency whose dossiers they handle."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agency_memberships")

    class Meta:
        verbose_name = _("cán bộ của cơ quan")
        verbose_name_plural = pgettext_lazy("plural", "cán bộ của cơ quan")
        constraints = [models.UniqueConstraint(fields=["agency", "user"], name="unique_agency_member")]

    def __str__(self):
        return f"{self.user} – {self.agency}"


class HomePage(CachedPageMixin, Page):
    hero_title = models.CharField(_("tiêu đề lớn"), max_length=200)
    hero_text = models.TextField(_("lời giới thiệu"), blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("ảnh nền"),
    )
    hero_cta_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("trang nút hành động"),
    )
    hero_cta_text = models.CharField(_("chữ trên nút"), max_length=80, blank=True)
    featured_title = models.CharField(
        _("tiêu đề khối thủ tục nổi bật"), max_length=200, blank=True, default="Thủ tục thường dùng"
    )
    notices = StreamField(
        [("notice", NoticeBlock())],
        blank=True,
        verbose_name=_("thông báo"),
    )
    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("nội dung"))

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("hero_title"),
                FieldPanel("hero_text"),
                FieldPanel("hero_image"),
                PageChooserPanel("hero_cta_page"),
                FieldPanel("hero_cta_text"),
            ],
            heading=_("Phần đầu trang"),
        ),
        MultiFieldPanel(
            [FieldPanel("featured_title"), InlinePanel("featured_procedures", label=_("Thủ tục"))],
            heading=_("Thủ tục nổi bật"),
        ),
        FieldPanel("notices"),
        FieldPanel("body"),
    ]

    search_fields = [*Page.search_fields, index.SearchField("hero_text"), index.SearchField("body")]

    max_count_per_parent = 1
    parent_page_types = ["wagtailcore.Page"]
    template = "pages/home_page.html"

    class Meta:
        verbose_name = _("trang chủ")
        verbose_name_plural = pgettext_lazy("plural", "trang chủ")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The hero has its own, larger search box.
        context["hide_header_search"] = True
        return context


class FeaturedProcedure(Orderable):
    """A page (usually a procedure guide) highlighted on the home page."""

    home = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_procedures")
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+", verbose_name=_("trang"))
    description = models.CharField(_("mô tả ngắn"), max_length=250, blank=True)

    panels = [PageChooserPanel("page"), FieldPanel("description")]

    class Meta(Orderable.Meta):
        verbose_name = _("thủ tục nổi bật")
        verbose_name_plural = pgettext_lazy("plural", "thủ tục nổi bật")


class StandardPage(CachedPageMixin, Page):
    intro = models.TextField(_("tóm tắt"), blank=True)
    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("nội dung"))
    show_contact_details = models.BooleanField(
        _("hiện thông tin liên hệ"),
        default=False,
        help_text=_("Hiện địa chỉ, đường dây nóng và giờ làm việc của cơ quan (lấy từ Cài đặt)."),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body"), FieldPanel("show_contact_details")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    template = "pages/standard_page.html"

    class Meta:
        verbose_name = _("trang nội dung")
        verbose_name_plural = pgettext_lazy("plural", "trang nội dung")


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """Header and footer details, editable under Settings in the admin."""

    agency_name = models.CharField(_("tên cơ quan"), max_length=255, default="Cổng dịch vụ công")
    agency_name_en = models.CharField(_("tên cơ quan (tiếng Anh)"), max_length=255, blank=True)
    parent_agency = models.CharField(_("cơ quan chủ quản"), max_length=255, blank=True)
    parent_agency_en = models.CharField(_("cơ quan chủ quản (tiếng Anh)"), max_length=255, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("logo"),
    )
    hotline = models.CharField(_("đường dây nóng"), max_length=50, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    address_en = models.CharField(_("địa chỉ (tiếng Anh)"), max_length=255, blank=True)
    working_hours = models.CharField(_("giờ làm việc"), max_length=255, blank=True)
    working_hours_en = models.CharField(_("giờ làm việc (tiếng Anh)"), max_length=255, blank=True)
    facebook_url = models.URLField(_("Facebook"), blank=True)
    youtube_url = models.URLField(_("YouTube"), blank=True)
    zalo_url = models.URLField(_("Zalo"), blank=True)

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("agency_name"),
                FieldPanel("agency_name_en"),
                FieldPanel("parent_agency"),
                FieldPanel("parent_agency_en"),
                FieldPanel("logo"),
            ],
            heading=_("Cơ quan"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("hotline"),
                FieldPanel("email"),
                FieldPanel("address"),
                FieldPanel("address_en"),
                FieldPanel("working_hours"),
                FieldPanel("working_hours_en"),
            ],
            heading=_("Liên hệ"),
        ),
        MultiFieldPanel(
            [FieldPanel("facebook_url"), FieldPanel("youtube_url"), FieldPanel("zalo_url")],
            heading=_("Mạng xã hội"),
        ),
    ]

    class Meta:
        verbose_name = _("thông tin cổng")
        verbose_name_plural = pgettext_lazy("plural", "thông tin cổng")

    @property
    def display_agency_name(self):
        return _in_language(self.agency_name, self.agency_name_en)

    @property
    def display_parent_agency(self):
        return _in_language(self.parent_agency, self.parent_agency_en)

    @property
    def display_address(self):
        return _in_language(self.address, self.address_en)

    @property
    def display_working_hours(self):
        return _in_language(self.working_hours, self.working_hours_en)


class Menu(TranslatableMixin, ClusterableModel):
    """A navigation menu (header or footer), one per language, edited as a snippet."""

    class Location(models.TextChoices):
        HEADER = "header", _("Đầu trang")
        FOOTER = "footer", _("Chân trang")

    location = models.CharField(_("vị trí"), max_length=20, choices=Location.choices)
    title = models.CharField(_("tên"), max_length=100)

    panels = [FieldPanel("title"), FieldPanel("location"), InlinePanel("items", label=_("Mục"))]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("menu")
        verbose_name_plural = pgettext_lazy("plural", "menu")
        constraints = [
            models.UniqueConstraint(fields=["location", "locale"], name="unique_menu_location_per_locale"),
        ]

    def __str__(self):
        return f"{self.title} ({self.get_location_display()})"


def validate_menu_link(value):
    """A menu link is a path on this site ("/tra-cuu/") or a full http(s) address."""
    if value.startswith("/") and not value.startswith("//"):
        if any(character.isspace() for character in value):
            raise ValidationError(_("Đường dẫn không được chứa khoảng trắng."))
        return
    URLValidator(schemes=["http", "https"], message=_("Nhập đường dẫn bắt đầu bằng / hoặc địa chỉ https://…"))(value)


class MenuItem(Orderable):
    menu = ParentalKey(Menu, on_delete=models.CASCADE, related_name="items")
    label = models.CharField(_("nhãn"), max_length=100, blank=True, help_text=_("Để trống để dùng tiêu đề trang."))
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("trang")
    )
    url = models.CharField(
        _("liên kết"),
        max_length=500,
        blank=True,
        validators=[validate_menu_link],
        help_text=_("Đường dẫn trong cổng (ví dụ /tra-cuu/) hoặc địa chỉ đầy đủ bắt đầu bằng https://."),
    )

    panels = [FieldPanel("label"), PageChooserPanel("page"), FieldPanel("url")]

    class Meta(Orderable.Meta):
        verbose_name = _("mục menu")
        verbose_name_plural = pgettext_lazy("plural", "mục menu")

    def clean(self):
        if bool(self.page) == bool(self.url):
            raise ValidationError(_("Chọn một trang hoặc nhập một liên kết (chỉ một trong hai)."))
        if self.url and not self.label:
            raise ValidationError({"label": _("Liên kết cần có nhãn.")})

    @property
    def link(self):
        if self.page_id:
            return self.page.localized.url
        return self.url

    @property
    def text(self):
        if self.label:
            return self.label
        return self.page.localized.title if self.page_id else self.url
