"""The headless API: guides through Wagtail's API v3 with every structured field, the QR
codes router, one OpenAPI document, read-only access and opt-in CORS."""

from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.test import override_settings
from wagtail.models import Page, Site
from wagtail.rich_text import RichText

from guides.models import QRCode, ServiceLevel
from tests.factories.cms import HomePageFactory, StandardPageFactory
from tests.factories.guides import DossierComponentFactory, FeeFactory, GuidePageFactory, ProcedureIndexPageFactory

ALLOWED_ORIGIN = "https://app.example.gov.vn"


@pytest.fixture
def home(db):
    """A bare site (no demo content), so that only this module's codes and pages exist."""
    root = Page.get_first_root_node()
    home = HomePageFactory(parent=root, slug="trang-chu-api")
    Site.objects.update_or_create(
        is_default_site=True, defaults={"root_page": home, "hostname": "localhost", "port": 80}
    )
    return home


@pytest.fixture
def guide(home):
    index = ProcedureIndexPageFactory(parent=home)
    guide = GuidePageFactory(
        parent=index,
        title="Cấp hộ chiếu phổ thông có gắn chíp điện tử",
        slug="ho-chieu-gan-chip",
        procedure_code="1.011",
        service_level=ServiceLevel.PARTIAL,
        processing_days=8,
        steps=[
            ("step", {"title": "Chuẩn bị hồ sơ", "body": RichText("<p>Tờ khai TK01.</p>")}),
            ("step", {"title": "Nộp hồ sơ", "body": RichText("<p>Nộp trực tuyến.</p>")}),
            ("step", {"title": "Nhận kết quả", "body": RichText("<p>Nhận qua bưu chính.</p>")}),
        ],
    )
    FeeFactory(page=guide, label="Cấp mới", amount=Decimal("200000"), currency="VND", sort_order=0)
    FeeFactory(page=guide, label="Thị thực một lần", amount=Decimal("25"), currency="USD", sort_order=1)
    FeeFactory(page=guide, label="Trẻ em", amount=Decimal("0"), currency="VND", sort_order=2)
    DossierComponentFactory(page=guide, name="Tờ khai TK01", copies=1, is_required=True, sort_order=0)
    DossierComponentFactory(page=guide, name="Ảnh chân dung 4×6", copies=2, is_required=True, sort_order=1)
    guide.save_revision().publish()
    return guide


@pytest.fixture
def step_code(guide):
    return QRCode.objects.create(label="Bước 2: nộp hồ sơ", page=guide, anchor="buoc-2")


@pytest.mark.django_db
def test_guide_detail_has_every_structured_field(client, guide, step_code):
    response = client.get(f"/api/v3/pages/{guide.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert data["meta"]["type"] == "guides.GuidePage"
    assert data["title"] == "Cấp hộ chiếu phổ thông có gắn chíp điện tử"
    assert data["procedure_code"] == "1.011"
    assert data["service_level"] == {"code": "mot_phan", "label": "Một phần", "is_fully_online": False}
    assert data["processing_days"] == 8
    assert data["agency"]["code"] == guide.agency.code
    assert data["procedure_field"]["slug"] == guide.procedure_field.slug
    assert [method["code"] for method in data["delivery_methods"]] == ["truc_tiep", "buu_chinh"]

    steps = data["steps"]
    assert [(step["position"], step["anchor"], step["title"]) for step in steps] == [
        (1, "buoc-1", "Chuẩn bị hồ sơ"),
        (2, "buoc-2", "Nộp hồ sơ"),
        (3, "buoc-3", "Nhận kết quả"),
    ]
    assert steps[1]["body"] == "<p>Nộp trực tuyến.</p>"
    assert steps[1]["url"].startswith("http") and steps[1]["url"].endswith("/ho-chieu-gan-chip/#buoc-2")

    assert data["fees"] == [
        {
            "label": "Cấp mới",
            "amount": "200000.00",
            "currency": "VND",
            "display": "200.000 đ",
            "is_free": False,
            "effective_date": "2026-01-01",
        },
        {
            "label": "Thị thực một lần",
            "amount": "25.00",
            "currency": "USD",
            "display": "25 USD",
            "is_free": False,
            "effective_date": "2026-01-01",
        },
        {
            "label": "Trẻ em",
            "amount": "0.00",
            "currency": "VND",
            "display": "Miễn phí",
            "is_free": True,
            "effective_date": "2026-01-01",
        },
    ]
    assert [(c["name"], c["copies"], c["is_required"]) for c in data["dossier_components"]] == [
        ("Tờ khai TK01", 1, True),
        ("Ảnh chân dung 4×6", 2, True),
    ]

    # The code made when the guide was published (for its leaflet) and the step's own code.
    leaflet_code = QRCode.objects.get(page=guide, anchor="")
    assert {item["code"] for item in data["qr_codes"]} == {leaflet_code.code, step_code.code}
    [qr] = [item for item in data["qr_codes"] if item["code"] == step_code.code]
    assert qr["anchor"] == "buoc-2"
    assert qr["target_url"].endswith("/ho-chieu-gan-chip/#buoc-2")
    assert qr["svg_url"].endswith(f"/q/{step_code.code}.svg")
    assert qr["png_url"].endswith(f"/q/{step_code.code}.png")
    assert "application_form_url" in data


@pytest.mark.django_db
def test_guides_are_listed_by_type(client, guide):
    response = client.get(
        "/api/v3/pages/", {"type": "guides.GuidePage", "descendant_of": guide.get_parent().get_parent().pk}
    )
    assert response.status_code == 200
    items = response.json()["items"]
    assert guide.pk in [item["id"] for item in items]
    assert {item["meta"]["type"] for item in items} == {"guides.GuidePage"}


@pytest.mark.django_db
def test_other_page_types_keep_wagtails_schema(client, home):
    about = StandardPageFactory(parent=home, title="Giới thiệu")
    response = client.get(f"/api/v3/pages/{about.pk}/")
    assert response.status_code == 200
    assert response.json()["meta"]["type"] == "cms.StandardPage"
    assert "fees" not in response.json()


@pytest.mark.django_db
def test_qr_codes_endpoint_lists_active_codes_with_image_urls(client, guide, step_code):
    external = QRCode.objects.create(label="Cổng dịch vụ công quốc gia", url="https://dichvucong.gov.vn")
    retired = QRCode.objects.create(label="Mã cũ", url="https://example.gov.vn", is_active=False)

    codes, offset = {}, 0
    while True:
        response = client.get("/api/v3/qr-codes/", {"limit": 20, "offset": offset})
        assert response.status_code == 200
        body = response.json()
        codes.update((item["code"], item) for item in body["items"])
        offset += 20
        if offset >= body["count"]:
            break
    assert len(codes) == body["count"]
    assert step_code.code in codes and external.code in codes
    assert retired.code not in codes

    item = codes[external.code]
    assert item["target_url"] == "https://dichvucong.gov.vn"
    assert item["page_id"] is None
    assert item["scan_url"].endswith(f"/q/{external.code}")
    svg = client.get(urlsplit(item["svg_url"]).path)
    assert svg.status_code == 200
    assert svg["Content-Type"].startswith("image/svg+xml")
    assert item["png_url"].endswith(f"/q/{external.code}.png")

    only_guide = client.get("/api/v3/qr-codes/", {"page_id": guide.pk}).json()["items"]
    leaflet_code = QRCode.objects.get(page=guide, anchor="")  # made when the guide was published
    assert sorted(item["code"] for item in only_guide) == sorted([leaflet_code.code, step_code.code])


@pytest.mark.django_db
def test_qr_code_detail_and_unknown_code(client, step_code):
    response = client.get(f"/api/v3/qr-codes/{step_code.code}/")
    assert response.status_code == 200
    assert response.json()["label"] == "Bước 2: nộp hồ sơ"
    assert client.get("/api/v3/qr-codes/NOSUCH9/").status_code == 404


@pytest.mark.django_db
def test_codes_of_unpublished_pages_are_hidden(client, guide, step_code):
    guide.unpublish()
    assert client.get("/api/v3/qr-codes/", {"page_id": guide.pk}).json()["items"] == []
    assert client.get(f"/api/v3/qr-codes/{step_code.code}/").status_code == 404


@pytest.mark.django_db
def test_one_openapi_document_describes_wagtail_and_portal_endpoints(client):
    response = client.get("/api/v3/openapi.json")
    assert response.status_code == 200
    document = response.json()
    paths = document["paths"]
    for path in ("/api/v3/pages/", "/api/v3/pages/{page_id}/", "/api/v3/qr-codes/", "/api/v3/qr-codes/{code}/"):
        assert path in paths
    assert set(paths["/api/v3/qr-codes/"]) == {"get"}
    guide_schema = document["components"]["schemas"]["GuidePageSchema"]["properties"]
    for field in ("steps", "fees", "dossier_components", "service_level", "qr_codes", "application_form_url"):
        assert field in guide_schema
    fee_schema = document["components"]["schemas"]["GuideFeeSchema"]["properties"]
    assert {"amount", "currency", "display"} <= set(fee_schema)
    assert client.get("/api/v3/docs/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_write_methods_are_refused_on_qr_codes(client, step_code, method):
    response = getattr(client, method)(
        f"/api/v3/qr-codes/{step_code.code}/", data="{}", content_type="application/json"
    )
    assert response.status_code == 405
    assert getattr(client, method)("/api/v3/qr-codes/", data="{}", content_type="application/json").status_code == 405


@pytest.mark.django_db
def test_anonymous_page_writes_are_refused(client, guide):
    created = client.post("/api/v3/pages/", data={"title": "x"}, content_type="application/json")
    assert created.status_code == 401
    updated = client.patch(f"/api/v3/pages/{guide.pk}/", data={"title": "x"}, content_type="application/json")
    assert updated.status_code == 401
    guide.refresh_from_db()
    assert guide.title == "Cấp hộ chiếu phổ thông có gắn chíp điện tử"


@pytest.mark.django_db
def test_cors_is_off_by_default(client, step_code, settings):
    assert settings.API_CORS_ALLOWED_ORIGINS == []
    response = client.get("/api/v3/qr-codes/", headers={"Origin": ALLOWED_ORIGIN})
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response


@pytest.mark.django_db
@override_settings(API_CORS_ALLOWED_ORIGINS=[ALLOWED_ORIGIN])
def test_cors_header_only_for_a_configured_origin(client, home, step_code):
    allowed = client.get("/api/v3/qr-codes/", headers={"Origin": ALLOWED_ORIGIN})
    assert allowed["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN
    assert "Origin" in allowed["Vary"]
    assert "Access-Control-Allow-Credentials" not in allowed

    other = client.get("/api/v3/qr-codes/", headers={"Origin": "https://evil.example.com"})
    assert other.status_code == 200
    assert "Access-Control-Allow-Origin" not in other

    # Only the API: HTML pages never get the header.
    page = client.get("/", headers={"Origin": ALLOWED_ORIGIN})
    assert "Access-Control-Allow-Origin" not in page


@pytest.mark.django_db
@override_settings(API_CORS_ALLOWED_ORIGINS=[ALLOWED_ORIGIN])
def test_cors_preflight_allows_reading_only(client):
    response = client.options(
        "/api/v3/pages/",
        headers={
            "Origin": ALLOWED_ORIGIN,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "accept-language",
        },
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert response["Access-Control-Allow-Headers"] == "accept-language"


@pytest.mark.django_db
def test_labels_inside_a_guide_follow_the_guides_language(client, guide, english_catalog):
    from wagtail.models import Locale

    english_locale, _ = Locale.objects.get_or_create(language_code="en")
    english = guide.copy_for_translation(english_locale, copy_parents=True)
    english.title = "Chip passport"
    english.save_revision().publish()

    data = client.get(f"/api/v3/pages/{english.pk}/").json()
    assert data["meta"]["locale"] == "en"
    assert data["service_level"]["label"] == "Partly online"
    assert [fee["display"] for fee in data["fees"]] == ["200,000 VND", "25 USD", "Free"]
    assert data["fees"][0]["amount"] == "200000.00"  # the raw number stays as it is
    # The Vietnamese original is unchanged, whatever the request's language.
    original = client.get(f"/api/v3/pages/{guide.pk}/", headers={"Accept-Language": "en"}).json()
    assert original["service_level"]["label"] == "Một phần"
    assert [fee["display"] for fee in original["fees"]] == ["200.000 đ", "25 USD", "Miễn phí"]
