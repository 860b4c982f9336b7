"""Admin: retention periods per procedure (editable) and the record of retention runs (read-only)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet

from .models import RetentionRule, RetentionRun


class RetentionRuleViewSet(ModelViewSet):
    """Settings → Thời hạn lưu trữ: months per procedure; procedures without a rule use the default."""

    model = RetentionRule
    icon = "time"
    menu_label = _("Thời hạn lưu trữ")
    menu_order = 850
    add_to_settings_menu = True
    list_display = ["procedure", "months", "note"]
    form_fields = ["procedure", "months", "note"]
    copy_view_enabled = False


class RetentionRunViewSet(ModelViewSet):
    """Settings → Nhật ký xóa dữ liệu: each run of the retention rule, with counts per procedure."""

    model = RetentionRun
    icon = "history"
    menu_label = _("Nhật ký xóa dữ liệu")
    menu_order = 860
    add_to_settings_menu = True
    list_display = ["started_at", "dry_run", "dossiers", "files", "finished_at"]
    list_filter = ["dry_run"]
    ordering = ["-started_at"]
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["dry_run"]


retention_rule_viewset = RetentionRuleViewSet("retention_rules")
retention_run_viewset = RetentionRunViewSet("retention_runs")
