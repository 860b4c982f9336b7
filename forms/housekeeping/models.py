"""Retention rules per procedure, the mark left on an erased dossier, and the audit of each run.

Personal data of a finished dossier is kept for a number of months (``RetentionRule`` per
procedure, else ``settings.PORTAL_RETENTION_MONTHS``), then erased by ``retention.apply_retention``.
The dossier row itself stays (code, procedure, statuses, history, dates, timeliness), so the
statistics do not change; ``DossierErasure`` says when and under which rule it was emptied.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RetentionRule(models.Model):
    """How long the personal data of one procedure's finished dossiers is kept."""

    procedure = models.OneToOneField(
        "guides.GuidePage",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("thủ tục"),
    )
    months = models.PositiveSmallIntegerField(
        _("số tháng lưu trữ"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(1200)],
        help_text=_(
            "Sau số tháng này kể từ khi hồ sơ kết thúc, dữ liệu cá nhân và tệp của hồ sơ bị xóa. "
            "Để trống: lưu trữ vĩnh viễn (không bao giờ xóa)."
        ),
    )
    note = models.CharField(
        _("căn cứ"), max_length=255, blank=True, help_text=_("Văn bản quy định thời hạn lưu trữ (nếu có).")
    )

    class Meta:
        verbose_name = _("thời hạn lưu trữ hồ sơ")
        verbose_name_plural = pgettext_lazy("plural", "thời hạn lưu trữ hồ sơ")

    def __str__(self):
        return self.procedure.title


class RetentionRun(models.Model):
    """One run of the retention rule (dry or real): what it erased, per procedure, for the audit."""

    started_at = models.DateTimeField(_("bắt đầu lúc"))
    finished_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    dry_run = models.BooleanField(_("chạy thử"), default=False)
    dossiers = models.PositiveIntegerField(_("số hồ sơ"), default=0)
    files = models.PositiveIntegerField(_("số tệp"), default=0)
    # {"<procedure id or 'none'>": {"title": ..., "months": ..., "dossiers": n, "files": n}}: no personal data.
    per_procedure = models.JSONField(_("theo thủ tục"), default=dict)

    class Meta:
        verbose_name = _("lần xóa dữ liệu hết hạn lưu trữ")
        verbose_name_plural = pgettext_lazy("plural", "nhật ký xóa dữ liệu hết hạn lưu trữ")
        ordering = ["-started_at", "-pk"]

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M} ({self.dossiers})"


class DossierErasure(models.Model):
    """The mark of a dossier whose personal data and files were erased under the retention rule."""

    dossier = models.OneToOneField(
        "portal_forms.Dossier", on_delete=models.CASCADE, primary_key=True, related_name="erasure"
    )
    erased_at = models.DateTimeField(_("xóa lúc"))
    retention_months = models.PositiveSmallIntegerField(_("thời hạn lưu trữ (tháng)"))
    run = models.ForeignKey(RetentionRun, null=True, on_delete=models.SET_NULL, related_name="erasures")

    class Meta:
        verbose_name = _("hồ sơ đã xóa dữ liệu cá nhân")
        verbose_name_plural = pgettext_lazy("plural", "hồ sơ đã xóa dữ liệu cá nhân")

    def __str__(self):
        return f"{self.dossier_id} @ {self.erased_at:%Y-%m-%d}"
