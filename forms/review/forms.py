"""Small forms of the dossier page's actions, shared by the admin views and (later) the API.

Each carries ``expected_status``: the status the page showed. A page left open while a
colleague acted posts a stale status and the service refuses with a clear message.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from cms.models import AgencyMembership
from forms.constants import ResultDelivery

from .answers import input_fields
from .permissions import STAFF_GROUPS


class ActionForm(forms.Form):
    expected_status = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, dossier=None, **kwargs):
        self.dossier = dossier
        super().__init__(*args, **kwargs)

    def service_kwargs(self):
        data = dict(self.cleaned_data)
        return data


class NoteActionForm(ActionForm):
    note = forms.CharField(
        label=_("Ghi chú (không bắt buộc)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(ActionForm):
    reason = forms.CharField(label=_("Lý do (người dân sẽ đọc)"), widget=forms.Textarea(attrs={"rows": 3}))


class FeeForm(ActionForm):
    message = forms.CharField(
        label=_("Nội dung (số tiền, cách nộp)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SupplementForm(ActionForm):
    items = forms.MultipleChoiceField(label=_("Cần bổ sung, sửa"), widget=forms.CheckboxSelectMultiple, required=False)
    message = forms.CharField(label=_("Lời nhắn cho người dân"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, dossier=None, **kwargs):
        super().__init__(*args, dossier=dossier, **kwargs)
        if dossier is not None:
            self.fields["items"].choices = [
                (field["key"], field.get("label", field["key"])) for _step, field in input_fields(dossier.form_version)
            ]


class FinishForm(NoteActionForm):
    result_file = forms.FileField(label=_("Tệp kết quả (bản điện tử, nếu có)"), required=False)


class ReturnForm(NoteActionForm):
    method = forms.ChoiceField(label=_("Cách trả kết quả"), choices=ResultDelivery.choices)
    tracking_number = forms.CharField(label=_("Số vận đơn (bưu chính)"), required=False, max_length=60)
    result_file = forms.FileField(label=_("Tệp kết quả (trả điện tử)"), required=False)

    def __init__(self, *args, dossier=None, **kwargs):
        super().__init__(*args, dossier=dossier, **kwargs)
        if dossier is not None and not self.is_bound:
            self.fields["method"].initial = dossier.result_delivery


def staff_of_agency(agency_id):
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            groups__name__in=STAFF_GROUPS,
            pk__in=AgencyMembership.objects.filter(agency_id=agency_id).values("user_id"),
        )
        .distinct()
        .order_by("username")
    )


class AssignForm(ActionForm):
    assignee = forms.ModelChoiceField(label=_("Cán bộ thụ lý"), queryset=get_user_model().objects.none())

    def __init__(self, *args, dossier=None, **kwargs):
        super().__init__(*args, dossier=dossier, **kwargs)
        if dossier is not None:
            self.fields["assignee"].queryset = staff_of_agency(dossier.agency_id)
            self.fields["assignee"].label_from_instance = lambda user: user.get_full_name() or user.get_username()


class InternalNoteForm(forms.Form):
    text = forms.CharField(label=_("Ghi chú nội bộ (người dân không thấy)"), widget=forms.Textarea(attrs={"rows": 3}))


# action name → (button label, form class, service function name)
ACTION_FORMS = {
    "receive": (_("Tiếp nhận hồ sơ"), NoteActionForm, "receive_dossier"),
    "refuse": (_("Từ chối tiếp nhận"), ReasonForm, "refuse_dossier"),
    "start": (_("Chuyển xử lý"), NoteActionForm, "start_processing"),
    "request_supplement": (_("Yêu cầu bổ sung"), SupplementForm, "request_supplement"),
    "request_fee": (_("Yêu cầu nộp lệ phí"), FeeForm, "request_fee"),
    "resume": (_("Tiếp tục xử lý"), NoteActionForm, "resume_processing"),
    "finish": (_("Xử lý xong"), FinishForm, "finish_dossier"),
    "stop": (_("Dừng xử lý"), ReasonForm, "stop_processing"),
    "return_result": (_("Trả kết quả"), ReturnForm, "return_result"),
    "withdraw": (_("Ghi nhận rút hồ sơ (theo đề nghị của người dân)"), ReasonForm, "withdraw_dossier"),
}
