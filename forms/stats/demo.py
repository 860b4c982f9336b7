"""Demo content of forms.stats: the statistics page at /thong-ke/ and its English translation."""

from cms.demo import ensure_menu_entry
from cms.models import Menu

from .models import StatisticsPage

SLUG = "thong-ke"
SLUG_EN = "statistics"


def seed(report, context):
    """Idempotent: each page is made once, found by its slug (or translation) afterwards."""
    home = context["home"]
    page = StatisticsPage.objects.child_of(home).filter(slug=SLUG).first()
    if page is None:
        page = StatisticsPage(
            title="Thống kê giải quyết hồ sơ",
            slug=SLUG,
            locale=home.locale,
            intro="<p>Số liệu tiếp nhận và giải quyết hồ sơ theo kỳ, tính từ hệ thống; không có thông tin cá nhân.</p>",
        )
        home.add_child(instance=page)
        page.save_revision().publish()
        report.made("trang thống kê")
    home_en = context.get("home_en")
    if home_en is not None and page.get_translation_or_none(home_en.locale) is None:
        page_en = page.copy_for_translation(home_en.locale)
        page_en.title = "Dossier statistics"
        page_en.slug = SLUG_EN
        page_en.intro = (
            "<p>Dossiers received and processed in a period, computed by the portal itself; no personal data.</p>"
        )
        page_en.save_revision().publish()
        report.made("statistics page (en)")
    ensure_menu_entry(report, home.locale, Menu.Location.FOOTER, page=page)
    if home_en is not None:
        translation = page.get_translation_or_none(home_en.locale)
        if translation is not None:
            ensure_menu_entry(report, home_en.locale, Menu.Location.FOOTER, page=translation)
    return context
