"""Printable outputs: the guide leaflet (HTML + PDF) and the QR set sheet PDF.

The PDFs are rasterised with PDFium and their QR codes decoded with zbar, so the
tests check what a phone would read off the paper.
"""

import ctypes
import re

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pyzbar import pyzbar
from wagtail.models import Site

from guides import qr
from guides.models import GuidePage, QRCode
from tests.factories.cms import UserFactory
from tests.factories.qr import QRCodeFactory, QRSetFactory, QRSetItemFactory


def pdf_pages(content):
    return pdfium.PdfDocument(content)


def decode_pdf(content, scale=3):
    """The QR payloads on each page, top to bottom, left to right."""
    found = []
    for page in pdf_pages(content):
        image = page.render(scale=scale).to_pil().convert("L")
        symbols = sorted(pyzbar.decode(image), key=lambda s: (round(s.rect.top / 50), s.rect.left))
        found.append([symbol.data.decode() for symbol in symbols])
    return found


def pdf_fonts(content):
    """``{(base font name, is embedded), …}`` of every text object in the PDF."""
    fonts = set()
    for page in pdf_pages(content):
        for text_object in page.get_objects(filter=[pdfium_raw.FPDF_PAGEOBJ_TEXT]):
            font = pdfium_raw.FPDFTextObj_GetFont(text_object.raw)
            length = pdfium_raw.FPDFFont_GetBaseFontName(font, None, 0)
            buffer = ctypes.create_string_buffer(length)
            pdfium_raw.FPDFFont_GetBaseFontName(font, buffer, length)
            fonts.add((buffer.value.decode(), bool(pdfium_raw.FPDFFont_GetIsEmbedded(font))))
    return fonts


def assert_set_in_embedded_dejavu(content):
    """Every piece of text uses an embedded DejaVu face, which has all Vietnamese diacritics."""
    fonts = pdf_fonts(content)
    assert fonts
    assert all("DejaVu" in name and embedded for name, embedded in fonts), fonts


def pdf_language(content):
    """The document language WeasyPrint wrote into the PDF catalogue (from <html lang>)."""
    document = pdf_pages(content)
    size = pdfium_raw.FPDFCatalog_GetLanguage(document.raw, None, 0)
    buffer = (ctypes.c_ushort * (size // 2))()
    pdfium_raw.FPDFCatalog_GetLanguage(document.raw, buffer, size)
    return bytes(buffer).decode("utf-16-le").rstrip("\x00")


def pdf_text(content):
    return "\n".join(page.get_textpage().get_text_range() for page in pdf_pages(content))


@pytest.fixture
def passport_guide(demo_site):
    guide = GuidePage.objects.live().get(title="Cấp hộ chiếu phổ thông không gắn chíp điện tử ở trong nước")
    # Start from a guide without codes (the demo seed may have made one) so each test
    # knows which code the leaflet must carry.
    QRCode.objects.filter(page=guide).delete()
    # Page URLs come from Wagtail's cached site root paths, which another test may have left stale.
    Site.clear_site_root_paths_cache()
    return guide


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(username="print-admin", is_superuser=True, is_staff=True))
    return client


# --- the leaflet --------------------------------------------------------------------------


@pytest.mark.django_db
def test_leaflet_html_has_summary_steps_fees_components_and_the_qr(client, passport_guide):
    qr_code = QRCodeFactory(url="", page=passport_guide, label=passport_guide.title)
    response = client.get(reverse("guides:guide_leaflet", args=[passport_guide.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert passport_guide.title in html
    assert "200.000 đ" in html  # the first-issue fee
    for component in passport_guide.dossier_components.all():
        assert component.name in html
    for block in passport_guide.steps:
        assert block.value["title"] in html
    assert 'src="data:image/svg+xml' in html
    assert qr.public_url(qr_code.code) in html
    assert "guides/css/print.css" in html
    assert reverse("guides:guide_leaflet_pdf", args=[passport_guide.pk]) in html
    # A strict CSP is possible: no inline scripts or styles.
    assert "<script" not in html
    assert "<style" not in html
    assert not re.search(r"\sstyle=", html)


@pytest.mark.django_db
def test_leaflet_of_the_english_guide_is_english_with_english_fees(client, passport_guide, english_catalog):
    english = GuidePage.objects.get(locale__language_code="en", slug="ordinary-passport-without-chip")
    html = client.get(reverse("guides:guide_leaflet", args=[english.pk])).content.decode()
    assert '<html lang="en">' in html
    assert "Documents to submit" in html
    assert "200,000 VND" in html and "200.000 đ" not in html
    pdf = client.get(reverse("guides:guide_leaflet_pdf", args=[english.pk])).content
    assert pdf_language(pdf) == "en"
    assert "Documents to submit" in pdf_text(pdf)
    vietnamese = client.get(reverse("guides:guide_leaflet_pdf", args=[passport_guide.pk])).content
    assert pdf_language(vietnamese) == "vi"


@pytest.mark.django_db
def test_leaflet_pdf_is_one_a4_page_in_dejavu_with_a_qr_to_the_guide(client, passport_guide):
    qr_code = QRCodeFactory(url="", page=passport_guide, label=passport_guide.title)
    response = client.get(reverse("guides:guide_leaflet_pdf", args=[passport_guide.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    content = response.content
    pages = pdf_pages(content)
    assert len(pages) == 1
    width, height = pages[0].get_size()
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    assert_set_in_embedded_dejavu(content)
    text = pdf_text(content)
    assert "Cấp hộ chiếu phổ thông không gắn chíp điện tử" in " ".join(text.split())
    assert "Thành phần hồ sơ" in text
    assert decode_pdf(content) == [[qr.public_url(qr_code.code)]]


@pytest.mark.django_db
def test_public_leaflet_of_a_guide_without_a_code_writes_nothing(client, passport_guide):
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("guides:guide_leaflet", args=[passport_guide.pk]))
        pdf = client.get(reverse("guides:guide_leaflet_pdf", args=[passport_guide.pk]))
    assert html.status_code == pdf.status_code == 200
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []
    assert not QRCode.objects.filter(page=passport_guide).exists()
    # The symbol then leads straight to the guide (uncounted) rather than to no guide at all.
    assert decode_pdf(pdf.content) == [[passport_guide.full_url]]
    assert passport_guide.full_url in html.content.decode()


@pytest.mark.django_db
def test_editor_opening_the_leaflet_makes_one_code_and_reuses_it(admin_client, passport_guide):
    first = admin_client.get(reverse("guides:guide_leaflet_pdf", args=[passport_guide.pk]))
    admin_client.get(reverse("guides:guide_leaflet", args=[passport_guide.pk]))
    qr_code = QRCode.objects.get(page=passport_guide)
    assert qr_code.label == passport_guide.title
    assert decode_pdf(first.content) == [[qr.public_url(qr_code.code)]]


@pytest.mark.django_db
def test_publishing_a_guide_gives_it_one_leaflet_code(client, passport_guide):
    passport_guide.save_revision().publish()
    qr_code = QRCode.objects.get(page=passport_guide)
    assert (qr_code.label, qr_code.anchor, qr_code.url, qr_code.is_active) == (passport_guide.title, "", "", True)
    passport_guide.save_revision().publish()
    assert QRCode.objects.filter(page=passport_guide).count() == 1
    response = client.get(reverse("guides:guide_leaflet_pdf", args=[passport_guide.pk]))
    assert decode_pdf(response.content) == [[qr.public_url(qr_code.code)]]


@pytest.mark.django_db
def test_leaflet_of_a_step_code_or_an_inactive_code_is_not_used(admin_client, passport_guide):
    QRCodeFactory(url="", page=passport_guide, anchor="buoc-2")
    QRCodeFactory(url="", page=passport_guide, is_active=False)
    response = admin_client.get(reverse("guides:guide_leaflet_pdf", args=[passport_guide.pk]))
    whole_guide = QRCode.objects.get(page=passport_guide, anchor="", is_active=True)
    assert decode_pdf(response.content) == [[qr.public_url(whole_guide.code)]]


@pytest.mark.django_db
def test_leaflet_of_an_unknown_unpublished_or_non_guide_page_is_404(client, passport_guide, demo_site):
    assert client.get(reverse("guides:guide_leaflet", args=[999999])).status_code == 404
    assert client.get(reverse("guides:guide_leaflet_pdf", args=[demo_site.pk])).status_code == 404
    passport_guide.unpublish()
    response = client.get(reverse("guides:guide_leaflet_pdf", args=[passport_guide.pk]))
    assert response.status_code == 404
    assert b'id="notfound-search"' in response.content


# --- the QR set sheet ---------------------------------------------------------------------


@pytest.mark.django_db
def test_qr_set_pdf_decodes_to_each_code_in_order(admin_client):
    qr_set = QRSetFactory(title="Bộ mã QR – hộ chiếu")
    codes = [
        QRSetItemFactory(
            qr_set=qr_set, qr_code=QRCodeFactory(label=f"Bước {n} – nộp hồ sơ hộ chiếu"), sort_order=n
        ).qr_code
        for n in range(1, 8)
    ]
    response = admin_client.get(reverse("guides_qr_sets:pdf", args=[qr_set.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    urls = [qr.public_url(code.code) for code in codes]
    assert decode_pdf(response.content) == [urls[:6], urls[6:]]  # 6 per A4 sheet
    text = " ".join(pdf_text(response.content).split())
    assert "Bước 1 – nộp hồ sơ hộ chiếu" in text
    assert_set_in_embedded_dejavu(response.content)


@pytest.mark.django_db
def test_qr_set_pdf_is_in_the_editors_admin_language(admin_client, english_catalog):
    from wagtail.users.models import UserProfile

    qr_set = QRSetFactory(title="Bộ mã trống")
    vietnamese = admin_client.get(reverse("guides_qr_sets:pdf", args=[qr_set.pk])).content
    assert pdf_language(vietnamese) == "vi"
    assert "Bộ mã QR này chưa có mã nào." in pdf_text(vietnamese)
    user = admin_client.get(reverse("wagtailadmin_home")).wsgi_request.user
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    english = admin_client.get(reverse("guides_qr_sets:pdf", args=[qr_set.pk])).content
    assert pdf_language(english) == "en"
    assert "This QR code set has no codes yet." in pdf_text(english)


@pytest.mark.django_db
def test_qr_set_edit_view_offers_the_pdf_download(admin_client):
    qr_set = QRSetItemFactory().qr_set
    response = admin_client.get(reverse("guides_qr_sets:edit", args=[qr_set.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("guides_qr_sets:pdf", args=[qr_set.pk]) in html
    assert "Tải PDF" in html


@pytest.mark.django_db
def test_qr_set_pdf_needs_an_admin_login(client):
    qr_set = QRSetItemFactory().qr_set
    response = client.get(reverse("guides_qr_sets:pdf", args=[qr_set.pk]))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_qr_set_pdf_is_refused_to_an_editor_without_qr_permissions(client):
    from django.contrib.auth.models import Permission

    qr_set = QRSetItemFactory().qr_set
    editor = UserFactory(username="no-qr-editor")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    response = client.get(reverse("guides_qr_sets:pdf", args=[qr_set.pk]))
    # Wagtail answers a permission refusal with a redirect to the dashboard and a message.
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
