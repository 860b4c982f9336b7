"""Dossiers are personal data: only the receiving agency's officers see them and their files."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.urls import reverse

from cms.models import Agency
from forms.models import DossierFile
from forms.permissions import can_view_dossier, dossiers_visible_to
from forms.storage import private_storage
from tests.factories.forms import jpeg_bytes, make_dossier, make_form_page

pytestmark = pytest.mark.django_db

PA08 = "000.20.79.H29"  # the demo agency of the user "officer"; "officer2" belongs to PC06


@pytest.fixture
def users(demo_site):
    user_model = get_user_model()
    return {name: user_model.objects.get(username=name) for name in ("admin", "editor", "officer", "officer2")}


@pytest.fixture
def dossier(demo_site):
    page = make_form_page(demo_site, agency=Agency.objects.get(code=PA08))
    return make_dossier(page)


@pytest.fixture
def dossier_file(dossier):
    content = jpeg_bytes()
    stored_name = private_storage.save(f"dossiers/{dossier.pk}/anh.jpg", ContentFile(content))
    return DossierFile.objects.create(
        dossier=dossier,
        field_key="anh_chan_dung",
        original_name="Ảnh chân dung.jpg",
        content_type="image/jpeg",
        size=len(content),
        sha256="0" * 64,
        stored_name=stored_name,
    )


def download_url(dossier_file):
    return reverse("portal_forms:download_file", args=[dossier_file.pk])


def test_visibility_rules(users, dossier):
    assert can_view_dossier(users["admin"], dossier)
    assert can_view_dossier(users["officer"], dossier)
    assert not can_view_dossier(users["officer2"], dossier)
    assert not can_view_dossier(users["editor"], dossier)
    assert dossier in dossiers_visible_to(users["officer"])
    assert dossier not in dossiers_visible_to(users["officer2"])
    assert not dossiers_visible_to(users["editor"]).exists()
    assert dossier in dossiers_visible_to(users["admin"])


def test_anonymous_visitor_is_sent_to_login(client, dossier_file):
    response = client.get(download_url(dossier_file))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize("username", ["editor", "officer2"])
def test_editor_and_officer_of_other_agency_get_404_on_dossier_file(client, users, dossier_file, username):
    client.force_login(users[username])
    assert client.get(download_url(dossier_file)).status_code == 404


def test_officer_of_the_agency_downloads_the_file_privately(client, users, dossier_file):
    client.force_login(users["officer"])
    response = client.get(download_url(dossier_file))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == private_storage.open(dossier_file.stored_name).read()
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "image/jpeg"


def test_missing_file_is_404(client, users, dossier_file):
    private_storage.delete(dossier_file.stored_name)
    client.force_login(users["officer"])
    assert client.get(download_url(dossier_file)).status_code == 404


def test_private_storage_has_no_public_url(dossier_file):
    with pytest.raises(ValueError):
        private_storage.url(dossier_file.stored_name)


def test_wagtail_form_listing_hides_application_forms(client, users, dossier):
    for username in ("admin", "editor"):
        client.force_login(users[username])
        response = client.get(reverse("wagtailforms:index"))
        assert response.status_code in (200, 302, 403)
        if response.status_code == 200:
            assert dossier.form_page.title not in response.content.decode()
        submissions = client.get(reverse("wagtailforms:list_submissions", args=[dossier.form_page_id]))
        assert submissions.status_code in (403, 404)


def test_form_page_keeps_no_wagtail_submissions(dossier):
    page = dossier.form_page.specific
    assert not page.get_submissions().exists()
    with pytest.raises(NotImplementedError):
        page.process_form_submission(None)
