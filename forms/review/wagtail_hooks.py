"""Admin registration for the review workflow (registration only)."""

from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from forms.models import Dossier

from .services import ACTIONS
from .viewsets import DossierPermissionPolicy, dossier_viewset, holiday_viewset

# Dossier rights come from agency membership (forms.permissions), not Django model permissions.
register_permission_policy(Dossier, DossierPermissionPolicy(Dossier))

LOG_ACTIONS = {
    "received": (_("Tiếp nhận hồ sơ"), _("Hồ sơ đã được tiếp nhận")),
    "refused": (_("Từ chối tiếp nhận hồ sơ"), _("Hồ sơ không được tiếp nhận")),
    "assigned": (_("Phân công hồ sơ"), _("Hồ sơ đã được phân công")),
    "processing_started": (_("Chuyển xử lý hồ sơ"), _("Hồ sơ được chuyển sang đang xử lý")),
    "supplement_requested": (_("Yêu cầu bổ sung hồ sơ"), _("Đã yêu cầu người dân bổ sung hồ sơ")),
    "fee_requested": (_("Yêu cầu nộp lệ phí"), _("Đã yêu cầu người dân nộp lệ phí")),
    "resumed": (_("Tiếp tục xử lý hồ sơ"), _("Hồ sơ được tiếp tục xử lý")),
    "supplement_submitted": (_("Người dân bổ sung hồ sơ"), _("Người dân đã gửi hồ sơ bổ sung")),
    "finished": (_("Xử lý xong hồ sơ"), _("Hồ sơ đã xử lý xong")),
    "stopped": (_("Dừng xử lý hồ sơ"), _("Hồ sơ bị dừng xử lý")),
    "result_returned": (_("Trả kết quả"), _("Đã trả kết quả cho người dân")),
    "withdrawn": (_("Rút hồ sơ"), _("Hồ sơ đã được rút")),
    "note_added": (_("Thêm ghi chú nội bộ"), _("Đã thêm ghi chú nội bộ")),
    "viewed": (_("Xem hồ sơ"), _("Cán bộ đã mở hồ sơ")),
    "rated": (_("Đánh giá hài lòng"), _("Người dân đã đánh giá mức độ hài lòng")),
}


@hooks.register("register_log_actions")
def register_review_log_actions(actions):
    for key, (label, message) in LOG_ACTIONS.items():
        actions.register_action(ACTIONS[key], label, message)


@hooks.register("register_admin_viewset")
def register_holiday_viewset():
    return holiday_viewset


@hooks.register("register_admin_viewset")
def register_dossier_viewset():
    return dossier_viewset


@hooks.register("insert_global_admin_css")
def review_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("review/css/admin.css"))
