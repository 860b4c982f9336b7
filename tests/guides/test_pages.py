"""Guide pages: fee formatting, step anchors, the procedure index (filters, counts,
pagination), fee validation in the admin, demo seeding and the English translation."""

import json
import re
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale, Page, Site
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from cms.models import FeaturedProcedure, Menu
from guides.formatting import format_fee_amount
from guides.models import DossierComponent, Fee, GuidePage, ProcedureField, ProcedureIndexPage, ServiceLevel
from tests.factories.cms import AgencyFactory, UserFactory
from tests.factories.guides import (
    DossierComponentFactory,
    FeeFactory,
    GuidePageFactory,
    ProcedureFieldFactory,
    ProcedureIndexPageFactory,
)


@pytest.fixture(autouse=True)
def empty_cache():
    """The local-memory cache outlives each test's rolled-back transaction: Wagtail keeps
    the site root paths there and the page cache keeps rendered pages. Start empty."""
    cache.clear()


# --- fee formatting ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        (Decimal("200000"), "VND", "200.000 đ"),
        (Decimal("400000.00"), "VND", "400.000 đ"),
        (Decimal("1234567"), "VND", "1.234.567 đ"),
        (Decimal("30000"), "VND", "30.000 đ"),
        (Decimal("500"), "VND", "500 đ"),
        (Decimal("25"), "USD", "25 USD"),
        (Decimal("135.00"), "USD", "135 USD"),
        (Decimal("12.5"), "USD", "12,50 USD"),
        (Decimal("1500"), "USD", "1.500 USD"),
        (Decimal("0"), "VND", "Miễn phí"),
        (Decimal("0.00"), "USD", "Miễn phí"),
    ],
)
def test_fee_amount_is_written_the_vietnamese_way(amount, currency, expected):
    with translation.override("vi"):
        assert format_fee_amount(amount, currency) == expected


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        (Decimal("200000"), "VND", "200,000 VND"),
        (Decimal("1234567"), "VND", "1,234,567 VND"),
        (Decimal("500"), "VND", "500 VND"),
        (Decimal("25"), "USD", "25 USD"),
        (Decimal("12.5"), "USD", "12.50 USD"),
        (Decimal("1500"), "USD", "1,500 USD"),
        (Decimal("0"), "VND", "Free"),
    ],
)
def test_fee_amount_is_written_the_english_way_on_english_pages(amount, currency, expected, english_catalog):
    with translation.override("en"):
        assert format_fee_amount(amount, currency) == expected


# --- a small site of our own --------------------------------------------------------


@pytest.fixture
def index(db):
    """A procedure index of our own under the default site's root page (next to the
    seeded one when the session has seeded the demo)."""
    site_root = Site.objects.get(is_default_site=True).root_page
    return ProcedureIndexPageFactory(parent=site_root, title="Thủ tục kiểm thử", slug="thu-tuc-kiem-thu")


@pytest.fixture
def guide(index):
    page = GuidePageFactory(parent=index, title="Cấp hộ chiếu phổ thông", slug="cap-ho-chieu")
    FeeFactory(page=page, label="Cấp mới", amount=Decimal("200000"))
    FeeFactory(page=page, label="Cấp lại do bị mất", amount=Decimal("400000"))
    FeeFactory(page=page, label="Thị thực", amount=Decimal("25"), currency="USD", effective_date=None)
    DossierComponentFactory(page=page, name="Tờ khai TK01", copies=1)
    DossierComponentFactory(page=page, name="Ảnh 4x6", copies=2, is_required=False)
    return page


def test_fee_row_shows_its_formatted_amount(guide):
    amounts = [fee.display_amount for fee in guide.fees.all()]
    assert amounts == ["200.000 đ", "400.000 đ", "25 USD"]


def test_guide_renders_steps_as_ordered_list_with_stable_anchors(client, guide):
    response = client.get(guide.url)
    assert response.status_code == 200
    html = response.content.decode()
    steps = re.search(r'<ol class="steps">(.*?)</ol>', html, re.S).group(1)
    assert re.findall(r'<li class="step" id="(buoc-\d+)"', steps) == ["buoc-1", "buoc-2", "buoc-3", "buoc-4"]
    assert "Bước 3" in steps and "Bước thử 3" in steps
    assert guide.step_anchors()[2] == ("buoc-3", "Bước thử 3")


def test_guide_renders_fees_as_captioned_table_and_dossier_components(client, guide):
    html = client.get(guide.url).content.decode()
    fee_table = re.search(r'<table class="fee-table">(.*?)</table>', html, re.S).group(1)
    assert "<caption>" in fee_table
    assert "200.000 đ" in fee_table and "400.000 đ" in fee_table and "25 USD" in fee_table
    assert "01/01/2026" in fee_table
    assert "Tờ khai TK01" in html and "Ảnh 4x6" in html
    assert "Nhận trực tiếp tại cơ quan" in html  # delivery methods
    assert 'href="/static/guides/css/guides.css"' in html
    assert "style=" not in fee_table and "<script" not in html.split("<main", 1)[1].split("</main>", 1)[0]


def test_guide_without_application_form_shows_no_apply_button(client, guide):
    assert guide.application_form_url is None
    assert "Nộp hồ sơ trực tuyến</a>" not in client.get(guide.url).content.decode()


def test_structured_data_is_plain_json(guide):
    data = guide.structured_data()
    json.dumps(data)  # must not raise
    assert data["fees"][0] == {
        "label": "Cấp mới",
        "amount": "200000.00",
        "currency": "VND",
        "display": "200.000 đ",
        "effective_date": "2026-01-01",
    }
    assert [step["anchor"] for step in data["steps"]] == ["buoc-1", "buoc-2", "buoc-3", "buoc-4"]
    assert data["dossier_components"][1]["copies"] == 2
    assert data["service_level"] == "toan_trinh"
    assert data["application_form_url"] is None


# --- the index: filters, counts, pagination -----------------------------------------


@pytest.fixture
def catalogue(index):
    """12 guides: 7 fully online / 5 partial; 9 from agency A, 3 from agency B; two fields."""
    agency_a = AgencyFactory(code="999.901.01.G01", name="Cơ quan kiểm thử A")
    agency_b = AgencyFactory(code="999.902.01.G01", name="Cơ quan kiểm thử B")
    immigration = ProcedureFieldFactory(name="Lĩnh vực kiểm thử A", slug="xuat-nhap-canh")
    identity = ProcedureFieldFactory(name="Lĩnh vực kiểm thử B", slug="can-cuoc")
    for number in range(12):
        GuidePageFactory(
            parent=index,
            service_level=ServiceLevel.FULL if number < 7 else ServiceLevel.PARTIAL,
            agency=agency_a if number < 9 else agency_b,
            procedure_field=immigration if number < 10 else identity,
        )
    return {"agency_a": agency_a, "agency_b": agency_b, "immigration": immigration, "identity": identity}


def listed_titles(response):
    return re.findall(r'<h3 class="guide-card__title"><a href="[^"]+">([^<]+)</a>', response.content.decode())


@pytest.mark.parametrize(
    ("query", "expected_count"),
    [
        ("", 12),
        ("?level=toan_trinh", 7),
        ("?level=mot_phan", 5),
        ("?field=can-cuoc", 2),
        ("?field=xuat-nhap-canh", 10),
        ("?agency={agency_b}", 3),
        ("?agency={agency_a}&level=mot_phan", 2),
        ("?agency={agency_b}&field=can-cuoc&level=mot_phan", 2),
    ],
)
def test_index_filters_and_reports_the_result_count(client, index, catalogue, query, expected_count):
    query = query.format(agency_a=catalogue["agency_a"].pk, agency_b=catalogue["agency_b"].pk)
    response = client.get(index.url + query)
    assert response.status_code == 200
    assert response.context["result_count"] == expected_count
    assert f"{expected_count} thủ tục" in response.content.decode()
    assert len(listed_titles(response)) == min(expected_count, 10)


def test_index_filter_form_keeps_the_chosen_values(client, index, catalogue):
    html = client.get(index.url + "?level=mot_phan&field=can-cuoc").content.decode()
    assert '<option value="mot_phan" selected>' in html
    assert '<option value="can-cuoc" selected>' in html
    assert 'method="get"' in html


def test_index_ignores_unknown_filter_values(client, index, catalogue):
    response = client.get(index.url + "?agency=999999&field=khong-co&level=bad")
    assert response.status_code == 200
    assert response.context["result_count"] == 12


def test_index_paginates_ten_per_page_and_keeps_filters_in_links(client, index, catalogue):
    first = client.get(index.url)
    second = client.get(index.url + "?page=2")
    assert len(listed_titles(first)) == 10
    assert len(listed_titles(second)) == 2
    assert set(listed_titles(first)).isdisjoint(listed_titles(second))
    filtered = client.get(index.url + "?level=toan_trinh&page=1").content.decode()
    # 7 results: a single page, so no page links
    assert 'class="pagination"' not in filtered
    html = first.content.decode()
    assert 'href="?page=2"' in html and 'rel="next"' in html


@pytest.mark.parametrize(("page", "expected_number"), [("abc", 1), ("0", 2), ("-1", 2), ("999", 2), ("2.5", 1)])
def test_index_bad_page_numbers_fall_back_to_a_real_page(client, index, catalogue, page, expected_number):
    response = client.get(f"{index.url}?page={page}")
    assert response.status_code == 200
    assert response.context["guides"].number == expected_number


def test_index_lists_only_live_guides(client, index, catalogue):
    hidden = GuidePage.objects.child_of(index).first()
    hidden.unpublish()
    assert client.get(index.url).context["result_count"] == 11


# --- fee validation in the admin ------------------------------------------------------


def guide_form_data(guide, fee_amount):
    data = nested_form_data(
        {
            "title": guide.title,
            "slug": guide.slug,
            "summary": guide.summary,
            "procedure_code": guide.procedure_code,
            "service_level": guide.service_level,
            "procedure_field": guide.procedure_field_id,
            "agency": guide.agency_id,
            "processing_days": "8",
            "processing_time_note": "",
            "steps": streamfield(
                [
                    (
                        "step",
                        {"title": "Chuẩn bị hồ sơ", "body": rich_text("<p>Chuẩn bị tờ khai.</p>"), "note_kind": "tip"},
                    )
                ]
            ),
            "conditions": rich_text(""),
            "legal_basis": rich_text(""),
            "result": "Hộ chiếu",
            "faq": streamfield([]),
            "fees": inline_formset(
                [{"label": "Cấp mới", "amount": fee_amount, "currency": "VND", "effective_date": ""}]
            ),
            "dossier_components": inline_formset([]),
            "related_procedures": inline_formset([]),
            "seo_title": "",
            "search_description": "",
        }
    )
    data["delivery_methods"] = ["truc_tiep", "dien_tu"]  # checkboxes: one key, several values
    return data


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(username="guide-admin", is_superuser=True, is_staff=True))
    return client


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("hai trăm nghìn", "Nhập một số."),
        ("200.000đ", "Nhập một số."),
        ("-5", "Số tiền không được âm."),
        ("200000.5", "Tiền đồng (VND) không có phần lẻ: nhập số nguyên, ví dụ 200000."),
    ],
)
def test_admin_rejects_a_fee_that_is_not_a_non_negative_number(admin_client, index, amount, message):
    guide = GuidePageFactory(parent=index)
    revisions_before = guide.revisions.count()
    response = admin_client.post(
        reverse("wagtailadmin_pages:edit", args=[guide.pk]), guide_form_data(guide, amount), follow=False
    )
    assert response.status_code == 200  # the form is shown again, not saved
    fee_errors = response.context["form"].formsets["fees"].errors
    assert fee_errors[0]["amount"] == [message]
    assert message in response.content.decode()
    assert guide.revisions.count() == revisions_before
    assert not Fee.objects.filter(page=guide).exists()


def test_admin_editor_opens_with_tabs_for_dossier_and_fees(admin_client, guide):
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[guide.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for tab in ("Nội dung", "Hồ sơ và kết quả", "Lệ phí", "Hỏi đáp, liên quan"):
        assert tab in html
    assert 'name="fees-0-amount"' in html
    assert 'name="delivery_methods"' in html and 'type="checkbox"' in html


def test_admin_can_add_a_guide_under_the_index(admin_client, index):
    response = admin_client.get(reverse("wagtailadmin_pages:add", args=["guides", "guidepage", index.pk]))
    assert response.status_code == 200


def test_admin_lists_procedure_fields_as_snippets(admin_client, catalogue):
    response = admin_client.get(reverse("wagtailsnippets_guides_procedurefield:list"))
    assert response.status_code == 200
    assert "Lĩnh vực kiểm thử A" in response.content.decode()


def test_only_page_types_that_ask_for_a_guide_parent_go_below_a_guide():
    from cms.models import StandardPage

    allowed = GuidePage.allowed_subpage_models()
    assert StandardPage not in allowed and GuidePage not in allowed
    assert all(GuidePage in model.clean_parent_page_models() for model in allowed)
    assert ProcedureIndexPage.allowed_subpage_models() == [GuidePage]


def test_admin_saves_a_valid_fee(admin_client, index):
    guide = GuidePageFactory(parent=index)
    response = admin_client.post(
        reverse("wagtailadmin_pages:edit", args=[guide.pk]), guide_form_data(guide, "200000"), follow=False
    )
    assert response.status_code == 302
    draft = GuidePage.objects.get(pk=guide.pk).get_latest_revision_as_object()
    assert [(fee.label, fee.display_amount) for fee in draft.fees.all()] == [("Cấp mới", "200.000 đ")]
    assert draft.delivery_methods == ["truc_tiep", "dien_tu"]


# --- demo content ---------------------------------------------------------------------


def guide_counts():
    return {
        "guides": GuidePage.objects.count(),
        "indexes": ProcedureIndexPage.objects.count(),
        "fees": Fee.objects.count(),
        "components": DossierComponent.objects.count(),
        "fields": ProcedureField.objects.count(),
        "featured": FeaturedProcedure.objects.count(),
        "pages": Page.objects.count(),
    }


@pytest.mark.django_db
def test_seed_demo_twice_creates_no_new_guides(demo_site):
    before = guide_counts()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert guide_counts() == before
    assert "Đã tạo 0 mục mới." in out.getvalue()


@pytest.mark.django_db
def test_seed_demo_creates_the_twelve_procedures(demo_site):
    vi = Locale.objects.get(language_code="vi")
    index = ProcedureIndexPage.objects.get(locale=vi, slug="thu-tuc")
    assert index.get_parent().pk == demo_site.pk
    guides = GuidePage.objects.child_of(index).live()
    assert guides.count() == 12
    for guide in guides:
        assert len(guide.steps) >= 4, guide.title
        assert guide.fees.exists(), guide.title
        assert guide.dossier_components.exists(), guide.title
        assert guide.result and guide.conditions and guide.delivery_methods, guide.title
    passport = guides.get(slug="cap-ho-chieu-khong-gan-chip")
    assert [(fee.display_amount, fee.effective_date) for fee in passport.fees.all()][:2] == [
        ("200.000 đ", date(2026, 1, 1)),
        ("400.000 đ", date(2026, 1, 1)),
    ]
    assert passport.agency.short_name == "PA08"
    assert guides.get(slug="cap-the-can-cuoc-dang-ky-truc-tuyen").agency.short_name == "PC06"
    visa = guides.get(slug="cap-thi-thuc-nguoi-nuoc-ngoai")
    assert "25 USD" in [fee.display_amount for fee in visa.fees.all()]
    declaration = guides.get(slug="khai-bao-tam-tru-nguoi-nuoc-ngoai")
    assert declaration.processing_time_note.startswith("ngay lập tức")
    assert demo_site.featured_procedures.count() == 4
    header = Menu.objects.get(locale=vi, location=Menu.Location.HEADER)
    assert header.items.filter(page=index).exists()


@pytest.mark.django_db
def test_index_of_demo_filters_by_agency(client, demo_site):
    id_agency = GuidePage.objects.get(slug="cap-the-can-cuoc-dang-ky-truc-tuyen").agency
    response = client.get(f"/thu-tuc/?agency={id_agency.pk}")
    assert response.context["result_count"] == 1
    assert "Cấp thẻ căn cước (đăng ký trực tuyến)" in response.content.decode()


# --- English ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_english_guide_is_served_under_en(client, demo_site, english_catalog):
    response = client.get("/en/procedures/ordinary-passport-without-chip/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "<h1>Ordinary passport without chip (application in Vietnam)</h1>" in html
    assert re.findall(r'id="(buoc-\d+)"', html) == ["buoc-1", "buoc-2", "buoc-3", "buoc-4"]
    assert "Apply online" in html and "Step 2" in html
    assert "Fully online" in html
    assert "200,000 VND" in html and "Re-issue after loss or damage" in html
    assert "200.000 đ" not in html
    guide_en = GuidePage.objects.get(locale__language_code="en", slug="ordinary-passport-without-chip")
    guide_vi = GuidePage.objects.get(locale__language_code="vi", slug="cap-ho-chieu-khong-gan-chip")
    assert guide_en.translation_key == guide_vi.translation_key
    assert guide_en.fees.count() == guide_vi.fees.count()


@pytest.mark.django_db
def test_english_index_lists_english_guides_and_free_fees(client, demo_site, english_catalog):
    response = client.get("/en/procedures/")
    assert response.status_code == 200
    assert response.context["result_count"] == 3
    assert "Report a lost passport" in response.content.decode()
    lost = client.get("/en/procedures/report-lost-passport/").content.decode()
    assert "Free" in lost and "Miễn phí" not in lost


@pytest.mark.parametrize(
    ("model", "english_plural"),
    [
        (GuidePage, "procedure guides"),
        (ProcedureIndexPage, "procedure lists"),
        (ProcedureField, "procedure fields"),
        (Fee, "fees"),
        (DossierComponent, "dossier components"),
        ("guides.RelatedProcedure", "related procedures"),
        ("guides.QRCode", "QR codes"),
        ("guides.QRSet", "QR code sets"),
        ("guides.QRSetItem", "QR codes in a set"),
        ("guides.QRScanDaily", "daily scan counts"),
    ],
)
def test_english_model_names_have_real_plurals(model, english_plural, english_catalog):
    from django.apps import apps

    if isinstance(model, str):
        model = apps.get_model(model)
    with translation.override("en"):
        assert str(model._meta.verbose_name_plural) == english_plural
        assert str(model._meta.verbose_name) != english_plural
    with translation.override("vi"):
        # Vietnamese has no plural form: the heading keeps the same word.
        assert str(model._meta.verbose_name_plural) == str(model._meta.verbose_name)


@pytest.mark.django_db
def test_english_admin_listing_is_headed_by_the_plural(client, english_catalog):
    from wagtail.users.models import UserProfile

    user = UserFactory(username="plural-admin", is_superuser=True, is_staff=True)
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(user)
    html = client.get(reverse("guides_qr_codes:index")).content.decode()
    assert re.search(r"<h1[^>]*>\s*QR codes\s*</h1>", html) or "<title>QR codes" in html
