"""The forms app's part of the headless API (django-ninja, inside Wagtail's API v3).

* ``GET /api/v3/forms/<page_id>/schema/``: a live, public application form as data:
  steps, fields, choices, rules, conditions, and a JSON Schema of the answers.
* ``POST /api/v3/forms/<page_id>/submissions/``: the answers as ``multipart/form-data``
  (files as file parts named by field key; repeat a part for several values) → ``201``
  with the dossier code, or ``400`` with messages per field key in the language of
  ``Accept-Language`` (vi, en). ``Idempotency-Key`` makes a retry return the first
  dossier (``200``) instead of creating another.

The HTML journey's code does the work: ``forms.builder.validate_submission`` (same
fields, conditions and validators) then ``forms.services.submit_application``. What is
here is the HTTP boundary: reading and bounding the request, refusing parts the form does
not have, and answering in the API's problem format.

The POST is for headless clients: ninja views are CSRF-exempt, and ``AllowAnonymous``
makes every request anonymous, so a session cookie can neither elevate it nor make it
subject to a CSRF check. site_config/urls.py adds ``router`` at ``/forms/``.
"""

import json
import re
from http import HTTPStatus
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db.models import Exists, F, OuterRef
from django.db.models.functions import Left, Length
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header
from ninja import Header, Router, Status
from wagtail.api.utils import get_full_url
from wagtail.api.v3.auth import AllowAnonymous
from wagtail.api.v3.errors import ProblemDetail
from wagtail.models import PageViewRestriction

from . import validators
from .api_schemas import (
    FormDefinitionSchema,
    FormProblemSchema,
    FormSubmissionCreatedSchema,
)
from .builder import validate_submission
from .compiled import cached_live_page, compiled_form, input_names
from .conditions import TRUE_VALUES, expected_values
from .constants import HONEYPOT_FIELD, Channel, ConditionOperator
from .fields import UPLOAD_KINDS, AddressField, PrivateFileField
from .models import ApplicationFormPage, FieldType
from .multipart import read_multipart
from .provinces import provinces
from .ratelimit import is_rate_limited, retry_after_seconds
from .services import submit_application

router = Router(tags=["forms"])

# The tracking page (forms.review) looks a dossier up by its code.
TRACKING_PATH = "/tra-cuu/"
PROBLEM_JSON = "application/problem+json"
# Idempotency keys are the client's (a UUID is the usual choice), stored as
# "api:<page id>:<key>" in Dossier.idempotency_key (100 characters). Scoped by form, not
# by client address: a phone that retries after changing network must get its dossier.
IDEMPOTENCY_KEY_PATTERN = re.compile(r"[A-Za-z0-9._:-]{1,64}")
FORM_CONTENT_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")
# Room for each file part's headers and boundaries on top of its content.
MULTIPART_OVERHEAD_PER_FILE = 16 * 1024
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
PHONE_PATTERN = validators.MOBILE_PHONE_PATTERN.pattern
PERSONAL_ID_PATTERN = r"^[0-9]{12}$"
PREVIOUS_ID_PATTERN = r"^([0-9]{9}|[0-9]{12})$"
WARD_CODE_PATTERN = r"^[0-9]{5}$"


# --- shared pieces ------------------------------------------------------------------------


def in_private_section():
    """True for a page that has a view restriction itself or on an ancestor.

    What Wagtail's ``PageQuerySet.public()`` excludes, as one subquery of the page's own
    query: ``public()`` first reads every restriction of the site in a query of its own.
    """
    restricted_ancestors = PageViewRestriction.objects.annotate(
        section=Left(OuterRef("path"), Length("page__path"))
    ).filter(section=F("page__path"))
    return Exists(restricted_ancestors)


def form_page_or_404(page_id):
    """The live, public application form with this id (any other page is a 404).

    Kept by each worker for the site generation (``forms.compiled.cached_live_page``).
    """
    page = cached_live_page(page_id, _live_public_form_page)
    if page is None:
        raise Http404("No application form has this id.")
    return page


def _live_public_form_page(page_id):
    return (
        ApplicationFormPage.objects.live()
        .filter(pk=page_id)
        .exclude(in_private_section())
        # Read with the page, for get_agency/get_procedure. Its rows are read only when this
        # worker has not built the page's forms yet (forms.compiled).
        .select_related("agency", "procedure")
        .first()
    )


def request_language(accept_language):
    """The first supported language of an ``Accept-Language`` header; Vietnamese otherwise.

    /api/ is outside i18n_patterns, so LocaleMiddleware always activates the default
    language there: the header is read here instead.
    """
    for code, _quality in parse_accept_lang_header(accept_language or ""):
        if code == "*":
            continue
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


def problem(status, detail, errors=None, *, language=None, headers=None):
    """An ``application/problem+json`` response (like Wagtail's API v3 errors) with errors per key."""
    body = FormProblemSchema(
        title=HTTPStatus(status).phrase,
        status=status,
        detail=detail,
        errors={k: [str(m) for m in v] for k, v in (errors or {}).items()},
    )
    response = HttpResponse(body.model_dump_json(), status=status, content_type=PROBLEM_JSON)
    for name, value in (headers or {}).items():
        response[name] = value
    return _personal(response, language)


def _personal(response, language=None):
    """Answers and dossier codes are personal: never cached anywhere."""
    add_never_cache_headers(response)
    patch_cache_control(response, private=True, no_store=True)
    if language:
        response["Content-Language"] = language
        patch_vary_headers(response, ["Accept-Language"])
    return response


# --- the form as data -----------------------------------------------------------------------


def describe_condition(condition):
    if not condition or not condition.get("field"):
        return None
    return {
        "field": condition["field"],
        "operator": condition.get("operator") or ConditionOperator.EQUALS,
        "value": condition.get("value") or "",
        "values": expected_values(condition),
    }


def _choices(form_field, formfield):
    if form_field.field_type == FieldType.PROVINCE:
        return [{"value": value, "label": str(label)} for value, label in formfield.choices if value]
    return [{"value": value, "label": label} for value, label in form_field.get_choices()]


def _rules(form_field, formfield):
    rules = {}
    if getattr(formfield, "max_length", None):
        rules["max_length"] = formfield.max_length
    field_type = form_field.field_type
    if field_type == FieldType.PERSONAL_ID:
        rules["pattern"] = PERSONAL_ID_PATTERN
    elif field_type == FieldType.PREVIOUS_ID:
        rules["pattern"] = PREVIOUS_ID_PATTERN
    elif field_type == FieldType.PHONE:
        rules["pattern"] = PHONE_PATTERN
    elif field_type == FieldType.VN_DATE:
        rules.update(
            format="dd/mm/yyyy",
            min_age=formfield.min_age,
            max_age=formfield.max_age,
            allow_future=formfield.allow_future,
        )
    elif isinstance(formfield, PrivateFileField):
        rules.update(
            max_size_mb=formfield.max_size_mb,
            max_size_bytes=formfield.max_size_bytes,
            max_files=formfield.max_files,
            allowed_kinds=list(formfield.allowed_kinds),
            allowed_content_types=[UPLOAD_KINDS[kind].content_type for kind in formfield.allowed_kinds],
        )
    return rules


def describe_field(form_field, formfield):
    """One field row as the API shows it (``formfield`` is the Django field the builder made)."""
    if formfield is None:  # a heading: text only
        return {
            "key": form_field.key,
            "label": form_field.label,
            "type": form_field.field_type,
            "required": False,
            "help_text": form_field.help_text,
            "default": None,
            "choices": [],
            "multiple": False,
            "inputs": [],
            "condition": describe_condition(form_field.condition),
            "rules": {},
        }
    is_file = isinstance(formfield, PrivateFileField)
    return {
        "key": form_field.key,
        "label": form_field.label,
        "type": form_field.field_type,
        "required": form_field.required,
        "help_text": form_field.help_text or str(formfield.help_text or ""),
        "default": (form_field.default_value or None) if not is_file else None,
        "choices": _choices(form_field, formfield),
        "multiple": form_field.field_type == FieldType.CHECKBOXES or (is_file and formfield.max_files > 1),
        "inputs": input_names(form_field.key, formfield),
        "condition": describe_condition(form_field.condition),
        "rules": _rules(form_field, formfield),
    }


def _json_property(field):
    """The JSON Schema of one answer."""
    rules = field["rules"]
    prop = {"title": field["label"]}
    if field["help_text"]:
        prop["description"] = field["help_text"]
    values = [choice["value"] for choice in field["choices"]]
    field_type = field["type"]
    if field_type in (FieldType.CHECKBOX, FieldType.CONSENT):
        prop["type"] = "boolean"
        if field_type == FieldType.CONSENT:
            prop["const"] = True
    elif field_type == FieldType.CHECKBOXES:
        prop.update(type="array", items={"type": "string", "enum": values}, uniqueItems=True)
    elif field_type == FieldType.NUMBER:
        prop["type"] = "number"
    elif field_type == FieldType.ADDRESS:
        province_values = [code for code, _name in provinces()]
        prop.update(
            type="object",
            properties={
                "province": {"type": "string", "enum": province_values},
                "ward": {"type": "string", "pattern": WARD_CODE_PATTERN},
                "street": {"type": "string", "maxLength": AddressField.street_max_length},
            },
            required=["province", "ward", "street"],
        )
    elif field_type == FieldType.FILE:
        prop.update(
            type="array",
            items={"type": "string", "format": "binary", "x-allowed-content-types": rules["allowed_content_types"]},
            maxItems=rules["max_files"],
        )
        prop["x-max-size-bytes"] = rules["max_size_bytes"]
        if field["required"]:
            prop["minItems"] = 1
    else:
        prop["type"] = "string"
        if values:
            prop["enum"] = values
        if rules.get("pattern"):
            prop["pattern"] = rules["pattern"]
        if rules.get("max_length"):
            prop["maxLength"] = rules["max_length"]
        if field_type == FieldType.EMAIL:
            prop["format"] = "email"
        if rules.get("format"):
            prop["x-format"] = rules["format"]
    return prop


def _json_condition(condition, types_by_key):
    """``condition`` as a JSON Schema ``if`` (an unanswered field equals nothing)."""
    key = condition["field"]
    values = condition["values"]
    if types_by_key.get(key) in (FieldType.CHECKBOX, FieldType.CONSENT):
        matches = {"const": any(value in TRUE_VALUES for value in values)}
    elif types_by_key.get(key) == FieldType.CHECKBOXES:
        matches = {"contains": {"enum": values}}
    else:
        matches = {"enum": values}
    present = {"properties": {key: matches}, "required": [key]}
    return {"not": present} if condition["operator"] == ConditionOperator.NOT_EQUALS else present


def json_schema(steps):
    """A JSON Schema of the answers: one property per field; requirements under conditions as if/then."""
    fields = [(step, field) for step in steps for field in step["fields"] if field["inputs"]]
    types_by_key = {field["key"]: field["type"] for _step, field in fields}
    required = []
    conditional = {}
    for step, field in fields:
        if not field["required"]:
            continue
        conditions = [c for c in (step["condition"], field["condition"]) if c]
        if not conditions:
            required.append(field["key"])
            continue
        key = json.dumps(conditions, sort_keys=True)
        conditional.setdefault(key, (conditions, []))[1].append(field["key"])
    schema = {
        "$schema": JSON_SCHEMA_DIALECT,
        "type": "object",
        "properties": {field["key"]: _json_property(field) for _step, field in fields},
        "required": required,
        "additionalProperties": False,
    }
    rules = []
    for conditions, keys in conditional.values():
        parts = [_json_condition(condition, types_by_key) for condition in conditions]
        rules.append({"if": parts[0] if len(parts) == 1 else {"allOf": parts}, "then": {"required": keys}})
    if rules:
        schema["allOf"] = rules
    return schema


def describe_form(request, page):
    """The whole form as ``FormDefinitionSchema`` data."""
    steps = []
    compiled = compiled_form(page)
    for step in compiled.steps:
        formfields = compiled.form_class(step).base_fields
        steps.append(
            {
                "number": step.number,
                "title": step.title,
                "help_text": step.help_text,
                "condition": describe_condition(step.condition),
                "fields": [describe_field(f, formfields.get(f.key) if f.is_input else None) for f in step.fields],
            }
        )
    procedure = page.get_procedure()
    agency = page.get_agency()
    return {
        "id": page.pk,
        "title": page.title,
        "language": page.locale.language_code,
        "procedure": {"id": procedure.pk, "title": procedure.title} if procedure else None,
        "agency": {"code": agency.code, "name": str(agency)} if agency else None,
        "html_url": page.get_full_url(request),
        "submission_url": get_full_url(request, reverse("wagtailapi_v3:form_submissions", args=[page.pk])),
        "steps": steps,
        "json_schema": json_schema(steps),
    }


# --- reading a submission --------------------------------------------------------------------


def _content_length(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def body_limit(inputs, content_type):
    """The largest body this form can need: the answers' limit, plus every file at its
    maximum when the body is multipart (only multipart carries files)."""
    if settings.DATA_UPLOAD_MAX_MEMORY_SIZE is None:
        return None
    if content_type != "multipart/form-data":
        return settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    files = {key: formfield for key, formfield in inputs.values() if isinstance(formfield, PrivateFileField)}
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE + sum(
        field.max_files * (field.max_size_bytes + MULTIPART_OVERHEAD_PER_FILE) for field in files.values()
    )


def part_errors(data, files, inputs):
    """Errors for parts the form does not read, and for parts of the wrong kind.

    Messages only: the answers themselves are checked by ``validate_submission``.
    """
    errors = {}
    for name in sorted({*data.keys(), *files.keys()}):
        if name == HONEYPOT_FIELD:
            continue
        if name not in inputs:
            errors.setdefault(name, []).append(_("Biểu mẫu không có trường này."))
            continue
        key, formfield = inputs[name]
        is_file_field = isinstance(formfield, PrivateFileField)
        if name in files and not is_file_field:
            errors.setdefault(key, []).append(_("Trường này không nhận tệp; hãy gửi giá trị dạng chữ."))
        elif is_file_field and any(value.strip() for value in data.getlist(name)):
            errors.setdefault(key, []).append(_("Trường này cần tệp tải lên (một phần tệp của multipart)."))
        elif is_file_field and len(files.getlist(name)) > formfield.max_files:
            # The widget of a single-file field would keep only the last part: refuse instead.
            message = formfield.error_messages["too_many"] % {
                "max": formfield.max_files,
                "count": len(files.getlist(name)),
            }
            errors.setdefault(key, []).append(message)
    return errors


def tracking_url(request, dossier):
    """The tracking page (forms.review) in the active language, with the code filled in."""
    try:
        path = reverse("review_tracking:lookup")
    except NoReverseMatch:  # forms.review not installed
        path = TRACKING_PATH
    # The address the client used (its host is one of ALLOWED_HOSTS), rather than the Site's
    # root URL, which get_full_url finds with a query of its own.
    return request.build_absolute_uri(f"{path}?ma={quote(dossier.code)}")


def created_body(request, dossier):
    return {
        "code": dossier.code,
        "tracking_url": tracking_url(request, dossier),
        "status": dossier.status,
        "status_label": str(dossier.citizen_status_label),
        "submitted_at": dossier.submitted_at,
    }


# --- routes --------------------------------------------------------------------------------

ERROR_RESPONSES = {
    400: FormProblemSchema,
    404: ProblemDetail,
    413: FormProblemSchema,
    415: FormProblemSchema,
    429: FormProblemSchema,
}
SUBMISSION_BODY = {
    "requestBody": {
        "required": True,
        "description": (
            "One part per answer, named by the field key (see the form's schema: fields[].inputs). "
            "Files are file parts; repeat a part for several values (checkboxes, several files). "
            "Dates dd/mm/yyyy; checkbox and consent: true/false (or on). "
            "Parts the form does not have are refused (400)."
        ),
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "additionalProperties": {
                        "oneOf": [
                            {"type": "string"},
                            {"type": "string", "format": "binary"},
                            {"type": "array", "items": {"type": "string"}},
                            {"type": "array", "items": {"type": "string", "format": "binary"}},
                        ]
                    },
                }
            },
            "application/x-www-form-urlencoded": {
                "schema": {"type": "object", "additionalProperties": {"type": "string"}}
            },
        },
    },
}


@router.get(
    "/{int:page_id}/schema/",
    response={200: FormDefinitionSchema, 404: ProblemDetail},
    url_name="form_schema",
    by_alias=True,
    summary="Application form schema",
    description=(
        "Steps, fields (type, required, help text, choices, rules such as file limits, age limits and "
        "patterns), conditions, and a JSON Schema of the answers. Field texts are in the page's language; "
        "default help texts follow Accept-Language (vi, en)."
    ),
    operation_id="forms_schema",
)
def form_schema(
    request: HttpRequest,
    page_id: int,
    response: HttpResponse,
    accept_language: str | None = Header(None, alias="Accept-Language"),
):
    page = form_page_or_404(page_id)
    language = request_language(accept_language)
    with translation.override(language):
        definition = describe_form(request, page)
    response["Content-Language"] = language
    patch_vary_headers(response, ["Accept-Language"])
    return definition


@router.post(
    "/{int:page_id}/submissions/",
    auth=AllowAnonymous(),
    response={201: FormSubmissionCreatedSchema, 200: FormSubmissionCreatedSchema, **ERROR_RESPONSES},
    url_name="form_submissions",
    summary="Submit an application",
    description=(
        "Validates the answers exactly as the portal's HTML form does (same fields, conditions and checks) "
        "and creates a dossier: 201 with its code and tracking URL. 400 lists messages per field key in the "
        "language of Accept-Language (vi by default, en). With an Idempotency-Key header, a repeat with the "
        "same key returns the first dossier (200, header Idempotent-Replayed: true) and creates nothing. "
        "413 when the body is larger than the form can need, 415 for a body that is not a form, 429 when "
        "this client has sent too many submissions (Retry-After). No CSRF token and no authentication."
    ),
    operation_id="forms_submit",
    openapi_extra=SUBMISSION_BODY,
)
def submit(
    request: HttpRequest,
    page_id: int,
    response: HttpResponse,
    idempotency_key: str | None = Header(
        None, alias="Idempotency-Key", description="Up to 64 letters, digits, . _ : - (a UUID is a good choice)."
    ),
    accept_language: str | None = Header(None, alias="Accept-Language"),
):
    page = form_page_or_404(page_id)
    language = request_language(accept_language)
    with translation.override(language):
        return _submit(request, page, response, idempotency_key, language)


def _submit(request, page, response, idempotency_key, language):
    key = None
    if idempotency_key is not None:
        if not IDEMPOTENCY_KEY_PATTERN.fullmatch(idempotency_key):
            detail = _("Idempotency-Key chỉ gồm tối đa 64 chữ cái, chữ số và các dấu . _ : -")
            return problem(400, detail, {"__all__": [detail]}, language=language)
        key = f"api:{page.pk}:{idempotency_key}"
        existing = page.dossiers.filter(idempotency_key=key).first()
        if existing is not None:
            _personal(response, language)
            response["Idempotent-Replayed"] = "true"
            return Status(200, created_body(request, existing))

    compiled = compiled_form(page)
    inputs = compiled.inputs
    content_type = (request.content_type or "").lower()
    limit = body_limit(inputs, content_type)
    if limit is not None and _content_length(request) > limit:
        return _too_large(language)
    if content_type not in FORM_CONTENT_TYPES:
        detail = _("Hãy gửi câu trả lời dạng multipart/form-data (mỗi trường một phần, tệp là phần tệp).")
        return problem(415, detail, language=language)
    if is_rate_limited(request, "submit"):
        detail = _("Bạn đã gửi quá nhiều lần. Hệ thống tạm thời chưa nhận thêm hồ sơ; vui lòng thử lại sau ít phút.")
        return problem(429, detail, language=language, headers={"Retry-After": str(retry_after_seconds())})
    try:
        data, files = (
            read_multipart(request) if content_type == "multipart/form-data" else (request.POST, request.FILES)
        )
    except RequestDataTooBig:
        return _too_large(language)
    except (MultiPartParserError, TooManyFieldsSent, TooManyFilesSent):
        detail = _("Không đọc được nội dung gửi lên (multipart/form-data không hợp lệ).")
        return problem(400, detail, language=language)

    if data.get(HONEYPOT_FIELD):
        # The portal's honeypot: people never fill it. Store nothing.
        detail = _("Không thể nhận hồ sơ này.")
        return problem(400, detail, {"__all__": [detail]}, language=language)
    errors = part_errors(data, files, inputs)
    validation = validate_submission(page, data, files, compiled=compiled)
    for field_key, messages in validation.errors.items():
        errors.setdefault(field_key, []).extend(messages)
    if errors:
        return problem(400, _("Hồ sơ chưa hợp lệ: vui lòng sửa các trường được nêu."), errors, language=language)

    result = submit_application(
        page,
        validation.answers,
        validation.uploads,
        idempotency_key=key,
        language=language,
        channel=Channel.ONLINE,
        compiled=compiled,
    )
    body = created_body(request, result.dossier)
    _personal(response, language)
    if not result.created:  # the same key won a race with this request
        response["Idempotent-Replayed"] = "true"
        return Status(200, body)
    response["Location"] = body["tracking_url"]
    return Status(201, body)


def _too_large(language):
    detail = _("Nội dung gửi lên quá lớn so với giới hạn của biểu mẫu.")
    return problem(413, detail, language=language)


__all__ = ["router"]
