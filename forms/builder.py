"""From the editor's field rows to Django forms, one per step.

``ApplicationFormBuilder`` extends Wagtail's ``FormBuilder`` with the Vietnamese field
types of ``forms.fields``; ``build_step_form`` is the entry point shared by the HTML views
and (later) the API: it builds the form of one step, applies the conditions against the
answers given so far, and validates on the server.
"""

import copy
import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

import django.forms
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.html import conditional_escape
from django.utils.translation import gettext as _
from wagtail.contrib.forms.forms import BaseForm, FormBuilder

from . import fields as portal_fields
from .conditions import condition_met
from .models import NON_INPUT_TYPES, FieldType
from .validators import check_personal_id_matches

DEFAULT_MAX_FILE_MB = 5
DEFAULT_FILE_KINDS = ("jpg", "png", "pdf")
PERSONAL_ID_SUFFIX = "so_dinh_danh"


# --- steps ----------------------------------------------------------------------------


@dataclass
class Step:
    """A step of a form: the fields between two "step" rows (the first step needs none)."""

    number: int
    title: str
    help_text: str = ""
    condition: dict | None = None
    fields: list = field(default_factory=list)

    @property
    def input_fields(self):
        return [f for f in self.fields if f.field_type not in NON_INPUT_TYPES]


def split_into_steps(form_fields, default_title=None):
    """Group the page's field rows into ``Step``s at each row of type "step"."""
    steps = []
    current = None
    for form_field in form_fields:
        if form_field.field_type == FieldType.STEP:
            current = Step(
                number=len(steps) + 1,
                title=form_field.label,
                help_text=form_field.help_text,
                condition=form_field.condition,
            )
            steps.append(current)
            continue
        if current is None:
            current = Step(number=1, title=default_title or _("Thông tin hồ sơ"))
            steps.append(current)
        current.fields.append(form_field)
    return steps or [Step(number=1, title=default_title or _("Thông tin hồ sơ"))]


def page_steps(page):
    return split_into_steps(list(page.get_form_fields()), default_title=page.title)


def input_fields_by_key(steps):
    """The input fields of ``steps`` by key, and the keys of the file fields among them."""
    fields = {f.key: f for step in steps for f in step.input_fields}
    return fields, frozenset(key for key, f in fields.items() if f.field_type == FieldType.FILE)


# --- the form builder -------------------------------------------------------------------


class StepForm(BaseForm):
    """The form of one step. Knows the answers of earlier steps, for conditions and checks.

    Fields whose condition does not hold are made optional and disabled before
    validation, and their values are dropped from ``cleaned_data``: a hidden field is
    neither required nor stored.
    """

    conditions = {}  # key -> condition, set by the builder
    field_types = {}  # key -> FieldType
    # The server validates every step; browser "required" pop-ups would also fire on
    # fields hidden by a condition.
    use_required_attribute = False

    def __init__(self, *args, prior_answers=None, existing_uploads=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.prior_answers = dict(prior_answers or {})
        self.existing_uploads = dict(existing_uploads or {})
        self.hidden_keys = set()
        for key, uploads in self.existing_uploads.items():
            # A file already uploaded in this draft satisfies "required"; a new one replaces it.
            if key in self.fields and uploads:
                self.fields[key].required = False

    def _raw_answer(self, key):
        form_field = self.fields[key]
        raw = form_field.widget.value_from_datadict(self.data, self.files, self.add_prefix(key))
        try:
            return form_field.clean(raw)
        except ValidationError:
            return raw

    def evaluate_conditions(self):
        """Decide which of this step's fields are hidden, in field order (chains work).

        Only the answers a condition looks at are read here: reading one means cleaning it, and
        cleaning every field twice (here and in ``full_clean``) checked each upload twice.
        """
        answers = dict(self.prior_answers)
        looked_at = {condition.get("field") for condition in self.conditions.values() if condition}
        hidden = set()
        for key in self.fields:
            condition = self.conditions.get(key)
            if condition and not condition_met(condition, answers):
                hidden.add(key)
                answers.pop(key, None)
                continue
            if key not in looked_at:
                continue
            if self.is_bound:
                answers[key] = self._raw_answer(key)
            elif key in self.initial:
                answers[key] = self.initial[key]
        return hidden

    def full_clean(self):
        if self.is_bound:
            self.hidden_keys = self.evaluate_conditions()
            for key in self.hidden_keys:
                self.fields[key].required = False
                self.fields[key].disabled = True
        super().full_clean()
        if self.is_bound and hasattr(self, "cleaned_data"):
            for key in self.hidden_keys:
                self.cleaned_data.pop(key, None)
                self._errors.pop(key, None)

    def clean(self):
        cleaned_data = super().clean()
        answers = {**self.prior_answers, **cleaned_data}
        for key, field_type in self.field_types.items():
            if field_type != FieldType.PERSONAL_ID or not cleaned_data.get(key):
                continue
            prefix = key[: -len(PERSONAL_ID_SUFFIX)] if key.endswith(PERSONAL_ID_SUFFIX) else ""
            try:
                check_personal_id_matches(
                    cleaned_data[key],
                    birth_date=answers.get(f"{prefix}ngay_sinh") or None,
                    gender=answers.get(f"{prefix}gioi_tinh") or None,
                )
            except ValidationError as error:
                self.add_error(key, error)
        return cleaned_data

    def prepare_for_display(self):
        """Accessibility attributes: help and error texts linked with aria-describedby."""
        if not self.is_bound:
            self.hidden_keys = self.evaluate_conditions()
        errors = self.errors if self.is_bound else {}
        for name, bound_field in self._bound_items():
            described_by = []
            if bound_field.help_text:
                described_by.append(f"{bound_field.auto_id}_helptext")
            if name in errors:
                described_by.append(f"{bound_field.auto_id}_error")
                bound_field.field.widget.attrs["aria-invalid"] = "true"
            if described_by:
                bound_field.field.widget.attrs["aria-describedby"] = " ".join(described_by)

    def input_names(self):
        """Every POST name this form reads (a MultiWidget's parts have suffixed names)."""
        names = set()
        for name, form_field in self.fields.items():
            html_name = self.add_prefix(name)
            names.add(html_name)
            for suffix in getattr(form_field.widget, "widgets_names", []):
                names.add(f"{html_name}{suffix}")
        return names

    def _bound_items(self):
        return [(name, self[name]) for name in self.fields]

    def answers(self):
        """The valid answers of this step (hidden fields excluded)."""
        return {key: value for key, value in self.cleaned_data.items() if key not in self.hidden_keys}

    def is_hidden(self, key):
        return key in self.hidden_keys


class SharedFields(dict):
    """``base_fields`` of a step form class that only validates (``forms.compiled``, the API).

    Django's ``BaseForm.__init__`` deep-copies ``base_fields`` for every form it makes, so that
    rendering can change a field's widget (``prepare_for_display`` adds aria attributes) without
    touching the class: widgets, validators and every choice list, ~1.5 ms per submission of
    the passport form. A form that only validates changes nothing but a field's ``required``
    and ``disabled`` (``StepForm.full_clean``, ``existing_uploads``), so each instance gets a
    shallow copy of each field instead; widgets, choices and validators stay shared (read only).
    Forms that are rendered (the HTML journey) never use this.
    """

    def __deepcopy__(self, memo):
        return {name: copy.copy(formfield) for name, formfield in self.items()}


class ApplicationFormBuilder(FormBuilder):
    """Wagtail's FormBuilder plus the Vietnamese field types (forms.fields)."""

    def __init__(self, fields):
        super().__init__([f for f in fields if f.field_type not in NON_INPUT_TYPES])

    # stock types, with Vietnamese-friendly widgets
    def create_dropdown_field(self, field, options):
        options["choices"] = [("", _("– Chọn –")), *field.get_choices()]
        return django.forms.ChoiceField(**options)

    def create_radio_field(self, field, options):
        options["choices"] = field.get_choices()
        options.setdefault("widget", django.forms.RadioSelect)
        return django.forms.ChoiceField(**options)

    def create_checkboxes_field(self, field, options):
        options["choices"] = field.get_choices()
        options["initial"] = [v.strip() for v in (field.default_value or "").split(",") if v.strip()]
        options.setdefault("widget", django.forms.CheckboxSelectMultiple)
        return django.forms.MultipleChoiceField(**options)

    def create_number_field(self, field, options):
        options.setdefault("widget", django.forms.NumberInput(attrs={"inputmode": "numeric"}))
        return django.forms.DecimalField(**options)

    def create_email_field(self, field, options):
        options.setdefault("widget", django.forms.EmailInput(attrs={"autocomplete": "email"}))
        return django.forms.EmailField(**options)

    # Vietnamese types
    def create_personal_id_field(self, field, options):
        return portal_fields.PersonalIdField(**options)

    def create_previous_id_field(self, field, options):
        return portal_fields.PreviousIdField(**options)

    def create_phone_field(self, field, options):
        return portal_fields.VietnamesePhoneField(**options)

    def create_vn_date_field(self, field, options):
        return portal_fields.VietnameseDateField(min_age=field.min_age, max_age=field.max_age, **options)

    def create_person_name_field(self, field, options):
        return portal_fields.PersonNameField(**options)

    def create_province_field(self, field, options):
        return portal_fields.ProvinceField(**options)

    def create_address_field(self, field, options):
        return portal_fields.AddressField(**options)

    def create_file_field(self, field, options):
        return portal_fields.PrivateFileField(
            max_size_mb=field.max_size_mb or DEFAULT_MAX_FILE_MB,
            max_files=field.max_files or 1,
            allowed_kinds=field.allowed_kinds_list() or list(DEFAULT_FILE_KINDS),
            **options,
        )

    def create_consent_field(self, field, options):
        return portal_fields.ConsentField(**options)

    def get_field_options(self, field):
        options = {"label": field.label, "required": field.required}
        if field.help_text:
            # Without the editor's text, the field's own help applies (date format, file limits).
            options["help_text"] = conditional_escape(field.help_text)
        if field.default_value and field.field_type not in (FieldType.FILE, FieldType.CONSENT):
            options["initial"] = field.default_value
        return options

    @property
    def formfields(self):
        formfields = {}
        for form_field in self.fields:
            create = self.get_create_field_function(form_field.field_type)
            formfields[form_field.key] = create(form_field, self.get_field_options(form_field))
        return formfields

    def get_form_class(self, *, validation_only=False):
        """The step's form class; ``validation_only`` for one that is never rendered (``SharedFields``)."""
        attrs = dict(self.formfields)
        attrs["conditions"] = {f.key: f.condition for f in self.fields if f.condition}
        attrs["field_types"] = {f.key: f.field_type for f in self.fields}
        form_class = type("ApplicationStepForm", (StepForm,), attrs)
        if validation_only:
            form_class.base_fields = SharedFields(form_class.base_fields)
        return form_class


def build_step_form(page, step, data=None, files=None, *, answers=None, uploads=None, steps=None, form_class=None):
    """The bound (or unbound) form of `step` (a Step, or its 1-based number) of `page`.

    ``answers`` are the valid answers of the earlier steps (for conditions and the
    personal-ID cross checks); ``uploads`` maps a file field's key to the files already
    uploaded in this draft (they satisfy "required"). ``form_class`` is the step's class when
    the caller has it already (``forms.compiled``); it is made from the step's rows otherwise.
    """
    if not isinstance(step, Step):
        steps = steps or page_steps(page)
        step = steps[int(step) - 1]
    if form_class is None:
        form_class = page.form_builder(step.fields).get_form_class()
    kwargs = {"prior_answers": answers or {}, "existing_uploads": uploads or {}, "page": page}
    if data is None:
        return form_class(**kwargs)
    return form_class(data, files, **kwargs)


# --- presentation and storage of answers -------------------------------------------------


def answer_to_json(value):
    """A cleaned answer as JSON-ready data (dates ISO, decimals as text)."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, dict):
        return {str(k): answer_to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [answer_to_json(item) for item in value]
    return value


def display_answer(form_field, value):
    """How an answer reads on the review page and the receipt."""
    if value in (None, "", [], {}):
        return ""
    if form_field.field_type == FieldType.FILE:
        names = [getattr(item, "name", None) or item.get("name", "") for item in value]
        return ", ".join(names)
    if isinstance(value, bool):
        return str(_("Có") if value else _("Không"))
    if isinstance(value, date):
        return date_format(value, "d/m/Y")
    choices = dict(form_field.get_choices())
    if form_field.field_type == FieldType.PROVINCE:
        from .provinces import province_name

        return province_name(value) or str(value)
    if form_field.field_type == FieldType.ADDRESS and isinstance(value, dict):
        from .provinces import format_address

        return format_address(value)
    if isinstance(value, list | tuple):
        return ", ".join(str(choices.get(item, item)) for item in value)
    if choices:
        return str(choices.get(value, value))
    return str(value)


def form_definition(page, steps=None):
    """The form as plain data: steps, fields, types, choices, conditions, limits.

    Frozen into ``FormVersion`` for every dossier, and what the API schema will serve.
    """
    steps = steps or page_steps(page)
    return {
        "title": page.title,
        "steps": [
            {
                "number": step.number,
                "title": step.title,
                "help_text": step.help_text,
                "condition": step.condition,
                "fields": [
                    {
                        "key": f.key,
                        "label": f.label,
                        "type": f.field_type,
                        "help_text": f.help_text,
                        "required": f.required,
                        "choices": [{"value": v, "label": lbl} for v, lbl in f.get_choices()],
                        "condition": f.condition,
                        **({"min_age": f.min_age, "max_age": f.max_age} if f.field_type == FieldType.VN_DATE else {}),
                        **(
                            {
                                "max_size_mb": f.max_size_mb or DEFAULT_MAX_FILE_MB,
                                "max_files": f.max_files or 1,
                                "allowed_kinds": f.allowed_kinds_list() or list(DEFAULT_FILE_KINDS),
                            }
                            if f.field_type == FieldType.FILE
                            else {}
                        ),
                    }
                    for f in step.fields
                ],
            }
            for step in steps
        ],
    }


def definition_hash(definition):
    encoded = json.dumps(definition, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


@dataclass
class SubmissionValidation:
    """The result of validating a whole submission at once (the API path: no session draft)."""

    answers: dict = field(default_factory=dict)  # cleaned answers of visible fields
    uploads: dict = field(default_factory=dict)  # key -> [CleanUpload] of visible file fields
    errors: dict = field(default_factory=dict)  # key -> [messages]; "__all__" for form-wide ones
    steps: list = field(default_factory=list)  # the visible steps

    @property
    def is_valid(self):
        return not self.errors


def validate_submission(page, data, files=None, *, compiled=None):
    """Validate every visible step of `page` against one payload (``data``/``files``).

    Steps and fields are shown or hidden by the same conditions as in the HTML journey;
    hidden ones are neither required nor returned. The API calls this, then
    ``forms.services.submit_application(page, result.answers, result.uploads, …)``, with the
    page's ``forms.compiled.CompiledForm`` when it has one (its steps and form classes).
    """
    result = SubmissionValidation()
    for step in compiled.steps if compiled else page_steps(page):
        if not condition_met(step.condition, result.answers):
            continue
        result.steps.append(step)
        form_class = compiled.form_class(step) if compiled else None
        form = build_step_form(page, step, data, files, answers=result.answers, form_class=form_class)
        if not form.is_valid():
            for key, messages in form.errors.items():
                result.errors.setdefault(key, []).extend(str(message) for message in messages)
        for key, value in (getattr(form, "cleaned_data", None) or {}).items():
            if key in form.hidden_keys or key in form.errors:
                continue
            result.answers[key] = value
            if form.field_types.get(key) == FieldType.FILE:
                result.uploads[key] = list(value or [])
    return result
