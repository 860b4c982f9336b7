"""What the review workflow keeps beside the dossier.

The workflow's own columns (assignee, the paused SLA clock, completion and timeliness, how
the result was returned) are on ``forms.Dossier`` and written by forms.review.services only.
Here: the holiday calendar (edited in the admin), supplement requests, internal notes and
the citizen's rating.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from forms.models import Timeliness  # noqa: F401 - re-exported: the workflow's vocabulary


class Holiday(models.Model):
    """A public holiday (day off) or a swapped working day (a Saturday worked instead).

    Weekends are off unless a row with ``is_working_day_swap`` says otherwise; weekdays
    are working days unless a holiday row says otherwise.
    """

    date = models.DateField(_("ngày"), unique=True)
    name = models.CharField(_("tên"), max_length=200)
    is_working_day_swap = models.BooleanField(
        _("ngày làm bù"),
        default=False,
        help_text=_("Đánh dấu nếu đây là ngày cuối tuần phải đi làm (làm bù cho một ngày nghỉ được hoán đổi)."),
    )

    class Meta:
        verbose_name = _("ngày nghỉ lễ, làm bù")
        verbose_name_plural = pgettext_lazy("plural", "lịch nghỉ lễ, làm bù")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} – {self.name}"


class SupplementRequest(models.Model):
    """What an officer asked the citizen to add or correct (status 5), and what came back."""

    dossier = models.ForeignKey("portal_forms.Dossier", on_delete=models.CASCADE, related_name="supplement_requests")
    status_change = models.OneToOneField(
        "portal_forms.StatusChange", on_delete=models.CASCADE, related_name="supplement_request"
    )
    items = models.JSONField(_("nội dung cần bổ sung"), default=list, help_text=_("Mã các trường, tệp cần bổ sung."))
    message = models.TextField(_("lời nhắn"), blank=True)
    created_at = models.DateTimeField(_("yêu cầu lúc"), auto_now_add=True)
    fulfilled_at = models.DateTimeField(_("bổ sung lúc"), null=True, blank=True)
    previous_answers = models.JSONField(_("câu trả lời trước khi bổ sung"), default=dict)
    new_answers = models.JSONField(_("câu trả lời bổ sung"), default=dict)

    class Meta:
        verbose_name = _("yêu cầu bổ sung")
        verbose_name_plural = pgettext_lazy("plural", "yêu cầu bổ sung")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.dossier_id}: {', '.join(self.items)}"


class DossierNote(models.Model):
    """An officer's internal note on a dossier: never shown to the citizen."""

    dossier = models.ForeignKey("portal_forms.Dossier", on_delete=models.CASCADE, related_name="internal_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("ghi chú nội bộ"))
    created_at = models.DateTimeField(_("lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("ghi chú nội bộ")
        verbose_name_plural = pgettext_lazy("plural", "ghi chú nội bộ")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.dossier_id}: {self.text[:40]}"


class Satisfaction(models.TextChoices):
    """The per-dossier rating scale of the provincial portals [U]."""

    VERY_SATISFIED = "rat_hai_long", _("Rất hài lòng")
    SATISFIED = "hai_long", _("Hài lòng")
    NOT_SATISFIED = "khong_hai_long", _("Không hài lòng")


class DossierRating(models.Model):
    """The citizen's satisfaction with one dossier (at most one, after status 10, 3 or 8)."""

    dossier = models.OneToOneField(
        "portal_forms.Dossier", on_delete=models.CASCADE, primary_key=True, related_name="rating"
    )
    satisfaction = models.CharField(_("mức độ hài lòng"), max_length=20, choices=Satisfaction.choices)
    comment = models.TextField(_("góp ý"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("đánh giá lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("đánh giá hài lòng")
        verbose_name_plural = pgettext_lazy("plural", "đánh giá hài lòng")

    def __str__(self):
        return f"{self.dossier_id}: {self.satisfaction}"
