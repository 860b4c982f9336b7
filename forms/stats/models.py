"""Daily aggregates of dossier flows, so that figures for past days are sums of small rows.

Only flows that belong to one day are stored (received, processed, timeliness, ratings);
snapshots such as "in progress now" and "overdue now" are always computed live.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
