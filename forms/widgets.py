"""Widgets for citizens' application forms, built for cheap phones and for no JavaScript.

Every widget renders plain, labelled HTML that works on its own; ``inputmode`` and
``autocomplete`` pick the right keyboard and let the phone fill in what it knows.
The only script (``forms/js/address.js``) is an enhancement loaded with ``defer`` through
the form's media: pages that show these forms must render ``{{ form.media }}``.
"""

from django import forms
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .provinces import provinces, wards

# Placeholder in the JSON endpoint's URL that the script replaces with a province code.
PROVINCE_CODE_PLACEHOLDER = "__province__"

CHOOSE_PROVINCE = _("— Chọn tỉnh/thành phố —")
CHOOSE_WARD = _("— Chọn xã/phường/đặc khu —")
CHOOSE_PROVINCE_FIRST = _("— Chọn tỉnh/thành phố trước —")
# Texts of the address widget, also handed to address.js through data attributes.
ADDRESS_MESSAGES = {
    "choose_ward": CHOOSE_WARD,
    "choose_province": CHOOSE_PROVINCE_FIRST,
    "hint": _(
        "Chọn tỉnh/thành phố trước, rồi chọn xã/phường/đặc khu. Nếu danh sách xã/phường chưa "
        "khớp với tỉnh/thành phố vừa chọn, hãy bấm nút tiếp tục ở cuối trang: danh sách sẽ được "
        "cập nhật để bạn chọn lại."
    ),
    "loading": _("Đang tải danh sách xã/phường/đặc khu…"),
    "loaded": _("Đã cập nhật danh sách xã/phường/đặc khu theo tỉnh/thành phố vừa chọn."),
    "error": _(
        "Chưa tải được danh sách xã/phường. Hãy bấm nút tiếp tục ở cuối trang: danh sách sẽ được "
        "cập nhật để bạn chọn lại."
    ),
}


class PrivateFileInput(forms.FileInput):
    """A file input that takes one file or, with ``multiple=True``, several.

    Django refuses the ``multiple`` attribute unless the widget says it can handle a
    list (see "Uploading multiple files" in the Django docs); this one decides per
    instance.
    """

    def __init__(self, attrs=None, *, multiple=False):
        self.allow_multiple_selected = multiple
        super().__init__(attrs)


class AddressWidget(forms.MultiWidget):
    """Province select, ward select and a street/house-number input.

    Without JavaScript the ward list is always that of the province in the submitted
    data, so after a step is sent with a new province the citizen sees the right list
    and chooses again. With JavaScript, ``address.js`` reloads the ward list from the
    JSON endpoint as soon as the province changes.
    """

    template_name = "forms/widgets/address.html"

    def __init__(self, attrs=None):
        # Both selects start with an empty placeholder option: Django only marks a select
        # `required` when its first choice is empty. Real choices are set in get_context().
        widgets = {
            "province": forms.Select(
                attrs={"data-address-province": "", "autocomplete": "address-level1"},
                choices=[("", CHOOSE_PROVINCE)],
            ),
            "ward": forms.Select(
                attrs={"data-address-ward": "", "autocomplete": "address-level2"},
                choices=[("", CHOOSE_PROVINCE_FIRST)],
            ),
            "street": forms.TextInput(attrs={"autocomplete": "address-line1", "maxlength": 200}),
        }
        super().__init__(widgets, attrs)

    @property
    def media(self):
        return super().media + forms.Media(js=[forms.Script("forms/js/address.js", defer=True)])

    def decompress(self, value):
        if isinstance(value, dict):
            return [value.get("province"), value.get("ward"), value.get("street")]
        return [None, None, None]

    def get_context(self, name, value, attrs):
        if not isinstance(value, (list, tuple)):
            value = self.decompress(value)
        province_widget, ward_widget, _street = self.widgets
        province_code = value[0] if value else None
        province_widget.choices = [("", CHOOSE_PROVINCE), *provinces()]
        ward_choices = wards(province_code) if province_code else []
        if ward_choices:
            ward_widget.choices = [("", CHOOSE_WARD), *ward_choices]
        else:
            ward_widget.choices = [("", CHOOSE_PROVINCE_FIRST)]

        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        province_context, ward_context, street_context = widget["subwidgets"]
        widget["required"] = bool(ward_context["attrs"].get("required"))
        if not ward_choices:
            # The list is empty until a province is chosen: a `required` ward select
            # would stop the browser from sending the step that fills it in.
            ward_context["attrs"].pop("required", None)
        province_context["label"] = _("Tỉnh/thành phố")
        ward_context["label"] = _("Xã/phường/đặc khu")
        street_context["label"] = _("Số nhà, tên đường, thôn/ấp/tổ dân phố")
        widget["wards_url"] = self.wards_url()
        widget["messages"] = ADDRESS_MESSAGES
        return context

    @staticmethod
    def wards_url():
        """URL of ``wards_json`` with ``__province__`` in place of the code, or ``None``.

        ``None`` when ``forms.urls_data`` is not included in the URLconf: the widget then
        works the no-JavaScript way.
        """
        try:
            return reverse("forms_data:wards", args=[PROVINCE_CODE_PLACEHOLDER])
        except NoReverseMatch:
            return None
