"""Tracking a dossier without an account (``/tra-cuu/``), and what the citizen does from there.

The code + last 4 digits of the phone (or a signed link) mark the dossier as verified in
this browser session for a while; the detail, supplement, withdrawal, rating and result
pages need that mark. A wrong pair gets exactly the answer of an unknown code. Attempts are
rate limited per client and per code. Every response is ``private, no-store``.
"""

import hashlib
import hmac
import time

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from forms.constants import DossierStatus
from forms.models import Dossier
from forms.notifications import services as notifications
from forms.ratelimit import is_rate_limited
from forms.storage import private_storage
from forms.views import private

from . import citizen
from .models import Satisfaction
from .services import TransitionRefused, withdraw_dossier

SESSION_KEY = "review.tracked"
VERIFIED_FOR_SECONDS = 60 * 60  # an hour after the check, then ask again
# Per client: 10 look-ups in 10 minutes; per code (whoever asks): 20 an hour, so the 10,000
# possible last-4 digits of one code cannot be tried.
CLIENT_RATE = (10, 10 * 60)
CODE_RATE = (20, 60 * 60)
NOT_FOUND = gettext_lazy(
    "Không tìm thấy hồ sơ với mã hồ sơ và 4 số cuối điện thoại này. Hãy kiểm tra lại mã trên biên nhận."
)


class LookupForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Mã hồ sơ"),
        max_length=64,
        help_text=gettext_lazy("In trên giấy biên nhận, ví dụ 000.20.79.H29-260315-0042."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "aria-describedby": "id_code-help",
            }
        ),
    )
    phone_last4 = forms.RegexField(
        label=gettext_lazy("4 số cuối của số điện thoại trong hồ sơ"),
        regex=r"^\s*\d{4}\s*$",
        error_messages={"invalid": gettext_lazy("Nhập đúng 4 chữ số.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": "4"}),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Lý do rút hồ sơ"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class RatingForm(forms.Form):
    satisfaction = forms.ChoiceField(
        label=gettext_lazy("Bạn có hài lòng với việc giải quyết hồ sơ?"),
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=gettext_lazy("Góp ý (không bắt buộc)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def code_is_rate_limited(code):
    """Count a look-up of `code` (hashed, whatever the code: no hint whether it exists)."""
    digest = hmac.new(settings.SECRET_KEY.encode(), citizen.normalize_code(code).encode(), hashlib.sha256).hexdigest()
    limit, window = CODE_RATE
    key = f"review.rl.code.{digest[:32]}"
    if cache.add(key, 1, timeout=window):
        return False
    try:
        return cache.incr(key) > limit
    except ValueError:
        cache.add(key, 1, timeout=window)
        return False


def lookup_is_rate_limited(request, code):
    client_limited = is_rate_limited(request, "tracking", rate=CLIENT_RATE)
    return code_is_rate_limited(code) or client_limited


def remember(request, dossier):
    tracked = dict(request.session.get(SESSION_KEY) or {})
    now = int(time.time())
    tracked = {key: at for key, at in tracked.items() if now - at < VERIFIED_FOR_SECONDS}
    tracked[str(dossier.pk)] = now
    request.session[SESSION_KEY] = tracked


def tracked_dossier(request, code):
    """The dossier `code` if this session verified it recently; else Http404 (same for unknown codes)."""
    dossier = (
        Dossier.objects.exclude(status=DossierStatus.DRAFT)
        .select_related("procedure", "agency", "result_file")
        .filter(code=citizen.normalize_code(code))
        .first()
    )
    tracked = request.session.get(SESSION_KEY) or {}
    at = tracked.get(str(dossier.pk)) if dossier is not None else None
    if at is None or time.time() - at >= VERIFIED_FOR_SECONDS:
        raise Http404
    return dossier


def detail_url(dossier):
    return reverse("review_tracking:detail", kwargs={"code": dossier.code})


def _render(request, template, context, status=200):
    context.setdefault("page", None)
    form = context.get("form")
    if form is not None and form.is_bound and "errors" not in context:
        context["errors"] = [(form[key], errors) for key, errors in form.errors.items() if key in form.fields]
        context["non_field_errors"] = form.non_field_errors()
    return private(TemplateResponse(request, template, context, status=status))


@require_http_methods(["GET", "POST"])
def lookup(request):
    if request.method == "GET":
        # ?ma=<code>: the link on the receipt and in the API's tracking_url fills the code in.
        initial = {"code": citizen.normalize_code(request.GET.get("ma", ""))} if request.GET.get("ma") else {}
        return _render(request, "review/tracking/lookup.html", {"form": LookupForm(initial=initial)})
    form = LookupForm(request.POST)
    if not form.is_valid():
        return _render(request, "review/tracking/lookup.html", {"form": form})
    code = form.cleaned_data["code"]
    if lookup_is_rate_limited(request, code):
        response = _render(request, "review/tracking/lookup.html", {"form": form, "rate_limited": True}, status=429)
        response["Retry-After"] = str(CLIENT_RATE[1])
        return response
    dossier = citizen.lookup(code, form.cleaned_data["phone_last4"].strip())
    if dossier is None:
        form.add_error(None, NOT_FOUND)
        return _render(request, "review/tracking/lookup.html", {"form": form})
    remember(request, dossier)
    return private(redirect(detail_url(dossier)))


def signed_link(request, token):
    """A link sent to the citizen (supplement request, rating invitation): no code or phone needed."""
    dossier, purpose = citizen.dossier_from_token(token)
    if dossier is None:
        messages.error(request, _("Đường dẫn đã hết hạn hoặc không đúng. Hãy tra cứu bằng mã hồ sơ."))
        return private(redirect(reverse("review_tracking:lookup")))
    remember(request, dossier)
    if purpose == "bo-sung" and citizen.open_supplement_request(dossier) is not None:
        return private(redirect(reverse("review_tracking:supplement", kwargs={"code": dossier.code})))
    return private(redirect(detail_url(dossier) + ("#danh-gia" if purpose == "danh-gia" else "")))


def detail(request, code):
    dossier = tracked_dossier(request, code)
    supplement = citizen.open_supplement_request(dossier)
    labels = dossier.form_version.field_labels()
    context = {
        "dossier": dossier,
        "status_label": dossier.citizen_status_label,
        "procedure": dossier.procedure,
        "timeline": citizen.public_timeline(dossier),
        "expectation": citizen.expectation(dossier),
        "supplement": supplement,
        "supplement_items": [labels.get(key, key) for key in supplement.items] if supplement else [],
        "result_file": citizen.result_file(dossier),
        "withdraw_form": WithdrawForm() if citizen.can_withdraw(dossier) else None,
        "rating_form": RatingForm() if citizen.can_rate(dossier) else None,
        "rating": getattr(dossier, "rating", None) if hasattr(dossier, "rating") else None,
        "notices": notifications.citizen_notices(dossier),
    }
    return _render(request, "review/tracking/detail.html", context)


@require_http_methods(["GET", "POST"])
def supplement(request, code):
    dossier = tracked_dossier(request, code)
    request_obj = citizen.open_supplement_request(dossier)
    if request_obj is None:
        return private(redirect(detail_url(dossier)))
    if request.method == "POST":
        form = citizen.supplement_form(dossier, request_obj, request.POST, request.FILES)
        if form.is_valid():
            answers = form.answers()
            uploads = {key: answers.pop(key) for key in list(answers) if form.field_types.get(key) == "file"}
            try:
                citizen.submit_supplement(dossier.pk, answers=answers, uploads=uploads)
            except TransitionRefused as refusal:
                messages.error(request, str(refusal))
            else:
                messages.success(request, _("Đã gửi hồ sơ bổ sung. Cơ quan tiếp tục giải quyết hồ sơ của bạn."))
            return private(redirect(detail_url(dossier)))
    else:
        form = citizen.supplement_form(dossier, request_obj)
    form.prepare_for_display()
    rows = [
        {
            "field": form[field.key],
            "model": field,
            "hidden": False,
            "condition_attrs": {},
            "uploads": [],
            "is_file": field.field_type == "file",
        }
        for field in form.source_fields
        if field.key in form.fields
    ]
    errors = [(form[key], errors) for key, errors in form.errors.items() if key in form.fields]
    context = {
        "dossier": dossier,
        "request_obj": request_obj,
        "form": form,
        "rows": rows,
        "errors": errors,
        "non_field_errors": form.non_field_errors(),
    }
    return _render(request, "review/tracking/supplement.html", context)


@require_POST
def withdraw(request, code):
    dossier = tracked_dossier(request, code)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy cho biết lý do rút hồ sơ."))
        return private(redirect(detail_url(dossier)))
    try:
        withdraw_dossier(dossier.pk, None, reason=form.cleaned_data["reason"])
    except (TransitionRefused, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("Hồ sơ đã được rút."))
    return private(redirect(detail_url(dossier)))


@require_POST
def rate(request, code):
    dossier = tracked_dossier(request, code)
    form = RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy chọn mức độ hài lòng."))
        return private(redirect(detail_url(dossier) + "#danh-gia"))
    try:
        citizen.rate_dossier(dossier.pk, **form.cleaned_data)
    except TransitionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Cảm ơn bạn đã đánh giá."))
    return private(redirect(detail_url(dossier) + "#danh-gia"))


def result(request, code):
    dossier = tracked_dossier(request, code)
    dossier_file = citizen.result_file(dossier)
    if dossier_file is None or not dossier_file.stored_name:  # none, or erased by the retention rule
        raise Http404
    try:
        handle = private_storage.open(dossier_file.stored_name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=dossier_file.original_name, content_type=dossier_file.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return private(response)
