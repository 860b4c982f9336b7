"""What the statistics page and its CSV show: labelled rows with their formulas, and SVG bar charts.

The same rows feed the HTML table, the chart's data table and the CSV, so the three never
disagree. Nothing here reads personal data: only the counts of ``figures.Figures``.
"""

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def _name(obj, attribute="name"):
    if (get_language() or "").startswith("en"):
        return getattr(obj, f"{attribute}_en", "") or getattr(obj, attribute)
    return getattr(obj, attribute)


def scope_names(chosen, with_defaults=False):
    """[(label, name)] of the chosen agency, field and procedure (all of them with ``with_defaults``)."""
    rows = []
    for key, label, everything in (
        ("agency", _("Cơ quan"), _("Tất cả cơ quan")),
        ("field", _("Lĩnh vực"), _("Tất cả lĩnh vực")),
        ("procedure", _("Thủ tục"), _("Tất cả thủ tục")),
    ):
        chosen_one = chosen.get(key)
        if chosen_one is not None:
            rows.append((label, chosen_one.title if key == "procedure" else _name(chosen_one)))
        elif with_defaults:
            rows.append((label, everything))
    return rows


def figure_rows(figures):
    """(label, value, formula) of every published figure, in page order."""
    timed = _("(trước hạn + đúng hạn + trễ hạn)")
    return [
        (_("Tiếp nhận"), figures.received, _("trực tiếp + trực tuyến + bưu chính")),
        (_("Tiếp nhận trực tiếp"), figures.received_in_person, _("kênh 1, ngày tiếp nhận trong kỳ")),
        (_("Tiếp nhận trực tuyến"), figures.received_online, _("kênh 2, ngày tiếp nhận trong kỳ")),
        (_("Tiếp nhận qua bưu chính công ích"), figures.received_post, _("kênh 3, ngày tiếp nhận trong kỳ")),
        (
            _("Đã giải quyết"),
            figures.processed,
            _("đã xử lý xong, đã trả kết quả (9, 10) + rút sau khi tiếp nhận (7), trong kỳ"),
        ),
        (_("Trong đó rút hồ sơ"), figures.withdrawn, _("trạng thái 7, đã được tiếp nhận, ngày rút trong kỳ")),
        (_("Trước hạn"), figures.early, _("xong trước ngày hẹn trả")),
        (_("Đúng hạn"), figures.on_time, _("xong đúng ngày hẹn trả")),
        (_("Trễ hạn"), figures.late, _("xong sau ngày hẹn trả")),
        (_("Tỷ lệ trước hạn (%)"), figures.early_percent, _("trước hạn / %(timed)s × 100") % {"timed": timed}),
        (_("Tỷ lệ đúng hạn (%)"), figures.on_time_percent, _("đúng hạn / %(timed)s × 100") % {"timed": timed}),
        (_("Tỷ lệ trễ hạn (%)"), figures.late_percent, _("trễ hạn / %(timed)s × 100") % {"timed": timed}),
        (_("Đang giải quyết (hiện tại)"), figures.in_progress, _("trạng thái 2, 4 hôm nay")),
        (
            _("Tạm dừng"),
            figures.paused,
            _("chờ bổ sung (5) + chờ thực hiện nghĩa vụ tài chính (6) hôm nay + dừng xử lý (8) trong kỳ"),
        ),
        (_("Chờ bổ sung giấy tờ (hiện tại)"), figures.waiting_supplement, _("trạng thái 5, đã tiếp nhận, hôm nay")),
        (
            _("Chờ thực hiện nghĩa vụ tài chính (hiện tại)"),
            figures.waiting_payment,
            _("trạng thái 6, đã tiếp nhận, hôm nay"),
        ),
        (_("Dừng xử lý"), figures.stopped, _("trạng thái 8, ngày dừng trong kỳ")),
        (_("Quá hạn (hiện tại)"), figures.overdue, _("trạng thái 2, 4, 9 đã qua ngày hẹn trả")),
        (_("Lượt đánh giá"), figures.ratings, _("đánh giá gửi trong kỳ")),
    ]


def index_rows(figures):
    """(label, value, formula) of the Decision 766 style rates (QĐ 766/QĐ-TTg)."""
    timed = _("(trước hạn + đúng hạn + trễ hạn)")
    return [
        (
            _("Tỷ lệ giải quyết đúng hạn (%)"),
            figures.on_time_rate,
            _("(trước hạn + đúng hạn) / %(timed)s × 100") % {"timed": timed},
        ),
        (_("Tỷ lệ tiếp nhận trực tuyến (%)"), figures.online_rate, _("tiếp nhận trực tuyến / tiếp nhận × 100")),
        (
            _("Tỷ lệ thanh toán trực tuyến (%)"),
            _("Chưa ghi nhận"),
            _("hệ thống chưa lưu cách nộp lệ phí của hồ sơ, nên không tính tỷ lệ này"),
        ),
        (
            _("Tỷ lệ hài lòng (%)"),
            figures.satisfaction_rate,
            _("(rất hài lòng + hài lòng) / lượt đánh giá × 100"),
        ),
    ]


CHART_WIDTH = 640
BAR_HEIGHT = 24
BAR_GAP = 8
LABEL_WIDTH = 240


def _chart(values, *, largest, suffix=""):
    """Bars (label, value, y, width) scaled to ``largest``; a value of None draws no bar."""
    room = CHART_WIDTH - LABEL_WIDTH - 70
    bars = []
    for index, (label, value) in enumerate(values):
        width = round(room * float(value or 0) / largest) if largest else 0
        y = index * (BAR_HEIGHT + BAR_GAP)
        bars.append(
            {
                "label": label,
                "value": "—" if value is None else f"{value}{suffix}",
                "y": y,
                "text_y": y + 17,
                "width": width,
                "value_x": LABEL_WIDTH + width + 6,
            }
        )
    return {
        "bars": bars,
        "height": len(bars) * (BAR_HEIGHT + BAR_GAP),
        "width": CHART_WIDTH,
        "label_width": LABEL_WIDTH,
        "bar_height": BAR_HEIGHT,
    }


def count_chart(figures):
    """Dossier counts of the period, scaled to the largest."""
    values = [
        (_("Tiếp nhận"), figures.received),
        (_("Đã giải quyết"), figures.processed),
        (_("Trước hạn"), figures.early),
        (_("Đúng hạn"), figures.on_time),
        (_("Trễ hạn"), figures.late),
        (_("Đang giải quyết"), figures.in_progress),
        (_("Tạm dừng"), figures.paused),
        (_("Quá hạn"), figures.overdue),
    ]
    return _chart(values, largest=max(value for _label, value in values))


def rate_chart(figures):
    """The index rates on a 0–100 scale (a rate without data draws no bar and reads "—")."""
    values = [
        (_("Giải quyết đúng hạn"), figures.on_time_rate),
        (_("Tiếp nhận trực tuyến"), figures.online_rate),
        (_("Hài lòng"), figures.satisfaction_rate),
    ]
    return _chart(values, largest=100, suffix="%")
