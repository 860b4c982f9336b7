"""Demo content of forms.stats: the statistics page at /thong-ke/ under the Vietnamese home page."""

from .models import StatisticsPage

SLUG = "thong-ke"


def seed(report, context):
    """Idempotent: the page is made once, found by its slug afterwards."""
    home = context["home"]
    if home.get_children().filter(slug=SLUG).exists():
        return context
    page = StatisticsPage(
        title="Thống kê giải quyết hồ sơ",
        slug=SLUG,
        locale=home.locale,
        intro="<p>Số liệu tiếp nhận và giải quyết hồ sơ theo kỳ, tính từ hệ thống; không có thông tin cá nhân.</p>",
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    report.made("trang thống kê")
    return context
