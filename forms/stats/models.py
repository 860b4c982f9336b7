"""Daily aggregates of dossier flows, so that figures for past days are sums of small rows.

Only flows that belong to one day are stored (received, processed, timeliness, ratings);
snapshots such as "in progress now" and "overdue now" are always computed live.
"""

import csv

from django.db import models
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page


class DailyAggregate(models.Model):
    """The counts of one local day (Asia/Ho_Chi_Minh) for one agency and procedure.

    Written only by ``forms.stats.aggregates.rebuild_day``; holds no personal data.
    """

    day = models.DateField(_("ngày"))
    agency = models.ForeignKey("cms.Agency", on_delete=models.CASCADE, related_name="+", verbose_name=_("cơ quan"))
    procedure = models.ForeignKey(
        "guides.GuidePage", null=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("thủ tục")
    )
    received_in_person = models.PositiveIntegerField(_("tiếp nhận trực tiếp"), default=0)
    received_online = models.PositiveIntegerField(_("tiếp nhận trực tuyến"), default=0)
    received_post = models.PositiveIntegerField(_("tiếp nhận qua bưu chính"), default=0)
    finished = models.PositiveIntegerField(_("đã giải quyết xong"), default=0)
    withdrawn = models.PositiveIntegerField(_("rút hồ sơ"), default=0)
    early = models.PositiveIntegerField(_("trước hạn"), default=0)
    on_time = models.PositiveIntegerField(_("đúng hạn"), default=0)
    late = models.PositiveIntegerField(_("trễ hạn"), default=0)
    ratings = models.PositiveIntegerField(_("lượt đánh giá"), default=0)
    satisfied_ratings = models.PositiveIntegerField(_("lượt hài lòng"), default=0)

    class Meta:
        verbose_name = _("số liệu ngày")
        verbose_name_plural = _("số liệu ngày")
        indexes = [models.Index(fields=["day", "agency"], name="stats_daily_day_agency")]

    def __str__(self):
        return f"{self.day} {self.agency_id}/{self.procedure_id}"


class AggregatedDay(models.Model):
    """A day whose aggregates were built (a day without dossiers has no DailyAggregate row)."""

    day = models.DateField(_("ngày"), unique=True)
    built_at = models.DateTimeField(_("tổng hợp lúc"), auto_now=True)

    class Meta:
        verbose_name = _("ngày đã tổng hợp")
        verbose_name_plural = _("ngày đã tổng hợp")

    def __str__(self):
        return str(self.day)


class StatisticsPage(RoutablePageMixin, Page):
    """The public statistics of dossiers (issue 8): editors place it and write its intro.

    Not a CachedPageMixin page: the figures depend on the query string; browsers and
    proxies may keep a response for five minutes (Cache-Control below).
    """

    intro = RichTextField(_("giới thiệu"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = []
    template = "stats/statistics_page.html"
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("trang thống kê")
        verbose_name_plural = _("trang thống kê")

    def _filter(self, request):
        from .figures import compute_figures
        from .forms import StatisticsFilterForm

        form = StatisticsFilterForm(request.GET or None)
        if request.GET:
            start, end, agency, messages = form.period_and_agency()
        else:
            from .forms import default_period

            (start, end), agency, messages = default_period(), None, []
        return form, compute_figures(start, end, agency=agency), agency, messages

    @path("")
    def statistics(self, request):
        form, figures, agency, messages = self._filter(request)
        response = self.render(
            request,
            context_overrides={
                "form": form,
                "figures": figures,
                "agency": agency,
                "messages_list": messages,
                "chart": chart_bars(figures),
                "rows": figure_rows(figures),
                "query": request.GET.urlencode(),
                "csv_url": self.get_url(request) + self.reverse_subpage("csv"),
            },
        )
        patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
        return response

    @path("csv/", name="csv")
    def csv(self, request):
        _form, figures, agency, _messages = self._filter(request)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="thong-ke-{figures.start}-{figures.end}.csv"'
        response.write("\ufeff")  # a byte order mark, so spreadsheet programs read UTF-8 Vietnamese
        writer = csv.writer(response)
        writer.writerow([_("Chỉ tiêu"), _("Giá trị")])
        writer.writerow([_("Từ ngày"), figures.start.strftime("%d/%m/%Y")])
        writer.writerow([_("Đến ngày"), figures.end.strftime("%d/%m/%Y")])
        writer.writerow([_("Cơ quan"), agency.name if agency else _("Tất cả cơ quan")])
        for label, value, _formula in figure_rows(figures):
            writer.writerow([label, "" if value is None else value])
        patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
        return response


CACHE_SECONDS = 300


def figure_rows(figures):
    """(label, value, formula) of every published figure, in page order."""
    return [
        (_("Tiếp nhận"), figures.received, _("trực tiếp + trực tuyến + bưu chính")),
        (_("Tiếp nhận trực tiếp"), figures.received_in_person, ""),
        (_("Tiếp nhận trực tuyến"), figures.received_online, ""),
        (_("Tiếp nhận qua bưu chính công ích"), figures.received_post, ""),
        (_("Đã giải quyết"), figures.processed, _("đã xử lý xong, đã trả kết quả (9, 10) + rút sau khi tiếp nhận (7)")),
        (_("Trong đó rút hồ sơ"), figures.withdrawn, ""),
        (_("Trước hạn"), figures.early, ""),
        (_("Đúng hạn"), figures.on_time, ""),
        (_("Trễ hạn"), figures.late, ""),
        (_("Tỷ lệ trước hạn (%)"), figures.early_percent, _("trước hạn / (trước hạn + đúng hạn + trễ hạn) × 100")),
        (_("Tỷ lệ đúng hạn (%)"), figures.on_time_percent, _("đúng hạn / (trước hạn + đúng hạn + trễ hạn) × 100")),
        (_("Tỷ lệ trễ hạn (%)"), figures.late_percent, _("trễ hạn / (trước hạn + đúng hạn + trễ hạn) × 100")),
        (_("Đang giải quyết (hiện tại)"), figures.in_progress, _("trạng thái 2, 4 hôm nay")),
        (_("Quá hạn (hiện tại)"), figures.overdue, _("trạng thái 2, 4, 9 đã qua ngày hẹn trả")),
        (_("Tỷ lệ trực tuyến (%)"), figures.online_rate, _("tiếp nhận trực tuyến / tiếp nhận × 100")),
        (_("Lượt đánh giá"), figures.ratings, ""),
        (_("Tỷ lệ hài lòng (%)"), figures.satisfaction_rate, _("(rất hài lòng + hài lòng) / lượt đánh giá × 100")),
    ]


CHART_WIDTH = 600
BAR_HEIGHT = 24
LABEL_WIDTH = 180


def chart_bars(figures):
    """Bars (label, value, y, width) of the counts, scaled to the largest, for the SVG chart."""
    values = [
        (_("Tiếp nhận"), figures.received),
        (_("Đã giải quyết"), figures.processed),
        (_("Trước hạn"), figures.early),
        (_("Đúng hạn"), figures.on_time),
        (_("Trễ hạn"), figures.late),
        (_("Đang giải quyết"), figures.in_progress),
        (_("Quá hạn"), figures.overdue),
    ]
    largest = max(value for _label, value in values) or 1
    room = CHART_WIDTH - LABEL_WIDTH - 60
    bars = [
        {
            "label": label,
            "value": value,
            "y": index * (BAR_HEIGHT + 8),
            "text_y": index * (BAR_HEIGHT + 8) + 17,
            "width": round(room * value / largest),
            "value_x": LABEL_WIDTH + round(room * value / largest) + 6,
        }
        for index, (label, value) in enumerate(values)
    ]
    return {"bars": bars, "height": len(bars) * (BAR_HEIGHT + 8), "width": CHART_WIDTH, "label_width": LABEL_WIDTH}
