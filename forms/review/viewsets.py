"""Admin views of the review workflow: the officers' inbox (Hồ sơ) and the holiday calendar.

The inbox is a Wagtail ``ModelViewSet`` over ``forms.Dossier`` that only ever lists
``dossiers_visible_to(user)``; its inspect view is the dossier page (views.py). Nothing is
added, edited or deleted here: every change goes through forms.review.services.
"""

import re
from datetime import timedelta

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.http import Http404
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.filters import BooleanRadioSelect, DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy

from cms.models import AgencyMembership
from forms.constants import DossierStatus
from forms.models import Dossier
from forms.permissions import can_view_dossier, dossiers_visible_to
from guides.models import GuidePage

from .calendar import WorkingCalendar, is_overdue, local_day, overdue_q
from .models import Holiday
from .permissions import STAFF_GROUPS, is_dossier_staff, is_manager

# --- permissions ------------------------------------------------------------------------


class DossierPermissionPolicy(BasePermissionPolicy):
    """Staff may "view" (open the inbox, inspect their agencies' dossiers); nobody adds, edits or
    deletes dossiers through generic admin views."""

    def user_has_permission(self, user, action):
        return action == "view" and is_dossier_staff(user)

    def users_with_any_permission(self, actions):
        user_model = get_user_model()
        if "view" not in actions:
            return user_model.objects.none()
        return user_model.objects.filter(
            Q(is_superuser=True) | Q(groups__name__in=STAFF_GROUPS, agency_memberships__isnull=False),
            is_active=True,
        ).distinct()

    def user_has_permission_for_instance(self, user, action, instance):
        return action == "view" and can_view_dossier(user, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        return dossiers_visible_to(user) if "view" in actions else Dossier.objects.none()


# --- presentation helpers ----------------------------------------------------------------


def mask_personal_id(value):
    """``079201005678`` → ``0792****5678``: enough to tell people apart on a list, not to copy."""
    value = (value or "").strip()
    if len(value) <= 8:
        return "*" * len(value)
    return f"{value[:4]}{'*' * (len(value) - 8)}{value[-4:]}"


class Deadline:
    """Days left / overdue of a dossier, computed with one calendar for the whole page."""

    def __init__(self):
        self.today = local_day()
        self.calendar = WorkingCalendar(self.today - timedelta(days=400), self.today + timedelta(days=400))

    def _between(self, start, end):
        return sum(
            1 for offset in range(1, (end - start).days + 1) if self.calendar.is_working_day(start + timedelta(offset))
        )

    def describe(self, dossier):
        """``(css modifier, text)`` or None when the dossier has no running deadline."""
        if not dossier.due_date:
            return None
        if dossier.clock_paused_at and dossier.status in (
            DossierStatus.SUPPLEMENT_REQUESTED,
            DossierStatus.PAYMENT_REQUESTED,
        ):
            return ("paused", _("Tạm dừng tính hạn"))
        if dossier.status not in (DossierStatus.ACCEPTED, DossierStatus.PROCESSING, DossierStatus.DONE):
            return None
        if is_overdue(dossier, self.today):
            late = self._between(dossier.due_date, self.today)
            return ("overdue", ngettext("Quá hạn %(n)d ngày", "Quá hạn %(n)d ngày", late) % {"n": late})
        left = self._between(self.today, dossier.due_date)
        if left == 0:
            return ("due", _("Đến hạn hôm nay"))
        return ("ok", ngettext("Còn %(n)d ngày", "Còn %(n)d ngày", left) % {"n": left})


class DeadlineColumn(Column):
    cell_template_name = "review/tables/deadline_cell.html"

    def __init__(self, name, deadline, **kwargs):
        super().__init__(name, **kwargs)
        self.deadline = deadline

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["deadline"] = self.deadline.describe(instance)
        return context


# --- filters ---------------------------------------------------------------------------------


class DossierFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Trạng thái"),
        choices=[(value, label) for value, label in DossierStatus.choices if value != DossierStatus.DRAFT],
        empty_label=_("Tất cả"),
    )
    procedure = django_filters.ModelChoiceFilter(label=_("Thủ tục"), queryset=GuidePage.objects.none())
    assignee = django_filters.ModelChoiceFilter(
        label=_("Cán bộ thụ lý"), field_name="assignee", queryset=get_user_model().objects.none()
    )
    overdue = django_filters.BooleanFilter(label=_("Quá hạn"), method="filter_overdue", widget=BooleanRadioSelect)
    received = django_filters.DateFromToRangeFilter(
        label=_("Ngày tiếp nhận"), field_name="received_at__date", widget=DateRangePickerWidget
    )

    class Meta:
        model = Dossier
        fields = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        visible = dossiers_visible_to(user)
        self.filters["procedure"].queryset = GuidePage.objects.filter(pk__in=visible.values("procedure_id")).order_by(
            "title"
        )
        agencies = visible.values("agency_id") if user is not None and not user.is_superuser else None
        staff = get_user_model().objects.filter(groups__name__in=STAFF_GROUPS, is_active=True)
        if agencies is not None:
            staff = staff.filter(pk__in=AgencyMembership.objects.filter(agency_id__in=agencies).values("user_id"))
        self.filters["assignee"].queryset = staff.distinct().order_by("username")

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(overdue_q()) if value else queryset.exclude(overdue_q())


# --- views ---------------------------------------------------------------------------------


class DossierIndexView(generic.IndexView):
    """The officer's inbox: only the dossiers of their agencies (superusers: all)."""

    template_name = "review/dossier_index.html"
    any_permission_required = ["view"]
    page_title = _("Hồ sơ")

    def get_base_queryset(self):
        return (
            dossiers_visible_to(self.request.user)
            .exclude(status=DossierStatus.DRAFT)
            .select_related("procedure", "assignee")
        )

    def search_queryset(self, queryset):
        """Code or name contains the words; a phone is matched on its digits (``0912 345 678``)."""
        if not self.is_searching:
            return queryset
        text = self.search_query.strip()
        query = Q(code__icontains=text) | Q(applicant_name__icontains=text)
        digits = re.sub(r"\D", "", text)
        if len(digits) >= 4:
            query |= Q(applicant_phone__contains=digits)
        return queryset.filter(query)

    @cached_property
    def deadline(self):
        return Deadline()

    @cached_property
    def columns(self):
        return [
            self._get_title_column("code"),
            Column("procedure", label=_("Thủ tục"), accessor="procedure.title", sort_key="procedure__title"),
            Column("applicant_name", label=_("Người nộp"), sort_key="applicant_name"),
            Column("personal_id", label=_("Số định danh"), accessor=lambda d: mask_personal_id(d.personal_id)),
            Column("status", label=_("Trạng thái"), accessor="get_status_display", sort_key="status"),
            DateColumn("received_at", label=_("Tiếp nhận"), sort_key="received_at"),
            Column(
                "due_date",
                label=_("Hẹn trả"),
                accessor=lambda d: d.due_date and d.due_date.strftime("%d/%m/%Y"),
                sort_key="due_date",
            ),
            DeadlineColumn("deadline", self.deadline, label=_("Thời hạn")),
            Column("assignee", label=_("Thụ lý"), accessor=_assignee_name),
        ]

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        counts = dict(
            self.get_base_queryset()
            .order_by()
            .values_list("status")
            .annotate(total=Count("pk"))
            .values_list("status", "total")
        )
        context["status_counts"] = [
            {"value": value, "label": label, "count": counts.get(value, 0)}
            for value, label in DossierStatus.choices
            if value != DossierStatus.DRAFT
        ]
        context["overdue_count"] = self.get_base_queryset().filter(overdue_q()).count()
        context["bulk_url"] = reverse("dossiers:bulk")
        context["statistics_url"] = reverse("dossiers:statistics") if is_manager(self.request.user) else None
        return context

    # Export: what the table shows, with the personal ID masked (the file leaves the system).
    def to_row_dict(self, item):
        deadline = self.deadline.describe(item)
        return {
            "code": item.code,
            "procedure": item.procedure.title if item.procedure_id else "",
            "applicant_name": item.applicant_name,
            "personal_id": mask_personal_id(item.personal_id),
            "status": item.get_status_display(),
            "received_at": item.received_at and local_day(item.received_at).strftime("%d/%m/%Y"),
            "due_date": item.due_date and item.due_date.strftime("%d/%m/%Y"),
            "deadline": deadline[1] if deadline else "",
            "assignee": _assignee_name(item),
        }


def _assignee_name(dossier):
    assignee = dossier.assignee
    if assignee is None:
        return ""
    return assignee.get_full_name() or assignee.get_username()


class DossierHistoryView(HistoryView):
    """The dossier's log (transitions, notes, who opened it): for managers of its agency."""

    any_permission_required = ["view"]

    def get_object(self):
        dossier = super().get_object()
        if not can_view_dossier(self.request.user, dossier) or not is_manager(self.request.user, dossier.agency_id):
            raise Http404
        return dossier


class DossierViewSet(ModelViewSet):
    model = Dossier
    icon = "folder-open-inverse"
    menu_label = _("Hồ sơ")
    menu_order = 150
    add_to_admin_menu = True
    index_view_class = DossierIndexView
    history_view_class = DossierHistoryView
    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_reference_index = False
    filterset_class = DossierFilterSet
    search_fields = ["code", "applicant_name", "applicant_phone"]
    search_backend_name = None
    ordering = ["-submitted_at"]
    list_per_page = 30
    list_export = [
        "code",
        "procedure",
        "applicant_name",
        "personal_id",
        "status",
        "received_at",
        "due_date",
        "deadline",
        "assignee",
    ]
    export_headings = {
        "code": _("Mã hồ sơ"),
        "procedure": _("Thủ tục"),
        "applicant_name": _("Người nộp"),
        "personal_id": _("Số định danh (che)"),
        "status": _("Trạng thái"),
        "received_at": _("Ngày tiếp nhận"),
        "due_date": _("Ngày hẹn trả"),
        "deadline": _("Thời hạn"),
        "assignee": _("Cán bộ thụ lý"),
    }
    export_filename = "ho-so"
    form_fields = []

    @property
    def inspect_view_class(self):
        from .views import DossierInspectView

        return DossierInspectView

    def get_urlpatterns(self):
        from . import views

        return [
            *super().get_urlpatterns(),
            path("action/<int:pk>/<str:action>/", views.dossier_action, name="action"),
            path("assign/<int:pk>/", views.assign, name="assign"),
            path("note/<int:pk>/", views.add_note, name="note"),
            path("bulk/", views.bulk, name="bulk"),
            path("statistics/", views.statistics, name="statistics"),
        ]

    def get_permissions_to_register(self):
        # Dossier rights come from agency membership, not from Django model permissions.
        return []


class HolidayViewSet(ModelViewSet):
    """Holidays and swapped working days: editable data, since the government decides them each year."""

    model = Holiday
    icon = "date"
    menu_label = _("Lịch nghỉ lễ")
    menu_order = 820
    add_to_settings_menu = True
    list_display = ["date", "name", "is_working_day_swap"]
    list_filter = ["is_working_day_swap"]
    search_fields = ["name"]
    ordering = ["-date"]
    form_fields = ["date", "name", "is_working_day_swap"]
    copy_view_enabled = False


dossier_viewset = DossierViewSet("dossiers")
holiday_viewset = HolidayViewSet("holidays")
