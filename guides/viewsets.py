"""Admin views for QR codes and QR sets (registered in wagtail_hooks.py).

The QR code listing shows scans (total and last 30 days) computed in SQL; the inspect
view is the statistics page with a server-rendered SVG bar chart and its data table.
A QR set has a "Tải PDF" action that renders the poster sheet.
"""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.generic import View
from wagtail.admin.ui.tables import BooleanColumn, Column, NumberColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton, ListingButton
from wagtail.admin.widgets.button import Button
from wagtail.models import Page

from . import printing, qr
from .models import QRCode, QRSet
from .models.qr import anchor_validator
from .services import STATS_DAYS, daily_scans, with_scan_totals

CHART_WIDTH = 600
CHART_HEIGHT = 180
CHART_TOP = 16
CHART_BOTTOM = 24
CHART_LEFT = 36
CHART_RIGHT = 20  # room for the last date label


def scan_chart(series):
    """Geometry of the 30-day bar chart, computed here so the template only draws."""
    peak = max((count for _day, count in series), default=0)
    scale_max = max(peak, 1)
    plot_height = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM
    slot = (CHART_WIDTH - CHART_LEFT - CHART_RIGHT) / max(len(series), 1)
    bars = []
    for index, (day, count) in enumerate(series):
        height = round(plot_height * count / scale_max, 1)
        bars.append(
            {
                "day": day,
                "count": count,
                "x": round(CHART_LEFT + index * slot + slot * 0.15, 1),
                "width": round(slot * 0.7, 1),
                "y": round(CHART_TOP + plot_height - height, 1),
                "height": height,
                "label_x": round(CHART_LEFT + index * slot + slot / 2, 1),
                "show_label": index % 5 == 0 or index == len(series) - 1,
            }
        )
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": CHART_LEFT,
        "right": CHART_WIDTH - CHART_RIGHT,
        "top": CHART_TOP,
        "baseline": CHART_TOP + plot_height,
        "label_y": CHART_HEIGHT - 6,
        "peak": peak,
        "bars": bars,
        "total": sum(count for _day, count in series),
    }


# --- QR codes ---------------------------------------------------------------------------


class QRCodeIndexView(generic.IndexView):
    def get_base_queryset(self):
        return with_scan_totals(super().get_base_queryset().select_related("page"))

    @cached_property
    def columns(self):
        return [
            self._get_title_column("label"),
            Column("code", label=_("Mã"), sort_key="code"),
            Column("target_display", label=_("Đích đến")),
            BooleanColumn("is_active", label=_("Đang dùng"), sort_key="is_active"),
            NumberColumn("recent_scans", label=_("Lượt quét 30 ngày"), sort_key="recent_scans"),
            NumberColumn("total_scans", label=_("Tổng lượt quét"), sort_key="total_scans"),
        ]

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        buttons.append(
            Button(
                _("Tải ảnh SVG"), url=reverse("guides:qr_svg", args=[instance.code]), icon_name="download", priority=40
            )
        )
        buttons.append(
            Button(
                _("Tải ảnh PNG"), url=reverse("guides:qr_png", args=[instance.code]), icon_name="download", priority=41
            )
        )
        return buttons


class QRCodeCreateView(generic.CreateView):
    """``?page=<id>`` (and optionally ``&anchor=buoc-2``) prefills the target and the label:
    the one-click "Tạo mã QR" link from a guide's editor."""

    def get_initial(self):
        initial = super().get_initial()
        page_id = self.request.GET.get("page", "")
        page = Page.objects.filter(pk=page_id).first() if page_id.isdigit() else None
        if page is not None:
            initial.update(page=page.pk, label=page.title)
            anchor = self.request.GET.get("anchor", "")
            try:
                anchor_validator(anchor)
            except Exception:  # noqa: BLE001, S110 - an odd anchor in a link is simply not prefilled
                anchor = ""
            if anchor:
                initial["anchor"] = anchor
                step_titles = dict(getattr(page.specific, "step_anchors", list)())
                if anchor in step_titles:
                    initial["label"] = f"{page.title} – {step_titles[anchor]}"
        return initial


class QRCodeInspectView(generic.InspectView):
    """The statistics page of one code: 30-day chart, data table, the image and its links."""

    page_title = _("Thống kê lượt quét")
    template_name = "guides/qr/inspect.html"

    def get_fields(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        qr_code = self.object
        series = daily_scans(qr_code)
        totals = with_scan_totals(QRCode.objects.filter(pk=qr_code.pk)).values("total_scans", "recent_scans")[0]
        context.update(
            qr_code=qr_code,
            chart=scan_chart(series),
            stats_days=STATS_DAYS,
            total_scans=totals["total_scans"],
            recent_scans=totals["recent_scans"],
            public_url=qr.public_url(qr_code.code),
            # Our own segno output, not user input: safe to inline.
            qr_svg=mark_safe(qr.svg_bytes(qr_code.code, title=qr_code.label, scale=5).decode()),  # noqa: S308
            svg_url=reverse("guides:qr_svg", args=[qr_code.code]),
            png_url=reverse("guides:qr_png", args=[qr_code.code]) + "?size=1024",
            target_url=qr_code.get_target_url(),
        )
        return context


class QRCodeViewSet(ModelViewSet):
    model = QRCode
    icon = "crosshairs"
    menu_label = _("Mã QR")
    add_to_admin_menu = False
    index_view_class = QRCodeIndexView
    add_view_class = QRCodeCreateView
    inspect_view_class = QRCodeInspectView
    inspect_view_enabled = True
    # A copy would carry the printed code; new codes are always drawn fresh.
    copy_view_enabled = False
    search_fields = ["label", "code", "url"]
    list_filter = ["is_active"]
    list_export = ["code", "label", "url", "is_active", "total_scans", "recent_scans"]


# --- QR sets ------------------------------------------------------------------------------


class QRSetPDFView(generic.PermissionCheckedMixin, View):
    """Download the A4 poster sheet of a QR set."""

    model = QRSet
    any_permission_required = ["add", "change", "delete", "view"]

    def get(self, request, pk):
        qr_set = get_object_or_404(QRSet, pk=pk)
        response = HttpResponse(printing.render_qr_set_pdf(qr_set), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{printing.qr_set_filename(qr_set)}"'
        return response


def _pdf_url(qr_set):
    return reverse("guides_qr_sets:pdf", args=[qr_set.pk])


class QRSetIndexView(generic.IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        buttons.append(ListingButton(_("Tải PDF"), url=_pdf_url(instance), icon_name="download", priority=5))
        return buttons


class QRSetEditView(generic.EditView):
    @cached_property
    def header_buttons(self):
        return [HeaderButton(_("Tải PDF"), url=_pdf_url(self.object), icon_name="download")]


class QRSetViewSet(ModelViewSet):
    model = QRSet
    icon = "grid"
    menu_label = _("Bộ mã QR để in")
    add_to_admin_menu = False
    index_view_class = QRSetIndexView
    edit_view_class = QRSetEditView
    copy_view_enabled = False
    search_fields = ["title"]
    list_display = ["title", "updated_at"]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("pdf/<int:pk>/", QRSetPDFView.as_view(), name="pdf"),
        ]


class QRViewSetGroup(ViewSetGroup):
    menu_label = _("Mã QR")
    menu_icon = "crosshairs"
    menu_order = 250
    items = (
        QRCodeViewSet("guides_qr_codes", url_prefix="qr-codes"),
        QRSetViewSet("guides_qr_sets", url_prefix="qr-sets"),
    )
