"""What a worker keeps between submissions (forms.compiled): the form page and its built forms.

Each test first submits once, so that the page and its forms are kept, then changes what an
editor or an administrator can change, and checks that the very next submission sees it.
"""

import pytest
from django.utils import translation
from wagtail.models import PageViewRestriction

from forms import compiled
from forms.models import ApplicationFormField, ApplicationFormPage, Dossier, FieldType, FormVersion
from tests.forms.test_api import (
    VALID_ANSWERS,
    passport_form,  # noqa: F401 - fixture
    photos,
    post,
    schema_url,
)

pytestmark = pytest.mark.django_db


def submit(client, page, **extra):
    return post(client, page, {**VALID_ANSWERS, **photos(), **extra})


@pytest.fixture
def warm_form(client, passport_form):  # noqa: F811 - the imported fixture
    response = submit(client, passport_form)
    assert response.status_code == 201, response.content
    return passport_form


def test_the_page_and_its_forms_are_built_once_per_language(warm_form):
    page = ApplicationFormPage.objects.get(pk=warm_form.pk)
    assert compiled.compiled_form(page) is compiled.compiled_form(page)
    with translation.override("en"):
        english = compiled.compiled_form(page)
    assert english is not compiled.compiled_form(page)
    # Default texts are translated when the fields are made: each language has its own.
    assert english.form_classes != compiled.compiled_form(page).form_classes


def test_a_kept_page_is_not_read_again(warm_form):
    loads = []
    found = compiled.cached_live_page(warm_form.pk, lambda page_id: loads.append(page_id))
    assert found is not None and loads == []


def test_unpublishing_stops_submissions_at_once(client, warm_form):
    count = Dossier.objects.count()
    ApplicationFormPage.objects.get(pk=warm_form.pk).unpublish()
    assert submit(client, warm_form).status_code == 404
    assert Dossier.objects.count() == count


@pytest.mark.parametrize("restricted", ["form", "guide"])
def test_a_new_view_restriction_makes_a_kept_form_private_at_once(client, warm_form, restricted):
    page = warm_form if restricted == "form" else warm_form.get_parent()
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    assert client.get(schema_url(warm_form.pk)).status_code == 404
    assert submit(client, warm_form).status_code == 404


def test_a_published_new_required_field_applies_to_the_next_submission(client, warm_form):
    page = ApplicationFormPage.objects.get(pk=warm_form.pk)
    page.form_fields.add(
        ApplicationFormField(
            label="Nơi làm việc", clean_name="noi_lam_viec", field_type=FieldType.SINGLELINE, required=True
        )
    )
    page.save_revision().publish()

    response = submit(client, warm_form)
    assert response.status_code == 400
    assert "noi_lam_viec" in response.json()["errors"]

    response = submit(client, warm_form, noi_lam_viec="Công ty A")
    assert response.status_code == 201, response.content
    dossier = Dossier.objects.get(code=response.json()["code"])
    assert dossier.answers["noi_lam_viec"] == "Công ty A"
    # A new definition makes a new version; the earlier dossiers keep theirs.
    assert FormVersion.objects.filter(form_page=page).count() == 2


def test_a_row_saved_without_publishing_is_seen_by_this_worker(client, warm_form):
    ApplicationFormField.objects.create(
        page=warm_form,
        label="Nơi làm việc",
        clean_name="noi_lam_viec",
        field_type=FieldType.SINGLELINE,
        required=True,
        sort_order=1000,
    )  # a script or a test, not the editor: the signal drops this worker's forms of the page
    response = submit(client, warm_form)
    assert response.status_code == 400
    assert "noi_lam_viec" in response.json()["errors"]


def test_a_changed_agency_code_is_in_the_next_dossier_code(client, warm_form):
    agency = warm_form.get_agency()
    agency.code = "000.20.79.Z99"
    agency.save()
    response = submit(client, warm_form)
    assert response.status_code == 201, response.content
    assert response.json()["code"].startswith("000.20.79.Z99-")


def test_a_form_version_is_kept_only_once_committed(warm_form, django_capture_on_commit_callbacks):
    page = ApplicationFormPage.objects.get(pk=warm_form.pk)
    built = compiled.compiled_form(page)
    with django_capture_on_commit_callbacks() as callbacks:
        version = built.form_version(page)
        assert built._version is None  # a rollback now would take the version with it
    assert len(callbacks) == 1
    callbacks[0]()  # the commit
    assert built._version == version
    assert built.form_version(page) is built._version


def test_a_field_hidden_in_one_submission_is_still_required_in_the_next(client, warm_form):
    """The kept form classes share their fields' widgets and choices between submissions
    (builder.SharedFields): hiding a field makes only that form's copy optional."""
    hidden = submit(client, warm_form)  # in-person delivery: the postal address is hidden
    assert hidden.status_code == 201, hidden.content
    shown = submit(client, warm_form, noi_nhan_ket_qua="buu_chinh")
    assert shown.status_code == 400
    assert "dia_chi_nhan_ket_qua" in shown.json()["errors"]
    page = ApplicationFormPage.objects.get(pk=warm_form.pk)
    form_class = next(
        form_class
        for form_class in compiled.compiled_form(page).form_classes.values()
        if "dia_chi_nhan_ket_qua" in form_class.base_fields
    )
    kept = form_class.base_fields["dia_chi_nhan_ket_qua"]
    assert not kept.disabled
    form = form_class({}, {}, page=page)
    assert form.fields["dia_chi_nhan_ket_qua"] is not kept  # each form has its own copy
    assert form.fields["dia_chi_nhan_ket_qua"].widget is kept.widget  # and shares the rest


def test_with_a_cache_that_keeps_nothing_the_page_is_read_every_time(settings, warm_form):
    settings.CACHES = {**settings.CACHES, "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    loads = []
    compiled.cached_live_page(warm_form.pk, lambda page_id: loads.append(page_id) or warm_form)
    compiled.cached_live_page(warm_form.pk, lambda page_id: loads.append(page_id) or warm_form)
    assert loads == [warm_form.pk, warm_form.pk]
