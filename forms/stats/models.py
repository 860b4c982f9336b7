"""Daily aggregates of dossier flows, so that figures for past days are sums of small rows.

Only flows that belong to one day are stored (received, processed, timeliness, ratings);
snapshots such as "in progress now" and "overdue now" are always computed live.
"""

import csv

from django.db import models
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
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
    stopped = models.PositiveIntegerField(_("dừng xử lý"), default=0)
    early = models.PositiveIntegerField(_("trước hạn"), default=0)
    on_time = models.PositiveIntegerField(_("đúng hạn"), default=0)
    late = models.PositiveIntegerField(_("trễ hạn"), default=0)
    ratings = models.PositiveIntegerField(_("lượt đánh giá"), default=0)
    satisfied_ratings = models.PositiveIntegerField(_("lượt hài lòng"), default=0)

    class Meta:
        verbose_name = _("số liệu ngày")
        verbose_name_plural = pgettext_lazy("plural", "số liệu ngày")
        indexes = [models.Index(fields=["day", "agency"], name="stats_daily_day_agency")]

    def __str__(self):
        return f"{self.day} {self.agency_id}/{self.procedure_id}"


class AggregatedDay(models.Model):
    """A day whose aggregates were built (a day without dossiers has no DailyAggregate row)."""

    day = models.DateField(_("ngày"), unique=True)
    built_at = models.DateTimeField(_("tổng hợp lúc"), auto_now=True)

    class Meta:
        verbose_name = _("ngày đã tổng hợp")
        verbose_name_plural = pgettext_lazy("plural", "ngày đã tổng hợp")

    def __str__(self):
        return str(self.day)


class StatisticsPage(RoutablePageMixin, Page):
    """The public statistics of dossiers (issue 8): editors place it and write its intro.

    Not a CachedPageMixin page: the figures change with the dossiers, not with publishing.
    Figures are read through forms.stats.caching (past days by aggregate build, today for a
    minute); browsers and proxies may keep a response for five minutes (Cache-Control below).
    """

    intro = RichTextField(_("giới thiệu"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = []
    template = "stats/statistics_page.html"
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("trang thống kê")
        verbose_name_plural = pgettext_lazy("plural", "trang thống kê")

    def _filter(self, request):
        from forms.review.calendar import local_day

        from .caching import cached_figures
        from .figures import make_scope
        from .forms import StatisticsFilterForm, default_period

        today = local_day()
        form = StatisticsFilterForm(request.GET or None, today=today, locale=self.locale)
        if request.GET:
            start, end, chosen, messages = form.selection()
        else:
            (start, end), chosen, messages = default_period(today), dict.fromkeys(("agency", "field", "procedure")), []
        scope = make_scope(**chosen)
        return form, cached_figures(start, end, scope=scope, today=today), chosen, messages

    @path("")
    def statistics(self, request):
        from . import presentation

        form, figures, chosen, messages = self._filter(request)
        response = self.render(
            request,
            context_overrides={
                "form": form,
                "figures": figures,
                "scope_names": presentation.scope_names(chosen),
                "messages_list": messages,
                "count_chart": presentation.count_chart(figures),
                "rate_chart": presentation.rate_chart(figures),
                "rows": presentation.figure_rows(figures),
                "index_rows": presentation.index_rows(figures),
                "query": request.GET.urlencode(),
                "csv_url": self.get_url(request) + self.reverse_subpage("csv"),
            },
        )
        patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
        return response

    @path("csv/", name="csv")
    def csv(self, request):
        from . import presentation

        _form, figures, chosen, _messages = self._filter(request)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="thong-ke-{figures.start}-{figures.end}.csv"'
        response.write("\ufeff")  # a byte order mark, so spreadsheet programs read UTF-8 Vietnamese
        writer = csv.writer(response)
        writer.writerow([_("Chỉ tiêu"), _("Giá trị"), _("Cách tính")])
        writer.writerow([_("Từ ngày"), figures.start.strftime("%d/%m/%Y"), ""])
        writer.writerow([_("Đến ngày"), figures.end.strftime("%d/%m/%Y"), ""])
        for label, name in presentation.scope_names(chosen, with_defaults=True):
            writer.writerow([label, name, ""])
        for label, value, formula in [*presentation.figure_rows(figures), *presentation.index_rows(figures)]:
            writer.writerow([label, "" if value is None else value, formula])
        patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
        return response


CACHE_SECONDS = 300
