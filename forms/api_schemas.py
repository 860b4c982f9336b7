"""Response shapes of the forms API (django-ninja schemas), described in /api/v3/openapi.json.

Names start with ``Form`` so they cannot collide with the schemas Wagtail generates for
page models in the same OpenAPI document.
"""

from datetime import datetime
from typing import Any

from ninja import Schema
from pydantic import Field


class FormConditionSchema(Schema):
    """Show the field (or the whole step) only when another answer matches."""

    field: str = Field(description="Key of the answer compared.")
    operator: str = Field(description="eq (equals), ne (not equal: also true when unanswered) or in (one of).")
    value: str = Field(description="The value as the editor wrote it (comma-separated for in).")
    values: list[str] = Field(description="The value(s) compared: one for eq/ne, several for in.")


class FormChoiceSchema(Schema):
    value: str = Field(description="What to send.")
    label: str


class FormFieldRulesSchema(Schema):
    """The checks the server applies (the HTML form applies the same ones)."""

    max_length: int | None = Field(None, description="Characters, as typed.")
    pattern: str | None = Field(
        None,
        description="Regular expression of the normalised value (spaces, dots and +84 are accepted and removed).",
    )
    format: str | None = Field(None, description="dd/mm/yyyy for dates (yyyy-mm-dd is accepted too).")
    min_age: int | None = Field(None, description="Birth dates: minimum age in completed years.")
    max_age: int | None = Field(None, description="Birth dates: maximum age in completed years.")
    allow_future: bool | None = Field(None, description="Dates: whether a day after today is accepted.")
    max_size_mb: float | None = Field(
        None, description="Files: maximum size of each file, in MB (1 MB = 1,048,576 bytes)."
    )
    max_size_bytes: int | None = None
    max_files: int | None = Field(None, description="Files: how many files the field takes.")
    allowed_kinds: list[str] | None = Field(
        None, description="Files: jpg, png, webp, pdf. Checked by content, not by name."
    )
    allowed_content_types: list[str] | None = None


class FormFieldSchema(Schema):
    key: str = Field(description="The answer's name: the multipart part name (see inputs).")
    label: str
    type: str = Field(
        description=(
            "singleline, multiline, email, number, dropdown, radio, checkboxes, checkbox, personal_id, "
            "previous_id, phone, vn_date, person_name, province, address, file, consent; heading is text only."
        )
    )
    required: bool = Field(description="Required when the field (and its step) is shown.")
    help_text: str
    default: str | None = None
    choices: list[FormChoiceSchema]
    multiple: bool = Field(description="Repeat the part for several values (checkboxes, several files).")
    inputs: list[str] = Field(
        description="The multipart part names this field reads: the key, or key_province, key_ward, key_street."
    )
    condition: FormConditionSchema | None
    rules: FormFieldRulesSchema


class FormStepSchema(Schema):
    number: int
    title: str
    help_text: str
    condition: FormConditionSchema | None = Field(description="The whole step is shown only when it holds.")
    fields: list[FormFieldSchema]


class FormProcedureSchema(Schema):
    id: int
    title: str


class FormAgencySchema(Schema):
    code: str
    name: str


class FormDefinitionSchema(Schema):
    """A form, everything a headless client needs to render and submit it."""

    id: int
    title: str
    language: str = Field(description="The language of the labels (the page's).")
    procedure: FormProcedureSchema | None
    agency: FormAgencySchema | None
    html_url: str | None = Field(description="The form on the portal.")
    submission_url: str = Field(description="POST the answers here (multipart/form-data).")
    steps: list[FormStepSchema]
    # Named json_schema in JSON; the attribute cannot be (ninja's Schema.json_schema()).
    answers_json_schema: dict[str, Any] = Field(
        alias="json_schema",
        description=(
            "JSON Schema (2020-12) of the answers as one object keyed by field key, with the conditional "
            "requirements as if/then. An address is an object here and three parts in multipart (see inputs)."
        ),
    )


class FormSubmissionCreatedSchema(Schema):
    code: str = Field(description="The dossier code (mã hồ sơ), e.g. 000.20.79.H29-260315-0042.")
    tracking_url: str = Field(description="Where the citizen follows the dossier.")
    status: str = Field(description="National status code: 1 = Mới đăng ký.")
    status_label: str = Field(description="The status as citizens read it.")
    submitted_at: datetime


class FormProblemSchema(Schema):
    """An RFC 7807 problem (application/problem+json), with the errors per field key."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: dict[str, list[str]] = Field(
        default_factory=dict,
        description='Messages per field key, in the language of Accept-Language; "__all__" for the whole form.',
    )
