"""Public views of the guides app: QR redirects and images, printable leaflets.

Thin views: parse the input, ask `services`, `qr` or `printing`, answer. A code that is
unknown, inactive or malformed gets the site's friendly 404 page (with its search box),
never an error.

The /q/ routes sit outside the /en/ prefix (one printed code for every reader), so they
answer in the language the browser asks for (Accept-Language),
Vietnamese when it asks for none of ours; see guides/README.md.
"""

import re
from functools import wraps

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation.trans_real import parse_accept_lang_header
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe

from cms.views import page_not_found

from . import printing, qr
from .models import CODE_ALPHABET, CODE_MAX_LENGTH, GuidePage
from .services import find_active_qr_code, record_scan

CODE_PATTERN = re.compile(rf"^[{CODE_ALPHABET}]{{1,{CODE_MAX_LENGTH}}}$")
IMAGE_MAX_AGE = 24 * 60 * 60


def preferred_language(request):
    """The first of our languages in the browser's Accept-Language (in order of preference),
    or None when it names none of them. Unlike Django's negotiation there is no fallback,
    so a code can tell "asks for Vietnamese" from "asks for nothing we have"."""
    for tag, _quality in parse_accept_lang_header(request.META.get("HTTP_ACCEPT_LANGUAGE", "")):
        if tag == "*":
            break
        try:
            return translation.get_supported_language_variant(tag)
        except LookupError:
            continue
    return None


def in_visitor_language(view):
    """Run the view in the browser's language (Vietnamese by default) and say so in
    Content-Language; LocaleMiddleware would pin every unprefixed URL to Vietnamese."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        language = preferred_language(request) or settings.LANGUAGE_CODE
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = view(request, *args, **kwargs)
        response["Content-Language"] = language
        return response

    return wrapper


def _qr_code_or_none(code):
    """The active QR code named in the URL; None for anything malformed, unknown or inactive."""
    code = (code or "").upper()
    if not CODE_PATTERN.match(code):
        return None
    return find_active_qr_code(code)


@never_cache
@require_safe
@in_visitor_language
def qr_redirect(request, code):
    """302 to the code's target; each GET is counted for today (HEAD, e.g. link previews, is not).

    A browser that asks for one of our languages goes to the target page's live
    translation in that language when there is one (same step anchor)."""
    qr_code = _qr_code_or_none(code)
    target = qr_code.get_target_url(request, language=preferred_language(request)) if qr_code else None
    if not target:
        return page_not_found(request)
    if request.method == "GET":
        record_scan(qr_code.pk)
    response = HttpResponseRedirect(target)
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
@cache_control(public=True, max_age=IMAGE_MAX_AGE)
@in_visitor_language
def qr_svg(request, code):
    qr_code = _qr_code_or_none(code)
    if qr_code is None:
        return page_not_found(request)
    return HttpResponse(qr.svg_bytes(qr_code.code, title=qr_code.label), content_type="image/svg+xml")


@require_safe
@cache_control(public=True, max_age=IMAGE_MAX_AGE)
@in_visitor_language
def qr_png(request, code):
    """``?size=N``: N pixels square, from PNG_MIN_SIZE to PNG_MAX_SIZE; anything else is a 400."""
    qr_code = _qr_code_or_none(code)
    if qr_code is None:
        return page_not_found(request)
    raw_size = request.GET.get("size", str(qr.PNG_DEFAULT_SIZE))
    if not raw_size.isascii() or not raw_size.isdigit() or not qr.PNG_MIN_SIZE <= int(raw_size) <= qr.PNG_MAX_SIZE:
        message = gettext("Kích thước ảnh phải là số nguyên từ %(min)d đến %(max)d (điểm ảnh).") % {
            "min": qr.PNG_MIN_SIZE,
            "max": qr.PNG_MAX_SIZE,
        }
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
    return HttpResponse(qr.png_bytes(qr_code.code, int(raw_size)), content_type="image/png")


def _live_guide(page_id):
    return GuidePage.objects.live().public().filter(pk=page_id).select_related("agency", "locale").first()


def _may_create_code(request):
    """Only a signed-in editor who may add QR codes gets one made by opening a leaflet
    (the "Tờ hướng dẫn (PDF)" link in the guide's editor); the public path only reads."""
    return request.user.is_authenticated and request.user.has_perm("guides.add_qrcode")


@require_safe
def guide_leaflet(request, page_id):
    """The printable A4 leaflet of a guide, as HTML with a print stylesheet."""
    guide = _live_guide(page_id)
    if guide is None:
        return page_not_found(request)
    html = printing.render_leaflet_html(guide, request=request, may_create_code=_may_create_code(request))
    return HttpResponse(html)


@require_safe
def guide_leaflet_pdf(request, page_id):
    """The same leaflet as a PDF rendered on the server."""
    guide = _live_guide(page_id)
    if guide is None:
        return page_not_found(request)
    pdf = printing.render_leaflet_pdf(guide, may_create_code=_may_create_code(request))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{printing.leaflet_filename(guide)}"'
    return response
