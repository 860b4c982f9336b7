"""Admin registration only (the viewsets live in viewsets.py)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from forms.notifications.viewsets import ViewOnlyPermissionPolicy

from .models import RetentionRun
from .retention import ERASED_ACTION
from .viewsets import retention_rule_viewset, retention_run_viewset

# A run is an audit record: staff with the view permission read it, nobody edits it.
register_permission_policy(RetentionRun, ViewOnlyPermissionPolicy(RetentionRun))


@hooks.register("register_log_actions")
def register_housekeeping_log_actions(actions):
    actions.register_action(
        ERASED_ACTION,
        _("Xóa dữ liệu cá nhân hết thời hạn lưu trữ"),
        _("Dữ liệu cá nhân và tệp của hồ sơ đã được xóa theo thời hạn lưu trữ"),
    )


@hooks.register("register_admin_viewset")
def register_retention_rule_viewset():
    return retention_rule_viewset


@hooks.register("register_admin_viewset")
def register_retention_run_viewset():
    return retention_run_viewset
