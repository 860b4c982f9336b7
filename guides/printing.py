"""Printable outputs: the one-page A4 leaflet of a guide and the A4 sheet of a QR set.

Both are HTML with a print stylesheet; the PDFs are rendered in-process by WeasyPrint.
WeasyPrint may only read ``data:`` URIs (the QR images): it never opens a file or a
network URL named in content, and the stylesheet is handed to it directly. Text is set
in DejaVu Sans (Debian's fonts-dejavu-core), which has every Vietnamese diacritic.
"""

import html
from functools import lru_cache

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import ngettext, override

from . import qr
from .services import ensure_page_qr_code, find_page_qr_code

PRINT_CSS = "guides/css/print.css"
STEP_SUMMARY_WORDS = 28
QR_SET_PER_SHEET = 6  # 2 columns × 3 rows on A4: 6 cm symbols that scan from a metre away
QR_SET_COLUMNS = 2


@lru_cache(maxsize=1)
def print_stylesheet_text():
    path = finders.find(PRINT_CSS)
    if not path:
        raise FileNotFoundError(PRINT_CSS)
    with open(path, encoding="utf-8") as css_file:
        return css_file.read()


def html_to_pdf(document):
    """PDF bytes of an HTML string, styled by the print stylesheet."""
    # Imported here: WeasyPrint loads Pango through ctypes, which only the print views need.
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"})
    stylesheet = CSS(string=print_stylesheet_text(), url_fetcher=fetcher)
    return HTML(string=document, url_fetcher=fetcher, base_url=None).write_pdf(stylesheets=[stylesheet])


# --- the guide leaflet ----------------------------------------------------------------


def _plain_text(rich_text, words=STEP_SUMMARY_WORDS):
    source = getattr(rich_text, "source", rich_text) or ""
    text = " ".join(html.unescape(strip_tags(str(source))).split())
    return Truncator(text).words(words, truncate=" …")


def _processing_time(guide):
    days = getattr(guide, "processing_days", None)
    note = getattr(guide, "processing_time_note", "")
    parts = []
    if days:
        parts.append(ngettext("%(days)d ngày làm việc", "%(days)d ngày làm việc", days) % {"days": days})
    if note:
        parts.append(note)
    return "; ".join(parts)


def _condensed_steps(guide):
    steps = []
    for position, block in enumerate(getattr(guide, "steps", None) or [], start=1):
        value = block.value
        steps.append(
            {
                "position": position,
                "title": value.get("title", ""),
                "text": _plain_text(value.get("body")),
            }
        )
    return steps


def _leaflet_qr(guide, *, may_create_code):
    """(code or None, URL in the symbol, symbol as a data: URI, or "" when there is nothing to encode).

    The guide's counted /q/ code when it has one (made at publication, or now for an
    editor); a public request for a guide without one gets a symbol of the guide's own
    URL and writes nothing."""
    qr_code = ensure_page_qr_code(guide) if may_create_code else find_page_qr_code(guide)
    if qr_code is not None:
        return qr_code, qr.public_url(qr_code.code), qr.svg_data_uri(qr_code.code)
    url = guide.full_url or ""
    return None, url, qr.url_svg_data_uri(url) if url else ""


def leaflet_context(guide, *, may_create_code=False):
    """What the leaflet shows; reads the guide's fields defensively (any page type works)."""
    qr_code, qr_url, qr_image = _leaflet_qr(guide, may_create_code=may_create_code)
    agency = getattr(guide, "agency", None)
    fees = list(guide.fees.all()) if hasattr(guide, "fees") else []
    components = list(guide.dossier_components.all()) if hasattr(guide, "dossier_components") else []
    service_level = guide.get_service_level_display() if hasattr(guide, "get_service_level_display") else ""
    return {
        "guide": guide,
        "title": guide.title,
        "procedure_code": getattr(guide, "procedure_code", ""),
        "summary": getattr(guide, "summary", ""),
        "agency_name": agency.display_name if agency else "",
        "service_level": service_level,
        "processing_time": _processing_time(guide),
        "result": getattr(guide, "result", ""),
        "fees": [{"label": fee.label, "amount": fee.display_amount} for fee in fees],
        "components": [
            {
                "name": component.name,
                "description": getattr(component, "description", ""),
                "copies": getattr(component, "copies", 1),
                "is_required": getattr(component, "is_required", True),
            }
            for component in components
        ],
        "steps": _condensed_steps(guide),
        "qr_code": qr_code,
        "qr_url": qr_url,
        "qr_image": qr_image,
        "guide_url": guide.full_url or "",
    }


def render_leaflet_html(guide, *, for_pdf=False, request=None, may_create_code=False):
    """The leaflet in its guide's language (an English guide prints an English leaflet)."""
    with override(guide.locale.language_code):
        context = leaflet_context(guide, may_create_code=may_create_code)
        context.update(for_pdf=for_pdf, language_code=guide.locale.language_code)
        return render_to_string("guides/print/leaflet.html", context, request=request)


def render_leaflet_pdf(guide, *, may_create_code=False):
    return html_to_pdf(render_leaflet_html(guide, for_pdf=True, may_create_code=may_create_code))


def leaflet_filename(guide):
    return f"huong-dan-{guide.slug}.pdf"


# --- the QR set sheet -----------------------------------------------------------------


def qr_set_context(qr_set):
    cells = [
        {
            "label": qr_code.label,
            "code": qr_code.code,
            "url": qr.public_url(qr_code.code),
            "image": qr.svg_data_uri(qr_code.code),
        }
        for qr_code in qr_set.ordered_qr_codes()
    ]
    sheets = []
    for start in range(0, len(cells), QR_SET_PER_SHEET):
        sheet = cells[start : start + QR_SET_PER_SHEET]
        sheets.append([sheet[row : row + QR_SET_COLUMNS] for row in range(0, len(sheet), QR_SET_COLUMNS)])
    return {"qr_set": qr_set, "title": qr_set.title, "sheets": sheets, "count": len(cells)}


def render_qr_set_pdf(qr_set):
    document = render_to_string("guides/print/qr_set.html", qr_set_context(qr_set))
    return html_to_pdf(document)


def qr_set_filename(qr_set):
    return f"bo-ma-qr-{qr_set.pk}.pdf"
