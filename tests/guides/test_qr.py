"""QR codes: the printed code, /q/ redirects and images, scan counting, the admin."""

import datetime
import io
import re
import threading

import pytest
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pyzbar import pyzbar
from wagtail.models import Site

from guides import qr
from guides.demo_qr import PASSPORT_SET_TITLE, seed_qr
from guides.models import CODE_ALPHABET, GuidePage, QRCode, QRScanDaily, QRSet
from guides.services import record_scan
from tests.factories.cms import StandardPageFactory, UserFactory
from tests.factories.qr import QRCodeFactory, QRScanDailyFactory

CODE_RE = re.compile(rf"^[{CODE_ALPHABET}]{{7}}$")


@pytest.fixture
def target_page(demo_site):
    """A published page at /ho-chieu-qr/ on the demo site."""
    # Another test may have left Wagtail's cached site root paths pointing at a site that
    # was rolled back or flushed; page URLs are computed from that cache.
    Site.clear_site_root_paths_cache()
    return StandardPageFactory(parent=demo_site, title="Hộ chiếu", slug="ho-chieu-qr")


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(username="qr-admin", is_superuser=True, is_staff=True))
    return client


def decode_png(content):
    image = Image.open(io.BytesIO(content))
    return [symbol.data.decode() for symbol in pyzbar.decode(image)]


# --- the code -------------------------------------------------------------------------


@pytest.mark.django_db
def test_codes_are_short_unambiguous_url_safe_and_unique():
    codes = [QRCodeFactory().code for _ in range(40)]
    assert all(CODE_RE.match(code) for code in codes)
    assert len(set(codes)) == len(codes)
    assert not set("01IOL").intersection("".join(codes))


@pytest.mark.django_db
def test_changing_the_target_never_changes_the_printed_code(target_page):
    qr_code = QRCodeFactory(url="https://dichvucong.gov.vn")
    printed = qr_code.code
    qr_code.url = ""
    qr_code.page = target_page
    qr_code.anchor = "buoc-2"
    qr_code.save()
    qr_code.refresh_from_db()
    assert qr_code.code == printed
    assert qr_code.get_target_url() == "/ho-chieu-qr/#buoc-2"


@pytest.mark.django_db
def test_saving_a_different_code_is_refused():
    qr_code = QRCodeFactory()
    printed = qr_code.code
    qr_code.code = "ABCDEFG"
    with pytest.raises(ValueError):
        qr_code.save()
    assert QRCode.objects.get(pk=qr_code.pk).code == printed


# --- /q/<code> ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_scan_redirects_to_the_page_step(client, target_page):
    qr_code = QRCodeFactory(url="", page=target_page, anchor="buoc-3")
    response = client.get(f"/q/{qr_code.code}")
    assert response.status_code == 302
    assert response["Location"] == "/ho-chieu-qr/#buoc-3"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@pytest.mark.django_db
def test_scan_redirects_to_the_national_portal(client):
    qr_code = QRCodeFactory(url="https://dichvucong.gov.vn")
    response = client.get(f"/q/{qr_code.code}")
    assert response.status_code == 302
    assert response["Location"] == "https://dichvucong.gov.vn"


@pytest.mark.django_db
def test_code_typed_in_lower_case_still_redirects(client):
    qr_code = QRCodeFactory()
    assert client.get(f"/q/{qr_code.code.lower()}").status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/q/ZZZZZZZ",  # well-formed, unknown
        "/q/%3Cscript%3E",  # malformed
        "/q/0OIL1AB",  # characters that are never used
        "/q/" + "A" * 60,  # too long
        "/q/ABC%00DEF",
        "/q/ABC.gif",
    ],
)
def test_unknown_or_malformed_code_gets_the_friendly_404(client, path):
    scans = QRScanDaily.objects.count()
    response = client.get(path)
    assert response.status_code == 404
    assert b'id="notfound-search"' in response.content
    assert QRScanDaily.objects.count() == scans


@pytest.mark.django_db
def test_inactive_code_gets_the_friendly_404_and_is_not_counted(client):
    qr_code = QRCodeFactory(is_active=False)
    response = client.get(f"/q/{qr_code.code}")
    assert response.status_code == 404
    assert b'id="notfound-search"' in response.content
    assert not QRScanDaily.objects.filter(qr_code=qr_code).exists()


@pytest.mark.django_db
def test_code_of_an_unpublished_or_deleted_page_gets_404(client, target_page):
    qr_code = QRCodeFactory(url="", page=target_page)
    target_page.unpublish()
    assert client.get(f"/q/{qr_code.code}").status_code == 404
    target_page.delete()
    qr_code.refresh_from_db()
    assert qr_code.page_id is None
    assert client.get(f"/q/{qr_code.code}").status_code == 404


# --- the visitor's language ---------------------------------------------------------------


@pytest.fixture
def passport_guides(demo_site):
    """The demo passport guide in Vietnamese and its English translation."""
    Site.clear_site_root_paths_cache()
    vi = GuidePage.objects.get(locale__language_code="vi", slug="cap-ho-chieu-khong-gan-chip")
    en = GuidePage.objects.get(locale__language_code="en", slug="ordinary-passport-without-chip")
    return vi, en


@pytest.mark.django_db
def test_english_browser_is_sent_to_the_english_guide_at_the_same_step(client, passport_guides):
    vi, en = passport_guides
    qr_code = QRCodeFactory(url="", page=vi, anchor="buoc-2")
    english = client.get(f"/q/{qr_code.code}", headers={"Accept-Language": "en-GB,en;q=0.9,vi;q=0.5"})
    assert english.status_code == 302
    assert english["Location"] == f"{en.url}#buoc-2"
    assert english["Location"].startswith("/en/")
    vietnamese = client.get(f"/q/{qr_code.code}", headers={"Accept-Language": "vi-VN,vi;q=0.9,en;q=0.8"})
    assert vietnamese["Location"] == f"{vi.url}#buoc-2"
    # Every scan counts for the printed code, whichever page it leads to.
    assert QRScanDaily.objects.get(qr_code=qr_code).count == 2


@pytest.mark.django_db
def test_code_of_an_english_leaflet_sends_a_vietnamese_browser_to_the_vietnamese_guide(client, passport_guides):
    vi, en = passport_guides
    qr_code = QRCodeFactory(url="", page=en)
    assert client.get(f"/q/{qr_code.code}", headers={"Accept-Language": "vi"})["Location"] == vi.url
    # A browser that asks for none of our languages (or for nothing) keeps the printed target.
    assert client.get(f"/q/{qr_code.code}", headers={"Accept-Language": "ko-KR,ko;q=0.9"})["Location"] == en.url
    assert client.get(f"/q/{qr_code.code}")["Location"] == en.url


@pytest.mark.django_db
def test_english_browser_stays_on_a_page_without_a_live_english_translation(client, passport_guides):
    vi, en = passport_guides
    qr_code = QRCodeFactory(url="", page=vi)
    en.unpublish()
    assert client.get(f"/q/{qr_code.code}", headers={"Accept-Language": "en"})["Location"] == vi.url
    external = QRCodeFactory(url="https://dichvucong.gov.vn")
    assert (
        client.get(f"/q/{external.code}", headers={"Accept-Language": "en"})["Location"] == "https://dichvucong.gov.vn"
    )


@pytest.mark.django_db
def test_unknown_code_answers_in_the_browsers_language(client, english_catalog):
    english = client.get("/q/ZZZZZZZ", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert english.status_code == 404
    html = english.content.decode()
    assert '<html lang="en">' in html and "Page not found" in html and "Không tìm thấy trang" not in html
    assert english["Content-Language"] == "en"
    assert "Accept-Language" in english["Vary"]
    for headers in ({}, {"Accept-Language": "vi"}, {"Accept-Language": "fr-FR,fr;q=0.9"}):
        response = client.get("/q/ZZZZZZZ", headers=headers)
        assert "Không tìm thấy trang" in response.content.decode()
        assert response["Content-Language"] == "vi"
    image = client.get("/q/ZZZZZZZ.svg", headers={"Accept-Language": "en"})
    assert image.status_code == 404 and "Page not found" in image.content.decode()


@pytest.mark.django_db
def test_bad_png_size_is_explained_in_the_browsers_language(client, english_catalog):
    qr_code = QRCodeFactory()
    english = client.get(f"/q/{qr_code.code}.png", {"size": "5"}, headers={"Accept-Language": "en"})
    assert english.status_code == 400
    assert english.content.decode().startswith("The image size must be a whole number from 64 to 2048")
    vietnamese = client.get(f"/q/{qr_code.code}.png", {"size": "5"})
    assert vietnamese.content.decode().startswith("Kích thước ảnh phải là số nguyên từ 64 đến 2048")


# --- scan counting ------------------------------------------------------------------------


@pytest.mark.django_db
def test_each_scan_is_counted_per_code_per_day_without_visitor_data(client):
    qr_code, other = QRCodeFactory(), QRCodeFactory()
    visitor = {"REMOTE_ADDR": "203.0.113.77", "HTTP_USER_AGENT": "ZaloScanner/1.0"}
    for _ in range(3):
        client.get(f"/q/{qr_code.code}", **visitor)
    client.get(f"/q/{other.code}", **visitor)
    record_scan(qr_code.pk, day=timezone.localdate() - datetime.timedelta(days=1))

    rows = {(row.qr_code_id, row.day): row.count for row in QRScanDaily.objects.filter(qr_code__in=[qr_code, other])}
    today = timezone.localdate()
    assert rows == {
        (qr_code.pk, today): 3,
        (qr_code.pk, today - datetime.timedelta(days=1)): 1,
        (other.pk, today): 1,
    }
    # The counter has no room for personal data, and none was stored anywhere in its rows.
    assert {field.name for field in QRScanDaily._meta.concrete_fields} == {"id", "qr_code", "day", "count"}
    stored = repr(list(QRScanDaily.objects.values()))
    assert "203.0.113.77" not in stored
    assert "Zalo" not in stored


@pytest.mark.django_db
def test_head_request_is_not_counted(client):
    qr_code = QRCodeFactory()
    assert client.head(f"/q/{qr_code.code}").status_code == 302
    assert not QRScanDaily.objects.filter(qr_code=qr_code).exists()


@pytest.mark.django_db
def test_first_scan_of_the_day_recovers_when_another_request_inserted_the_row():
    qr_code = QRCodeFactory()
    today = timezone.localdate()
    # The row another request created between our UPDATE (0 rows) and our INSERT.
    QRScanDaily.objects.create(qr_code=qr_code, day=today, count=1)
    record_scan(qr_code.pk, day=today)
    assert QRScanDaily.objects.get(qr_code=qr_code, day=today).count == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_scans_are_all_counted():
    qr_code = QRCodeFactory()
    # SQLite serialises writers and its shared in-memory test database locks tables
    # instead of waiting, so the true concurrency run is on PostgreSQL.
    workers = 6 if connection.vendor == "postgresql" else 1
    scans_each = 5
    barrier = threading.Barrier(workers)
    errors = []

    def scan():
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            for _ in range(scans_each):
                record_scan(qr_code.pk)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=scan) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert QRScanDaily.objects.get(qr_code=qr_code).count == workers * scans_each


# --- images -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_png_decodes_to_the_absolute_public_url(client):
    qr_code = QRCodeFactory()
    response = client.get(f"/q/{qr_code.code}.png", {"size": "300"})
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(response.content)).size == (300, 300)
    assert decode_png(response.content) == [f"{qr.public_base_url()}/q/{qr_code.code}"]
    assert not QRScanDaily.objects.filter(qr_code=qr_code).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("size", ["64", "2048"])
def test_png_size_limits_are_inclusive(client, size):
    qr_code = QRCodeFactory()
    response = client.get(f"/q/{qr_code.code}.png", {"size": size})
    assert response.status_code == 200
    assert Image.open(io.BytesIO(response.content)).size == (int(size), int(size))


@pytest.mark.django_db
def test_png_without_size_is_512_pixels(client):
    response = client.get(f"/q/{QRCodeFactory().code}.png")
    assert Image.open(io.BytesIO(response.content)).size == (512, 512)


@pytest.mark.django_db
@pytest.mark.parametrize("size", ["abc", "", "0", "63", "2049", "12.5", "-100", "1e3", "١٢٨", "99999999999999999999"])
def test_png_size_that_is_not_a_number_or_out_of_range_is_400(client, size):
    response = client.get(f"/q/{QRCodeFactory().code}.png", {"size": size})
    assert response.status_code == 400


@pytest.mark.django_db
def test_svg_is_an_accessible_svg_of_the_public_url(client):
    qr_code = QRCodeFactory(label="Cổng Dịch vụ công quốc gia")
    response = client.get(f"/q/{qr_code.code}.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    body = response.content.decode()
    assert body.startswith("<svg")
    assert "<title>Cổng Dịch vụ công quốc gia</title>" in body
    assert f"<desc>{qr.public_base_url()}/q/{qr_code.code}</desc>" in body


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", [".svg", ".png"])
def test_images_of_unknown_or_inactive_codes_are_404(client, suffix):
    inactive = QRCodeFactory(is_active=False)
    assert client.get(f"/q/ZZZZZZZ{suffix}").status_code == 404
    assert client.get(f"/q/{inactive.code}{suffix}").status_code == 404
    assert client.get(f"/q/<b>{suffix}").status_code == 404


@pytest.mark.django_db
def test_public_url_uses_the_portal_setting_then_the_site_root(client):
    qr_code = QRCodeFactory()
    with override_settings(PORTAL_PUBLIC_BASE_URL="https://dichvucong.example.gov.vn/"):
        assert qr.public_url(qr_code.code) == f"https://dichvucong.example.gov.vn/q/{qr_code.code}"
        response = client.get(f"/q/{qr_code.code}.png")
        assert decode_png(response.content) == [f"https://dichvucong.example.gov.vn/q/{qr_code.code}"]
    Site.objects.filter(is_default_site=True).update(hostname="portal.example.vn", port=443)
    with override_settings(PORTAL_PUBLIC_BASE_URL="", WAGTAILADMIN_BASE_URL=""):
        assert qr.public_url(qr_code.code) == f"https://portal.example.vn/q/{qr_code.code}"


# --- admin --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_listing_shows_total_and_last_30_days_scans(admin_client):
    qr_code = QRCodeFactory(label="Hộ chiếu có chíp")
    today = timezone.localdate()
    QRScanDailyFactory(qr_code=qr_code, day=today, count=3)
    QRScanDailyFactory(qr_code=qr_code, day=today - datetime.timedelta(days=29), count=2)
    QRScanDailyFactory(qr_code=qr_code, day=today - datetime.timedelta(days=30), count=7)
    QRCodeFactory(label="Chưa quét")

    response = admin_client.get(reverse("guides_qr_codes:index"))
    assert response.status_code == 200
    rows = {row.label: (row.recent_scans, row.total_scans) for row in response.context["object_list"]}
    assert rows["Hộ chiếu có chíp"] == (5, 12)
    assert rows["Chưa quét"] == (0, 0)
    assert "Lượt quét 30 ngày" in response.content.decode()

    by_total = admin_client.get(reverse("guides_qr_codes:index"), {"ordering": "-total_scans"})
    assert by_total.context["object_list"][0].label == "Hộ chiếu có chíp"


@pytest.mark.django_db
def test_admin_statistics_page_has_an_accessible_30_day_chart_and_table(admin_client):
    qr_code = QRCodeFactory()
    today = timezone.localdate()
    QRScanDailyFactory(qr_code=qr_code, day=today, count=4)
    QRScanDailyFactory(qr_code=qr_code, day=today - datetime.timedelta(days=3), count=2)

    response = admin_client.get(reverse("guides_qr_codes:inspect", args=[qr_code.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    svg = html[html.index('<svg role="img"') : html.index("</svg>", html.index('<svg role="img"'))]
    assert 'aria-labelledby="qr-chart-title qr-chart-desc"' in svg
    assert svg.count("<rect") == 30
    assert f"<title>{today:%d/%m/%Y}: 4</title>" in svg
    table = response.context["chart"]["bars"]
    assert len(table) == 30 and table[-1]["count"] == 4 and table[-4]["count"] == 2
    assert f"<td>{today:%d/%m/%Y}</td><td>4</td>" in html
    assert "<script" not in svg


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "error_field"),
    [
        ({"label": "Không có đích"}, "page"),
        ({"label": "FTP", "url": "ftp://dichvucong.gov.vn/file"}, "url"),
        ({"label": "JS", "url": "javascript:alert(1)"}, "url"),
        ({"label": "Cả hai", "url": "https://dichvucong.gov.vn", "page": "PAGE"}, "url"),
        ({"label": "Neo sai", "url": "https://dichvucong.gov.vn", "anchor": "buoc-1"}, "anchor"),
        ({"label": "Neo lạ", "page": "PAGE", "anchor": "Bước 1!"}, "anchor"),
    ],
)
def test_admin_refuses_a_target_that_is_not_one_page_or_http_url(admin_client, target_page, data, error_field):
    data = {key: (target_page.pk if value == "PAGE" else value) for key, value in data.items()}
    codes = QRCode.objects.count()
    response = admin_client.post(reverse("guides_qr_codes:add"), {"is_active": "on", **data})
    assert response.status_code == 200
    assert error_field in response.context["form"].errors
    assert QRCode.objects.count() == codes


@pytest.mark.django_db
def test_admin_creates_a_code_for_a_page_step(admin_client, target_page):
    response = admin_client.post(
        reverse("guides_qr_codes:add"),
        {"label": "Bước 3", "page": target_page.pk, "anchor": "buoc-3", "is_active": "on"},
    )
    assert response.status_code == 302
    qr_code = QRCode.objects.get(label="Bước 3", page=target_page)
    assert CODE_RE.match(qr_code.code)
    assert qr_code.get_target_url() == "/ho-chieu-qr/#buoc-3"


@pytest.mark.django_db
def test_admin_edit_cannot_change_the_code(admin_client):
    qr_code = QRCodeFactory()
    printed = qr_code.code
    url = reverse("guides_qr_codes:edit", args=[qr_code.pk])
    page = admin_client.get(url)
    assert printed in page.content.decode()
    response = admin_client.post(url, {"code": "ABCDEFG", "label": "Mới", "url": "https://dichvucong.gov.vn/p"})
    assert response.status_code == 302
    qr_code.refresh_from_db()
    assert (qr_code.code, qr_code.label, qr_code.url) == (printed, "Mới", "https://dichvucong.gov.vn/p")


@pytest.mark.django_db
def test_admin_create_form_is_prefilled_from_the_page(admin_client, target_page):
    response = admin_client.get(reverse("guides_qr_codes:add"), {"page": target_page.pk, "anchor": "buoc-2"})
    assert response.status_code == 200
    initial = response.context["form"].initial
    assert (initial["page"], initial["label"], initial["anchor"]) == (target_page.pk, "Hộ chiếu", "buoc-2")


@pytest.mark.django_db
def test_admin_pages_need_a_login(client):
    response = client.get(reverse("guides_qr_codes:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_guide_editor_lists_its_qr_codes_with_a_one_click_create_link(admin_client, demo_site):
    seed_qr(_SilentReport(), {})
    guide = GuidePage.objects.filter(locale__language_code="vi").order_by("path").first()
    qr_code = QRCode.objects.filter(page=guide).first()
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[guide.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert qr_code.code in html
    create_url = reverse("guides_qr_codes:add") + f"?page={guide.pk}"
    assert f'href="{create_url}"' in html
    assert "Tạo mã QR" in html
    # One link per step, for a code that opens the guide at that step.
    assert f'href="{create_url}&amp;anchor=buoc-2"' in html

    prefilled = admin_client.get(reverse("guides_qr_codes:add"), {"page": guide.pk, "anchor": "buoc-2"})
    step_title = dict(guide.step_anchors())["buoc-2"]
    assert prefilled.context["form"].initial["label"] == f"{guide.title} – {step_title}"


# --- demo content -------------------------------------------------------------------------


class _SilentReport:
    created = 0

    def made(self, what):
        self.created += 1


@pytest.mark.django_db
def test_seed_qr_gives_every_guide_a_code_and_builds_the_passport_set_once(demo_site):
    seed_qr(_SilentReport(), {})
    guides = GuidePage.objects.all()
    assert guides.exists()
    assert all(QRCode.objects.filter(page=guide).exists() for guide in guides)
    for guide in guides:
        assert QRCode.objects.filter(page=guide).first().label == guide.title

    qr_set = QRSet.objects.get(title=PASSPORT_SET_TITLE)
    labels = [qr_code.label for qr_code in qr_set.ordered_qr_codes()]
    assert labels and all("hộ chiếu" in label.lower() for label in labels)

    again = _SilentReport()
    seed_qr(again, {})
    assert again.created == 0
    assert QRSet.objects.filter(title=PASSPORT_SET_TITLE).count() == 1
