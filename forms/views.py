"""The citizen's journey through an application form, the receipt and the file download.

Thin views: parse the request, call the builder / draft / service, render or redirect.
Every response here carries ``Cache-Control: private, no-store``: the pages hold personal
data and must never be cached by a proxy or served to another visitor.
"""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .builder import build_step_form, display_answer, page_steps
from .compiled import compiled_for_request
from .conditions import condition_met, data_attributes
from .constants import HONEYPOT_FIELD, Channel
from .models import Dossier, DossierFile, FieldType
from .permissions import can_view_dossier
from .ratelimit import is_rate_limited, retry_after_seconds
from .services import submit_application
from .steps import Draft, step_uploads, validate_draft
from .storage import private_storage

RECEIPT_SECRET_KEY = "portal_forms.receipt_secret"  # noqa: S105 - a session key name, not a secret


def private(response):
    """No caching anywhere: personal data."""
    add_never_cache_headers(response)
    patch_cache_control(response, private=True, no_store=True)
    return response


# --- receipts are bound to the submitting browser session ----------------------------------


def _receipt_secret(request, create=False):
    secret = request.session.get(RECEIPT_SECRET_KEY)
    if secret is None and create:
        secret = secrets.token_urlsafe(16)
        request.session[RECEIPT_SECRET_KEY] = secret
    return secret


def receipt_token(request, code):
    secret = _receipt_secret(request, create=True)
    message = f"{code}:{secret}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:32]


def receipt_url(request, dossier):
    return reverse("portal_forms:receipt", kwargs={"code": dossier.code, "token": receipt_token(request, dossier.code)})


def _dossier_for_receipt(request, code, token):
    secret = _receipt_secret(request)
    if not secret:
        raise Http404
    expected = hmac.new(settings.SECRET_KEY.encode(), f"{code}:{secret}".encode(), hashlib.sha256).hexdigest()[:32]
    if not secrets.compare_digest(expected, str(token)):
        raise Http404
    return get_object_or_404(Dossier.objects.select_related("agency", "procedure", "form_page"), code=code)


# --- rendering helpers ------------------------------------------------------------------------


def _rows(step, form, uploads):
    """What the step template renders, in the editor's order: headings and fields."""
    answers = {**form.prior_answers}
    rows = []
    for form_field in step.fields:
        if form_field.field_type == FieldType.HEADING:
            rows.append(
                {
                    "heading": form_field,
                    "hidden": not condition_met(form_field.condition, answers),
                    "condition_attrs": data_attributes(form_field.condition),
                }
            )
            continue
        key = form_field.key
        rows.append(
            {
                "field": form[key],
                "model": form_field,
                "hidden": form.is_hidden(key),
                "condition_attrs": data_attributes(form_field.condition),
                "uploads": uploads.get(key, []),
                "is_file": form_field.field_type == FieldType.FILE,
            }
        )
    return rows


def _progress(visible, step):
    numbers = [s.number for s in visible]
    position = numbers.index(step.number) + 1 if step.number in numbers else 1
    return {"position": position, "total": len(visible), "steps": visible}


def _render_step(request, page, step, form, visible, uploads, status=200):
    form.prepare_for_display()
    context = page.get_context(request)
    context.update(
        step=step,
        form=form,
        rows=_rows(step, form, uploads),
        progress=_progress(visible, step),
        is_first=visible and visible[0].number == step.number,
        honeypot_name=HONEYPOT_FIELD,
        errors=[(form[key], errors) for key, errors in form.errors.items() if key in form.fields],
        non_field_errors=form.non_field_errors(),
    )
    return private(TemplateResponse(request, page.get_template(request), context, status=status))


def _neighbour(visible, step, offset):
    numbers = [s.number for s in visible]
    if step.number not in numbers:
        return None
    index = numbers.index(step.number) + offset
    return visible[index] if 0 <= index < len(visible) else None


# --- the journey -----------------------------------------------------------------------------


def start(request, page):
    return private(redirect(page.step_url(1)))


def step(request, page, number):
    compiled = compiled_for_request(request, page)
    steps = compiled.steps if compiled is not None else page_steps(page)
    if not 1 <= number <= len(steps):
        raise Http404
    current = steps[number - 1]
    form_class = compiled.render_class(current) if compiled is not None else None
    draft = Draft(request, page)
    known = validate_draft(page, draft, steps=steps, stop_at=number, compiled=compiled)
    if not known.is_complete:
        # An earlier step is missing or no longer valid: go there first.
        return private(redirect(page.step_url(known.first_incomplete.number)))
    visible = [s for s in steps if condition_met(s.condition, known.answers)]
    if not condition_met(current.condition, known.answers):
        following = next((s for s in visible if s.number > number), None)
        return private(redirect(page.step_url(following.number) if following else page.review_url))

    uploads = step_uploads(current, draft)
    if request.method == "POST":
        if request.POST.get(HONEYPOT_FIELD):
            return private(redirect(page.step_url(number)))
        form = build_step_form(
            page, current, request.POST, request.FILES, answers=known.answers, uploads=uploads, form_class=form_class
        )
        is_valid = form.is_valid()
        # Keep what was typed and every file that passed its checks, valid step or not.
        draft.save_step_data(number, request.POST, names=form.input_names())
        for key in form.fields:
            if form.field_types.get(key) == FieldType.FILE and key not in form.errors and key not in form.hidden_keys:
                new_files = [item for item in form.cleaned_data.get(key) or [] if hasattr(item, "file")]
                uploads[key] = draft.store_uploads(key, new_files)
        if request.POST.get("action") == "back":
            previous = _neighbour(visible, current, -1)
            return private(redirect(page.step_url(previous.number) if previous else page.step_url(number)))
        if is_valid:
            answers = {**known.answers, **form.answers()}
            visible = [s for s in steps if condition_met(s.condition, answers)]
            following = _neighbour(visible, current, +1)
            return private(redirect(page.step_url(following.number) if following else page.review_url))
        return _render_step(request, page, current, form, visible, uploads)

    data = draft.step_data(number)
    if data is not None:
        form = build_step_form(page, current, data, None, answers=known.answers, uploads=uploads, form_class=form_class)
        form.is_valid()
    else:
        form = build_step_form(page, current, answers=known.answers, uploads=uploads, form_class=form_class)
    return _render_step(request, page, current, form, visible, uploads)


def _review_sections(validation):
    sections = []
    for current in validation.steps:
        form = validation.forms.get(current.number)
        items = []
        for form_field in current.input_fields:
            if form is None or form.is_hidden(form_field.key) or form_field.key not in validation.answers:
                continue
            items.append(
                {
                    "label": form_field.label,
                    "value": display_answer(form_field, validation.answers.get(form_field.key)),
                    "key": form_field.key,
                }
            )
        sections.append({"step": current, "items": items})
    return sections


def review(request, page):
    draft = Draft(request, page)
    validation = validate_draft(page, draft, compiled=compiled_for_request(request, page))
    if not validation.is_complete:
        return private(redirect(page.step_url(validation.first_incomplete.number)))
    context = page.get_context(request)
    context.update(
        sections=_review_sections(validation),
        submit_token=draft.issue_submit_token(),
        honeypot_name=HONEYPOT_FIELD,
        progress={"total": len(validation.steps)},
        last_step=validation.steps[-1] if validation.steps else None,
    )
    return private(TemplateResponse(request, "forms/pages/review.html", context))


def rate_limited(request, page=None):
    context = page.get_context(request) if page is not None else {"page": None}
    response = TemplateResponse(request, "forms/pages/rate_limited.html", context, status=429)
    response["Retry-After"] = str(retry_after_seconds())
    return private(response)


def submit(request, page):
    if request.method != "POST":
        return private(redirect(page.review_url))
    if is_rate_limited(request, "submit"):
        return rate_limited(request, page)
    if request.POST.get(HONEYPOT_FIELD):
        # A bot filled the hidden field: store nothing, say nothing useful.
        return private(redirect(page.step_url(1)))
    token = request.POST.get("submit_token", "")
    key = f"html:{token}"
    existing = Dossier.objects.filter(idempotency_key=key).first() if token else None
    if existing is not None:
        # The same form sent twice (double click, reload): the same receipt, nothing new.
        return private(redirect(receipt_url(request, existing)))
    draft = Draft(request, page)
    if not draft.submit_token_matches(token):
        messages.warning(request, _("Phiên nộp hồ sơ đã thay đổi. Vui lòng kiểm tra lại thông tin rồi bấm Nộp hồ sơ."))
        return private(redirect(page.review_url))
    compiled = compiled_for_request(request, page)
    validation = validate_draft(page, draft, compiled=compiled)
    if not validation.is_complete:
        return private(redirect(page.step_url(validation.first_incomplete.number)))
    result = submit_application(
        page,
        validation.answers,
        validation.uploads,
        idempotency_key=key,
        language=(get_language() or "vi")[:10],
        channel=Channel.ONLINE,
        compiled=compiled,
    )
    kept = result.dossier.files.values_list("stored_name", flat=True)
    draft.clear(keep_stored_names=list(kept))
    return private(redirect(receipt_url(request, result.dossier)))


def preview(request, page):
    """The editor's preview: every step of the (unsaved) form at once, nothing stored."""
    steps = page_steps(page)
    sections = []
    for current in steps:
        form = build_step_form(page, current)
        form.prepare_for_display()
        sections.append({"step": current, "form": form, "rows": _rows(current, form, {})})
    context = page.get_context(request)
    context.update(sections=sections, honeypot_name=HONEYPOT_FIELD)
    return private(TemplateResponse(request, "forms/pages/preview.html", context))


# --- receipt and files ----------------------------------------------------------------------


def _receipt_context(request, dossier, token):
    procedure = dossier.procedure.specific if dossier.procedure_id else None
    return {
        "page": None,
        "dossier": dossier,
        "procedure": procedure,
        "agency": dossier.agency,
        "form_page": dossier.form_page.specific,
        "processing_days": getattr(procedure, "processing_days", None),
        "processing_time_note": getattr(procedure, "processing_time_note", ""),
        "pdf_url": reverse("portal_forms:receipt_pdf", kwargs={"code": dossier.code, "token": token}),
    }


@require_GET
def receipt(request, code, token):
    dossier = _dossier_for_receipt(request, code, token)
    return private(TemplateResponse(request, "forms/pages/receipt.html", _receipt_context(request, dossier, token)))


@require_GET
def receipt_pdf(request, code, token):
    from .receipt import receipt_pdf as render_pdf

    dossier = _dossier_for_receipt(request, code, token)
    response = HttpResponse(render_pdf(_receipt_context(request, dossier, token)), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="bien-nhan-{dossier.code}.pdf"'
    return private(response)


@login_required
@require_GET
def download_file(request, file_id):
    """A dossier's file, for the receiving agency's officers only (404 for anyone else)."""
    dossier_file = get_object_or_404(DossierFile.objects.select_related("dossier"), pk=file_id)
    if not can_view_dossier(request.user, dossier_file.dossier):
        raise Http404
    if not dossier_file.stored_name:  # erased by the retention rule (forms.housekeeping): the row stays
        return private(TemplateResponse(request, "housekeeping/file_erased.html", status=410))
    try:
        handle = private_storage.open(dossier_file.stored_name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=dossier_file.original_name, content_type=dossier_file.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return private(response)
