"""Tracking a dossier through the headless API: ``POST /api/v3/dossiers/lookup/``.

The same check as the tracking page (code + last 4 digits of the phone, same rate limits);
a wrong pair and an unknown code both answer 404 with the same body. Responses are
``Cache-Control: private, no-store``. Added to the v3 API in site_config/urls.py.
"""

from datetime import date, datetime

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from . import citizen
from .calendar import local_day
from .views_tracking import CLIENT_RATE, NOT_FOUND, lookup_is_rate_limited

router = Router(tags=["dossiers"])


class LookupIn(Schema):
    code: str = Field(max_length=64, description="The dossier code printed on the receipt.")
    phone_last4: str = Field(pattern=r"^\d{4}$", description="The last 4 digits of the phone given in the dossier.")


class TimelineEntry(Schema):
    status: str = Field(description="National status code 1–10.")
    label: str = Field(description="The citizen's label of that status.")
    at: datetime
    note: str = Field(description="The reason or request addressed to the citizen, if any.")


class DossierStatusOut(Schema):
    code: str
    status: str = Field(description="National status code 1–10.")
    status_label: str = Field(description="The citizen's label.")
    procedure: str | None
    agency: str
    submitted_on: date
    received_on: date | None
    due_date: date | None = Field(description="Promised return date (ngày hẹn trả), in working days.")
    expectation: str = Field(description="What the citizen should do or expect now.")
    supplement_requested: list[str] = Field(description="Labels of the answers/documents to send again, if any.")
    timeline: list[TimelineEntry]


class Problem(Schema):
    detail: str


def _private(response):
    add_never_cache_headers(response)
    patch_cache_control(response, private=True, no_store=True)
    return response


@router.post(
    "/lookup/",
    response={200: DossierStatusOut, 404: Problem, 429: Problem},
    summary="Track a dossier by its code and the last 4 digits of the phone",
)
def lookup(request: HttpRequest, response: HttpResponse, payload: LookupIn):
    _private(response)
    if lookup_is_rate_limited(request, payload.code):
        response["Retry-After"] = str(CLIENT_RATE[1])
        return Status(429, {"detail": _("Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau ít phút.")})
    dossier = citizen.lookup(payload.code, payload.phone_last4)
    if dossier is None:
        return Status(404, {"detail": str(NOT_FOUND)})
    supplement = citizen.open_supplement_request(dossier)
    labels = dossier.form_version.field_labels() if supplement else {}
    timeline = [{**entry, "label": str(entry["label"])} for entry in citizen.public_timeline(dossier)]
    return Status(
        200,
        {
            "code": dossier.code,
            "status": dossier.status,
            "status_label": str(dossier.citizen_status_label),
            "procedure": dossier.procedure.title if dossier.procedure_id else None,
            "agency": str(dossier.agency.display_name),
            "submitted_on": local_day(dossier.submitted_at),
            "received_on": local_day(dossier.received_at) if dossier.received_at else None,
            "due_date": dossier.due_date,
            "expectation": str(citizen.expectation(dossier)),
            "supplement_requested": [labels.get(key, key) for key in supplement.items] if supplement else [],
            "timeline": timeline,
        },
    )
