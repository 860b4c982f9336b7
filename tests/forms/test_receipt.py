"""The receipt PDF is written in the language the citizen is reading (/en/ or not)."""

import ctypes
from io import StringIO

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import translation

from forms.views import receipt_url
from tests.factories.forms import make_dossier, make_form_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def english_catalog(settings):
    call_command("compile_translations", stdout=StringIO())
    settings.LOCALE_PATHS = [*settings.LOCALE_PATHS]


def pdf_language_and_text(content):
    document = pdfium.PdfDocument(content)
    size = pdfium_raw.FPDFCatalog_GetLanguage(document.raw, None, 0)
    buffer = (ctypes.c_ushort * (size // 2))()
    pdfium_raw.FPDFCatalog_GetLanguage(document.raw, buffer, size)
    text = "\n".join(page.get_textpage().get_text_range() for page in document)
    return bytes(buffer).decode("utf-16-le").rstrip("\x00"), " ".join(text.split())


def receipt_pdf_path(client, dossier, language):
    """The receipt's PDF URL in `language`, bound to the test client's session (as after submitting)."""
    session = client.session
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    request = RequestFactory().get("/")
    request.session = session
    with translation.override(language):
        path = receipt_url(request, dossier) + "pdf/"
    session.save()
    return path


def test_receipt_pdf_follows_the_language_of_the_page(client, demo_site, english_catalog):
    dossier = make_dossier(make_form_page(demo_site))

    english_path = receipt_pdf_path(client, dossier, "en")
    assert english_path.startswith("/en/")
    response = client.get(english_path)
    assert response.status_code == 200
    language, text = pdf_language_and_text(response.content)
    assert language == "en"
    assert "Receipt for an online application" in text and "What happens next" in text

    response = client.get(receipt_pdf_path(client, dossier, "vi"))
    language, text = pdf_language_and_text(response.content)
    assert language == "vi"
    assert "Biên nhận hồ sơ nộp trực tuyến" in text
