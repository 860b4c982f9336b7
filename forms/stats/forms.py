"""The period and scope filter of the public statistics page (GET)."""

from datetime import date, timedelta

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cms.models import Agency
from forms.review.calendar import local_day
from guides.models import GuidePage, ProcedureField

DATE_FORMAT = "%d/%m/%Y"
MAX_YEARS = 5


class PeriodKind:
    MONTH = "thang"
    QUARTER = "quy"
    YEAR = "nam"
    CUSTOM = "tuy-chon"
    CHOICES = [
        (MONTH, _("Tháng")),
        (QUARTER, _("Quý")),
        (YEAR, _("Năm")),
        (CUSTOM, _("Từ ngày – đến ngày")),
    ]


def default_period(today=None):
    """The current month up to today."""
    today = today or local_day()
    return today.replace(day=1), today


def month_end(year, month):
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


def _english():
    return (get_language() or "").startswith("en")


def _number_between(label, low, high, out_of_range, not_a_number=None):
    """An optional whole number in [low, high], with one message for a value outside it."""
    return forms.IntegerField(
        label=label,
        min_value=low,
        max_value=high,
        required=False,
        error_messages={
            "min_value": out_of_range,
            "max_value": out_of_range,
            "invalid": not_a_number or out_of_range,
        },
    )


class NamedChoiceField(forms.ModelChoiceField):
    """Agencies and fields by their English name on the English page (one shared list of rows)."""

    def label_from_instance(self, obj):
        return (obj.name_en if _english() else "") or obj.name


class StatisticsFilterForm(forms.Form):
    """Period (month / quarter / year / custom dd/mm/yyyy range), and optionally agency, field, procedure."""

    ky = forms.ChoiceField(label=_("Kỳ thống kê"), choices=PeriodKind.CHOICES, required=False)
    nam = _number_between(_("Năm"), 2000, 2100, _("Năm phải từ 2000 đến 2100."), _("Năm phải là số, ví dụ 2026."))
    thang = _number_between(_("Tháng"), 1, 12, _("Tháng phải từ 1 đến 12."))
    quy = _number_between(_("Quý"), 1, 4, _("Quý phải từ 1 đến 4."))
    tu_ngay = forms.DateField(
        label=_("Từ ngày"), input_formats=[DATE_FORMAT], required=False, help_text=_("dd/mm/yyyy")
    )
    den_ngay = forms.DateField(
        label=_("Đến ngày"), input_formats=[DATE_FORMAT], required=False, help_text=_("dd/mm/yyyy")
    )
    co_quan = NamedChoiceField(
        label=_("Cơ quan"),
        queryset=Agency.objects.order_by("name"),
        required=False,
        empty_label=_("Tất cả cơ quan"),
        error_messages={"invalid_choice": _("Không tìm thấy cơ quan đã chọn; đang hiện số liệu của mọi cơ quan.")},
    )
    linh_vuc = NamedChoiceField(
        label=_("Lĩnh vực"),
        queryset=ProcedureField.objects.order_by("name"),
        required=False,
        empty_label=_("Tất cả lĩnh vực"),
        error_messages={"invalid_choice": _("Không tìm thấy lĩnh vực đã chọn; đang hiện số liệu của mọi lĩnh vực.")},
    )
    thu_tuc = forms.ModelChoiceField(
        label=_("Thủ tục"),
        queryset=GuidePage.objects.none(),
        required=False,
        empty_label=_("Tất cả thủ tục"),
        error_messages={"invalid_choice": _("Không tìm thấy thủ tục đã chọn; đang hiện số liệu của mọi thủ tục.")},
    )

    def __init__(self, *args, today=None, locale=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or local_day()
        self.notes = []  # messages shown above the figures (limits applied, input ignored)
        # The procedures are the guides of the page's language; a dossier sent from the
        # other language's form is counted too (make_scope follows the translation key).
        guides = GuidePage.objects.live().order_by("title")
        if locale is not None:
            guides = guides.filter(locale=locale)
        self.fields["thu_tuc"].queryset = guides

    def clean(self):
        data = super().clean()
        kind = data.get("ky") or PeriodKind.MONTH
        year = data.get("nam") or self.today.year
        if kind == PeriodKind.CUSTOM:
            start, end = data.get("tu_ngay"), data.get("den_ngay")
            if "tu_ngay" in self.errors or "den_ngay" in self.errors or not (start and end):
                raise forms.ValidationError(_("Ngày không đúng định dạng dd/mm/yyyy."), code="date_format")
            if start > end:
                raise forms.ValidationError(_("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc."), code="order")
        elif kind == PeriodKind.YEAR:
            start, end = date(year, 1, 1), date(year, 12, 31)
        elif kind == PeriodKind.QUARTER:
            quarter = data.get("quy") or (self.today.month - 1) // 3 + 1
            start, end = date(year, 3 * quarter - 2, 1), month_end(year, 3 * quarter)
        else:
            month = data.get("thang") or self.today.month
            start, end = date(year, month, 1), month_end(year, month)
        try:
            earliest = end.replace(year=end.year - MAX_YEARS) + timedelta(days=1)
        except ValueError:  # 29 February
            earliest = end.replace(year=end.year - MAX_YEARS, day=28) + timedelta(days=1)
        if start < earliest:
            start = earliest
            self.notes.append(_("Kỳ thống kê dài quá 5 năm: chỉ hiện 5 năm gần nhất của kỳ đã chọn."))
        data["start"], data["end"] = start, end
        return data

    def selection(self):
        """(start, end, {"agency", "field", "procedure"}, messages).

        Wrong input gives this month's figures, without the filters that were not understood,
        and says so; it never raises.
        """
        names = {"agency": "co_quan", "field": "linh_vuc", "procedure": "thu_tuc"}
        if self.is_valid():
            chosen = {key: self.cleaned_data[name] for key, name in names.items()}
            return self.cleaned_data["start"], self.cleaned_data["end"], chosen, self.notes
        messages = [message for errors in self.errors.values() for message in errors]
        chosen = {key: None if name in self.errors else self.cleaned_data.get(name) for key, name in names.items()}
        start, end = default_period(self.today)
        messages.append(_("Đang hiện số liệu của tháng này."))
        return start, end, chosen, messages
