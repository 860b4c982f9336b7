"""Admin views of the review workflow: the officers' inbox (Hồ sơ) and the holiday calendar.

The inbox is a Wagtail ``ModelViewSet`` over ``forms.Dossier`` that only ever lists
``dossiers_visible_to(user)``; its inspect view is the dossier page (views.py). Nothing is
added, edited or deleted here: every change goes through forms.review.services.
"""

from datetime import timedelta

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Exists, F, OuterRef, Q
from django.http import Http404
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.filters import BooleanRadioSelect, DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.ui.tables import Column
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
from .counts import inbox_counts
from .models import Holiday
from .permissions import STAFF_GROUPS, inbox_agency_ids, is_dossier_staff, is_manager
from .search import search_q

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


class TextColumn(Column):
    """A plain text cell written with ``format_html`` instead of a template.

    The inbox renders 50 rows × 9 columns: Wagtail's cell templates (title dropdowns,
    human-readable dates) took most of the page's time at a million dossiers.
    """

    def render_cell_html(self, instance, parent_context):
        value = self.get_value(instance)
        return format_html("<td>{}</td>", "" if value is None else value)


class LinkColumn(TextColumn):
    """The dossier code, linking to the dossier page."""

    def render_cell_html(self, instance, parent_context):
        return format_html(
            '<td class="title"><a href="{}">{}</a></td>', reverse("dossiers:inspect", args=[instance.pk]), instance.code
        )


class DeadlineColumn(TextColumn):
    def __init__(self, name, deadline, **kwargs):
        super().__init__(name, **kwargs)
        self.deadline = deadline

    def render_cell_html(self, instance, parent_context):
        deadline = self.deadline.describe(instance)
        if deadline is None:
            return mark_safe("<td></td>")  # noqa: S308 - a constant
        return format_html('<td><span class="review-deadline review-deadline--{}">{}</span></td>', *deadline)


def _status_label(dossier):
    # DossierStatus(...).label, not get_status_display(): that rebuilds the choices dict per call.
    return DossierStatus(dossier.status).label


def _local_date(moment):
    return moment and local_day(moment).strftime("%d/%m/%Y")


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
        agencies = inbox_agency_ids(getattr(request, "user", None))
        # Procedures with at least one dossier of the user's agencies: one probe of the
        # (procedure, agency) index per guide, not a scan of the agency's dossiers.
        has_dossiers = Dossier.objects.filter(procedure_id=OuterRef("pk"))
        if agencies is not None:
            has_dossiers = has_dossiers.filter(agency_id__in=agencies)
        self.filters["procedure"].queryset = (
            GuidePage.objects.filter(Exists(has_dossiers)).only("pk", "title").order_by("title")
        )
        staff = get_user_model().objects.filter(groups__name__in=STAFF_GROUPS, is_active=True)
        if agencies is not None:
            staff = staff.filter(pk__in=AgencyMembership.objects.filter(agency_id__in=agencies).values("user_id"))
        self.filters["assignee"].queryset = staff.distinct().order_by("username")

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(overdue_q()) if value else queryset.exclude(overdue_q())


# --- views ---------------------------------------------------------------------------------


class CountedPaginator(WagtailPaginator):
    """A paginator told its total (from the cached counts) instead of running COUNT(*)."""

    def __init__(self, *args, known_count=None, **kwargs):
        super().__init__(*args, **kwargs)
        if known_count is not None:
            self.count = known_count  # overrides Paginator.count (a cached_property)


class DossierIndexView(generic.IndexView):
    """The officer's inbox: only the dossiers of their agencies (superusers: all)."""

    template_name = "review/dossier_index.html"
    any_permission_required = ["view"]
    page_title = _("Hồ sơ")
    paginator_class = CountedPaginator

    @cached_property
    def agency_ids(self):
        """The user's agencies as a list (None: a superuser, all), so that PostgreSQL sees
        ``agency_id = 1`` and walks the (agency, status, due_date) index in order."""
        return inbox_agency_ids(self.request.user)

    def get_base_queryset(self):
        queryset = (
            Dossier.objects.all() if self.agency_ids is None else Dossier.objects.filter(agency_id__in=self.agency_ids)
        )
        # The procedure's title only: select_related("procedure") would also load every guide's
        # steps, FAQ and legal basis for each row.
        return (
            queryset.exclude(status=DossierStatus.DRAFT)
            .select_related("assignee")
            .annotate(procedure_title=F("procedure__title"))
        )

    def get_ordering(self):
        """Overdue dossiers come most overdue first unless the officer sorts otherwise (and the
        partial index on open dossiers' due dates serves that order directly)."""
        ordering = super().get_ordering()
        filters = self.filters
        if not self.is_explicitly_ordered and filters is not None and filters.is_valid():
            return "due_date" if filters.form.cleaned_data.get("overdue") is True else ordering
        return ordering

    def search_queryset(self, queryset):
        """Code or name contains the words, without regard to diacritics ("nguyen van an" finds
        "Nguyễn Văn An"); a phone is matched on its digits (``0912 345 678``). See search.py."""
        if not self.is_searching:
            return queryset
        condition = search_q(self.search_query)
        return queryset if condition is None else queryset.filter(condition)

    @cached_property
    def counts(self):
        return inbox_counts(self.agency_ids)

    def get_paginator(self, queryset, per_page, **kwargs):
        return self.paginator_class(queryset, per_page, known_count=self._known_count(), **kwargs)

    def _known_count(self):
        """The number of rows from the cached counts when the list is unfiltered or filtered by
        status only (the inbox's usual views); None (COUNT(*) in SQL) otherwise."""
        if self.is_searching:
            return None
        filters = self.filters
        if filters is not None and not filters.is_valid():
            return None
        changed = set(filters.form.changed_data) if filters is not None else set()
        statuses, overdue = self.counts
        if not changed:
            return sum(statuses.values())
        if changed == {"status"}:
            return statuses.get(filters.form.cleaned_data["status"], 0)
        if changed == {"overdue"} and filters.form.cleaned_data["overdue"]:
            return overdue
        return None

    @cached_property
    def deadline(self):
        return Deadline()

    @cached_property
    def columns(self):
        return [
            LinkColumn("code", label=_("Mã hồ sơ"), sort_key="code"),
            TextColumn("procedure", label=_("Thủ tục"), accessor="procedure_title", sort_key="procedure__title"),
            TextColumn("applicant_name", label=_("Người nộp"), sort_key="applicant_name"),
            TextColumn("personal_id", label=_("Số định danh"), accessor=lambda d: mask_personal_id(d.personal_id)),
            TextColumn("status", label=_("Trạng thái"), accessor=_status_label, sort_key="status"),
            TextColumn(
                "received_at",
                label=_("Tiếp nhận"),
                accessor=lambda d: _local_date(d.received_at),
                sort_key="received_at",
            ),
            TextColumn(
                "due_date",
                label=_("Hẹn trả"),
                accessor=lambda d: d.due_date and d.due_date.strftime("%d/%m/%Y"),
                sort_key="due_date",
            ),
            DeadlineColumn("deadline", self.deadline, label=_("Thời hạn")),
            TextColumn("assignee", label=_("Thụ lý"), accessor=_assignee_name),
        ]

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        counts, overdue = self.counts
        context["status_counts"] = [
            {"value": value, "label": label, "count": counts.get(value, 0)}
            for value, label in DossierStatus.choices
            if value != DossierStatus.DRAFT
        ]
        context["overdue_count"] = overdue
        context["bulk_url"] = reverse("dossiers:bulk")
        context["statistics_url"] = reverse("dossiers:statistics") if is_manager(self.request.user) else None
        return context

    # Export: what the table shows, with the personal ID masked (the file leaves the system).
    def to_row_dict(self, item):
        deadline = self.deadline.describe(item)
        return {
            "code": item.code,
            "procedure": item.procedure_title or "",
            "applicant_name": item.applicant_name,
            "personal_id": mask_personal_id(item.personal_id),
            "status": _status_label(item),
            "received_at": _local_date(item.received_at),
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
    list_per_page = 50
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
