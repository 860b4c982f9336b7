"""Officers' views of a dossier in the admin: the dossier page, its action POSTs, notes, bulk actions.

Thin views: look the dossier up among those the user may see (404 otherwise, so another
agency's officer learns nothing, even by a crafted POST), validate a small form, call one
service, redirect back with a message. Pages hold personal data: ``private, no-store``.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.views import generic

from forms.constants import DossierStatus
from forms.permissions import dossiers_visible_to
from forms.views import private

from . import services
from .calendar import local_day
from .forms import ACTION_FORMS, AssignForm, InternalNoteForm, staff_of_agency
from .permissions import can_act_on, is_dossier_staff, is_manager
from .services import TransitionRefused
from .supplements import supplement_diffs

S = DossierStatus


def visible_dossier(request, pk):
    if not is_dossier_staff(request.user):
        raise PermissionDenied
    return get_object_or_404(
        dossiers_visible_to(request.user).select_related("procedure", "agency", "form_version", "assignee"),
        pk=pk,
    )


def inspect_url(dossier):
    return reverse("dossiers:inspect", args=[dossier.pk])


class DossierInspectView(generic.InspectView):
    """The dossier page: answers, files, timeline, internal notes and the actions allowed now."""

    any_permission_required = ["view"]
    template_name = "review/dossier_inspect.html"
    page_title = gettext_lazy("Hồ sơ")

    def get_object(self, queryset=None):
        return visible_dossier(self.request, self.pk)

    def get_fields(self):
        return []

    @cached_property
    def header_more_buttons(self):
        return []

    def get(self, request, *args, **kwargs):
        services.record_view(self.object, request.user)
        return private(super().get(request, *args, **kwargs))

    def get_context_data(self, **kwargs):
        from .answers import answer_sections
        from .viewsets import Deadline, mask_personal_id

        context = super().get_context_data(**kwargs)
        dossier = self.object
        files = list(dossier.files.all())
        can_act = can_act_on(self.request.user, dossier)
        actions = []
        if can_act:
            for name in services.allowed_actions(dossier):
                label, form_class, _service = ACTION_FORMS[name]
                # One form per action on the page: ids prefixed so labels stay unique.
                form = form_class(dossier=dossier, initial={"expected_status": dossier.status}, auto_id=f"{name}-%s")
                actions.append(
                    {
                        "name": name,
                        "label": label,
                        "form": form,
                        "url": reverse("dossiers:action", args=[dossier.pk, name]),
                        "multipart": form.is_multipart(),
                    }
                )
        context.update(
            dossier=dossier,
            masked_personal_id=mask_personal_id(dossier.personal_id),
            deadline=Deadline().describe(dossier),
            sections=answer_sections(dossier, files=files),
            result_files=[f for f in files if f.field_key == services.RESULT_FILE_KEY],
            timeline=dossier.status_changes.select_related("actor").order_by("created_at", "pk"),
            notes=dossier.internal_notes.select_related("author"),
            note_form=InternalNoteForm() if can_act else None,
            note_url=reverse("dossiers:note", args=[dossier.pk]),
            assign_form=AssignForm(dossier=dossier, initial={"assignee": dossier.assignee_id})
            if can_act and dossier.status not in (S.REFUSED, S.WITHDRAWN, S.STOPPED, S.DELIVERED)
            else None,
            assign_url=reverse("dossiers:assign", args=[dossier.pk]),
            actions=actions,
            supplement_diffs=supplement_diffs(dossier),
            history_url=reverse("dossiers:history", args=[dossier.pk])
            if is_manager(self.request.user, dossier.agency_id)
            else None,
            received_on=local_day(dossier.received_at) if dossier.received_at else None,
        )
        return context


def _back(dossier):
    return private(redirect(inspect_url(dossier)))


@require_POST
def dossier_action(request, pk, action):
    """One transition from the dossier page (a small POST form with CSRF)."""
    dossier = visible_dossier(request, pk)
    if action not in ACTION_FORMS:
        return _back(dossier)
    label, form_class, service_name = ACTION_FORMS[action]
    form = form_class(request.POST, request.FILES, dossier=dossier)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"{label}: {error}")
        return _back(dossier)
    data = form.service_kwargs()
    service = getattr(services, service_name)
    try:
        if service_name == "withdraw_dossier":
            service(dossier.pk, request.user, reason=data["reason"], expected_status=data["expected_status"])
        else:
            service(dossier.pk, request.user, **data)
    except TransitionRefused as refusal:
        messages.error(request, str(refusal))
    except PermissionDenied:
        messages.error(request, _("Bạn không có quyền xử lý hồ sơ này."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, f"{label}: {message}")
    else:
        messages.success(
            request, _("%(action)s: đã thực hiện với hồ sơ %(code)s.") % {"action": label, "code": dossier.code}
        )
    return _back(dossier)


@require_POST
def assign(request, pk):
    dossier = visible_dossier(request, pk)
    form = AssignForm(request.POST, dossier=dossier)
    if form.is_valid():
        try:
            services.assign_dossier(dossier.pk, request.user, form.cleaned_data["assignee"])
        except (TransitionRefused, ValidationError, PermissionDenied) as error:
            messages.error(request, _message(error))
        else:
            messages.success(request, _("Đã phân công hồ sơ %(code)s.") % {"code": dossier.code})
    else:
        messages.error(request, _("Chọn một cán bộ của cơ quan."))
    return _back(dossier)


@require_POST
def add_note(request, pk):
    dossier = visible_dossier(request, pk)
    form = InternalNoteForm(request.POST)
    if form.is_valid():
        try:
            services.add_note(dossier.pk, request.user, form.cleaned_data["text"])
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _message(error))
        else:
            messages.success(request, _("Đã lưu ghi chú nội bộ."))
    return _back(dossier)


def _message(error):
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    if isinstance(error, PermissionDenied):
        return _("Bạn không có quyền xử lý hồ sơ này.")
    return str(error)


def bulk(request):
    """Receive or assign several new dossiers at once (each through its own service call)."""
    if not is_dossier_staff(request.user):
        raise PermissionDenied
    candidates = (
        dossiers_visible_to(request.user)
        .filter(status__in=[S.NEW, S.ACCEPTED, S.PROCESSING])
        .select_related("procedure", "assignee")
        .order_by("submitted_at")[:200]
    )
    agency_ids = {dossier.agency_id for dossier in candidates}
    staff = staff_of_agency(next(iter(agency_ids))) if len(agency_ids) == 1 else None
    if request.method == "POST":
        ids = [int(value) for value in request.POST.getlist("dossier") if value.isdigit()]
        selected = list(dossiers_visible_to(request.user).filter(pk__in=ids))
        action = request.POST.get("action")
        done, refused = 0, []
        assignee = None
        if action == "assign":
            assignee = staff_of_agency_for(request, selected)
        for dossier in selected:
            try:
                if action == "receive":
                    services.receive_dossier(dossier.pk, request.user, expected_status=S.NEW)
                elif action == "assign" and assignee is not None:
                    services.assign_dossier(dossier.pk, request.user, assignee)
                else:
                    continue
                done += 1
            except (TransitionRefused, ValidationError, PermissionDenied) as error:
                refused.append(f"{dossier.code}: {_message(error)}")
        if done:
            messages.success(request, _("Đã xử lý %(count)d hồ sơ.") % {"count": done})
        for message in refused:
            messages.error(request, message)
        if not done and not refused:
            messages.warning(request, _("Chưa chọn hồ sơ hoặc thao tác."))
        return private(redirect(reverse("dossiers:bulk")))
    context = {
        "page_title": _("Tiếp nhận, phân công hàng loạt"),
        "header_title": _("Tiếp nhận, phân công hàng loạt"),
        "candidates": candidates,
        "staff": staff,
        "index_url": reverse("dossiers:index"),
    }
    return private(TemplateResponse(request, "review/dossier_bulk.html", context))


def staff_of_agency_for(request, selected):
    """The chosen assignee, if they may take every selected dossier (same agency)."""
    value = request.POST.get("assignee", "")
    if not value.isdigit() or not selected:
        return None
    agencies = {dossier.agency_id for dossier in selected}
    if len(agencies) != 1:
        messages.error(request, _("Chỉ phân công hàng loạt các hồ sơ của cùng một cơ quan."))
        return None
    return staff_of_agency(agencies.pop()).filter(pk=int(value)).first()


def statistics(request):
    """Satisfaction and timeliness per procedure, for managers (their agencies) and superusers."""
    from .reports import satisfaction_by_procedure, timeliness_by_procedure

    if not is_manager(request.user):
        raise PermissionDenied
    context = {
        "page_title": _("Thống kê hồ sơ"),
        "satisfaction": satisfaction_by_procedure(request.user),
        "timeliness": timeliness_by_procedure(request.user),
    }
    return private(TemplateResponse(request, "review/statistics.html", context))
