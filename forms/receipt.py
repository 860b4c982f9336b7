"""The receipt of a submitted dossier as a PDF (WeasyPrint, in-process).

Like guides.printing: WeasyPrint may read nothing but the stylesheet handed to it (no
file or network URL from content); DejaVu Sans covers every Vietnamese diacritic.
"""

from functools import lru_cache

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

RECEIPT_CSS = "forms/css/receipt.css"


@lru_cache(maxsize=1)
def receipt_stylesheet_text():
    path = finders.find(RECEIPT_CSS)
    if not path:
        raise FileNotFoundError(RECEIPT_CSS)
    with open(path, encoding="utf-8") as css_file:
        return css_file.read()


def code_qr_data_uri(code):
    """A QR code of the dossier code (TT 01/2018 art. 19 allows one beside it), as a data: URI.

    It holds the code only, no personal data, so the office can scan the printed receipt.
    """
    import segno

    return segno.make(code, error="m").svg_data_uri(scale=4, border=2)


def receipt_html(context):
    context = {**context, "code_qr": code_qr_data_uri(context["dossier"].code)}
    return render_to_string("forms/pages/receipt_print.html", context)


def receipt_pdf(context):
    """PDF bytes of the receipt (context as built by forms.views._receipt_context)."""
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"})
    stylesheet = CSS(string=receipt_stylesheet_text(), url_fetcher=fetcher)
    return HTML(string=receipt_html(context), url_fetcher=fetcher, base_url=None).write_pdf(stylesheets=[stylesheet])
