"""State of the review workflow kept beside the dossier.

``DossierProcessing`` (one row per dossier, created on the first officer action) holds
what the workflow adds to a dossier: assignee, the paused SLA clock, completion and
timeliness, how the result was returned. The dossier's own ``received_at``/``due_date``
stay on ``forms.Dossier``. ``Holiday`` is the working-day calendar, edited in the admin.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from forms.constants import ResultDelivery


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
        verbose_name_plural = _("lịch nghỉ lễ, làm bù")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} – {self.name}"


class Timeliness(models.TextChoices):
    """How a finished dossier compares with its due date (national statistics)."""

    EARLY = "truoc_han", _("Trước hạn")
    ON_TIME = "dung_han", _("Đúng hạn")
    LATE = "tre_han", _("Trễ hạn")


class DossierProcessing(models.Model):
    """Workflow state of one dossier (written only by forms.review.services)."""

    dossier = models.OneToOneField(
        "portal_forms.Dossier", on_delete=models.CASCADE, primary_key=True, related_name="processing"
    )
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
        "portal_forms.DossierFile",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("tệp kết quả"),
    )

    class Meta:
        verbose_name = _("tình trạng xử lý hồ sơ")
        verbose_name_plural = _("tình trạng xử lý hồ sơ")
        indexes = [models.Index(fields=["assignee"], name="processing_assignee")]

    def __str__(self):
        return f"{self.dossier_id}"


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
        verbose_name_plural = _("yêu cầu bổ sung")
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
        verbose_name_plural = _("ghi chú nội bộ")
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
        verbose_name_plural = _("đánh giá hài lòng")

    def __str__(self):
        return f"{self.dossier_id}: {self.satisfaction}"
