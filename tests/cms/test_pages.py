"""Public pages: languages, landmarks, the language switcher and friendly errors."""

import pytest


@pytest.mark.django_db
def test_home_is_vietnamese_without_prefix_and_english_under_en(client, demo_site):
    vi = client.get("/")
    assert vi.status_code == 200
    html = vi.content.decode()
    assert '<html lang="vi">' in html
    assert "Dịch vụ công trực tuyến về xuất nhập cảnh và căn cước" in html
    en = client.get("/en/")
    assert en.status_code == 200
    assert '<html lang="en">' in en.content.decode()
    assert "Online public services for immigration and ID cards" in en.content.decode()


@pytest.mark.django_db
def test_every_page_has_skip_link_landmarks_and_switcher(client, demo_site):
    html = client.get("/gioi-thieu/").content.decode()
    assert 'class="skip-link" href="#main"' in html
    assert '<main id="main"' in html
    assert 'role="banner"' in html and 'role="contentinfo"' in html
    # The switcher links to the English translation of this very page.
    assert 'href="/en/about/" hreflang="en"' in html


@pytest.mark.django_db
def test_header_and_footer_come_from_site_settings(client, demo_site):
    from cms.models import SiteSettings

    settings_obj = SiteSettings.objects.get()
    settings_obj.hotline = "1900 1234"
    settings_obj.save()
    html = client.get("/lien-he/").content.decode()
    assert "1900 1234" in html
    assert "Phòng Quản lý xuất nhập cảnh – Công an TP Hồ Chí Minh" in html
    assert "Giờ làm việc" in html


@pytest.mark.django_db
def test_menus_are_per_language(client, demo_site):
    vi = client.get("/").content.decode()
    en = client.get("/en/").content.decode()
    assert 'href="/gioi-thieu/">Giới thiệu</a>' in vi
    assert 'href="/en/about/">About</a>' in en


@pytest.mark.django_db
def test_citizens_find_tracking_and_statistics_from_every_page(client, demo_site):
    vi = client.get("/gioi-thieu/").content.decode()
    en = client.get("/en/about/").content.decode()
    assert 'href="/tra-cuu/">Tra cứu hồ sơ</a>' in vi
    assert 'href="/en/tra-cuu/">Track a dossier</a>' in en
    assert 'href="/thong-ke/">' in vi
    assert 'href="/en/statistics/">' in en
    assert client.get("/en/tra-cuu/").status_code == 200


@pytest.mark.parametrize("value", ["/tra-cuu/", "/en/statistics/?nam=2026", "https://dichvucong.gov.vn/"])
def test_menu_links_accept_site_paths_and_web_addresses(value):
    from cms.models import validate_menu_link

    validate_menu_link(value)


@pytest.mark.parametrize("value", ["//evil.example/", "javascript:alert(1)", "tra-cuu", "/tra cuu/", "ftp://x.vn/"])
def test_menu_links_refuse_other_values_with_a_message(value):
    from django.core.exceptions import ValidationError

    from cms.models import validate_menu_link

    with pytest.raises(ValidationError):
        validate_menu_link(value)


@pytest.mark.django_db
def test_unknown_url_gets_404_page_in_visitors_language(client, demo_site):
    vi = client.get("/khong-co-trang-nay/")
    assert vi.status_code == 404
    assert "Không tìm thấy trang" in vi.content.decode()
    en = client.get("/en/no-such-page/")
    assert en.status_code == 404
    assert '<html lang="en">' in en.content.decode()
    assert "Page not found" in en.content.decode()


def test_500_page_renders_without_database_in_both_languages(rf):
    from django.utils import translation

    from cms.views import server_error

    with translation.override("vi"):
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Đã có lỗi xảy ra" in response.content.decode()
    with translation.override("en"):
        assert "Something went wrong" in server_error(rf.get("/en/")).content.decode()


@pytest.mark.parametrize(
    ("app_label", "expected_models"),
    [
        ("cms", {"Agency", "AgencyMembership", "HomePage", "FeaturedProcedure", "StandardPage", "Menu", "MenuItem"}),
        ("portal_forms", {"ApplicationFormPage", "ApplicationFormField", "FormVersion", "Dossier", "StatusChange"}),
    ],
)
def test_english_model_names_have_real_plurals(settings, app_label, expected_models):
    """Admin listings are headed by verbose_name_plural: in English it must read as a plural,
    while Vietnamese (no plural form) keeps the same word."""
    from io import StringIO

    from django.apps import apps
    from django.core.management import call_command
    from django.utils import translation

    call_command("compile_translations", stdout=StringIO())
    settings.LOCALE_PATHS = [*settings.LOCALE_PATHS]
    uncountable = {"SiteSettings"}  # "portal settings" is already plural
    checked = []
    for model in apps.get_app_config(app_label).get_models():
        with translation.override("vi"):
            vietnamese = (str(model._meta.verbose_name), str(model._meta.verbose_name_plural))
        with translation.override("en"):
            singular, plural = str(model._meta.verbose_name), str(model._meta.verbose_name_plural)
        if model.__name__ in uncountable:
            assert plural == singular
            continue
        if app_label == "cms":
            # Named in Vietnamese (Django's default would be the English class name).
            assert "verbose_name" in model._meta.original_attrs, model
            assert vietnamese[0] == vietnamese[1], model
        else:
            assert vietnamese[0] == vietnamese[1] or vietnamese[1] == vietnamese[0] + "s", model
        assert plural != singular and plural.endswith("s"), (model.__name__, singular, plural)
        checked.append(model.__name__)
    assert expected_models <= set(checked)
