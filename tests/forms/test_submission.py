"""Submission: a Dossier in one transaction, receipt, no duplicates, honeypot, rate limit."""

import re

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django_q.models import OrmQ
from wagtail.contrib.forms.models import FormSubmission

from forms.constants import Channel, DossierStatus
from forms.models import ApplicationFormField, Dossier, FormVersion, StatusChange
from forms.notifications.constants import Channel as NChannel
from forms.notifications.constants import Event
from forms.notifications.models import Notification
from forms.storage import private_storage
from tests.factories.forms import VALID_STEP_1, jpeg_upload, make_dossier, make_form_page

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def page(demo_site):
    return make_form_page(demo_site)


def fill_in(client, page):
    client.post(page.step_url(1), {**VALID_STEP_1, "anh_chan_dung": jpeg_upload("chan-dung.jpg")})
    client.post(page.step_url(3), {"cam_doan": "on"})
    review = client.get(page.review_url)
    assert review.status_code == 200
    return re.search(r'name="submit_token" value="([^"]+)"', review.content.decode()).group(1)


def test_submission_creates_dossier_with_files_history_and_version(client, page, django_capture_on_commit_callbacks):
    token = fill_in(client, page)
    queued = OrmQ.objects.count()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(page.submit_url, {"submit_token": token})
    assert response.status_code == 302
    dossier = Dossier.objects.get(form_page=page)
    assert re.fullmatch(rf"{re.escape(page.get_agency().code)}-\d{{6}}-0001", dossier.code)
    assert dossier.status == DossierStatus.NEW
    assert dossier.channel == Channel.ONLINE
    assert dossier.procedure_id == page.get_procedure().pk
    assert dossier.agency == page.get_procedure().agency
    assert dossier.applicant_name == "NGUYỄN VĂN AN"
    assert dossier.applicant_phone == "0912345678"
    assert dossier.language == "vi"
    assert dossier.received_at is None and dossier.due_date is None
    assert dossier.answers["ho_ten"] == "NGUYỄN VĂN AN"
    assert dossier.answers["cam_doan"] is True
    assert dossier.answers["anh_chan_dung"] == ["chan-dung.jpg"]
    # the definition is frozen beside it
    labels = dossier.form_version.field_labels()
    assert labels["so_dien_thoai"] == "Số điện thoại"
    # history: created by the citizen (no actor)
    change = StatusChange.objects.get(dossier=dossier)
    assert (change.actor, change.from_status, change.to_status) == (None, "", DossierStatus.NEW)
    # the file is in private storage
    (stored,) = dossier.files.all()
    assert stored.field_key == "anh_chan_dung" and stored.content_type == "image/jpeg"
    assert private_storage.exists(stored.stored_name)
    assert len(stored.sha256) == 64
    # the citizen's SMS is a Notification row of the same transaction, queued (by id) only
    # after the commit (this test agency has no officers to tell: tests/notifications/test_officers.py)
    (sms,) = Notification.objects.filter(dossier=dossier)
    assert (sms.event, sms.channel, sms.recipient) == (Event.SUBMITTED, NChannel.SMS, "0912345678")
    # one job queued after the commit (forms.review.counts adds its own callback, and
    # forms.compiled keeps the form version once it is committed)
    assert len([c for c in callbacks if c.__module__ not in ("forms.review.counts", "forms.compiled")]) == 1
    assert OrmQ.objects.count() == queued + 1
    # no Wagtail FormSubmission: editors never see the answers
    assert not FormSubmission.objects.filter(page=page).exists()


def test_receipt_shows_code_next_steps_and_processing_time(client, page):
    token = fill_in(client, page)
    response = client.post(page.submit_url, {"submit_token": token}, follow=True)
    dossier = Dossier.objects.get(form_page=page)
    html = response.content.decode()
    assert response.status_code == 200
    assert dossier.code in html
    assert "8 ngày làm việc" in html  # the guide's processing time
    assert "Điều gì xảy ra tiếp theo" in html
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    receipt_path = response.redirect_chain[-1][0]
    assert dossier.code in receipt_path

    # The PDF, from the same session.
    pdf = client.get(receipt_path + "pdf/")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")

    # Another browser session gets nothing, even with the exact URL.
    assert Client().get(receipt_path).status_code == 404
    assert Client().get(receipt_path + "pdf/").status_code == 404


def test_same_token_twice_creates_one_dossier_and_same_receipt(client, page):
    token = fill_in(client, page)
    first = client.post(page.submit_url, {"submit_token": token})
    second = client.post(page.submit_url, {"submit_token": token})
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Dossier.objects.filter(form_page=page).count() == 1


def test_unknown_token_creates_nothing(client, page):
    fill_in(client, page)
    response = client.post(page.submit_url, {"submit_token": "forged"})
    assert response["Location"].endswith("/xem-lai/")
    assert not Dossier.objects.filter(form_page=page).exists()


def test_draft_is_cleared_after_submission(client, page):
    token = fill_in(client, page)
    client.post(page.submit_url, {"submit_token": token})
    assert client.get(page.review_url)["Location"].endswith("/buoc/1/")


def test_honeypot_filled_stores_nothing(client, page):
    token = fill_in(client, page)
    response = client.post(page.submit_url, {"submit_token": token, "website": "http://spam.example"})
    assert response.status_code == 302
    assert not Dossier.objects.filter(form_page=page).exists()


@override_settings(PORTAL_FORMS_SUBMIT_RATE=(2, 600))
def test_rate_limit_answers_429_in_vietnamese(client, page):
    for _ in range(2):
        client.post(page.submit_url, {"submit_token": "x"})
    response = client.post(page.submit_url, {"submit_token": "x"})
    assert response.status_code == 429
    assert "Bạn đã gửi quá nhiều lần" in response.content.decode()
    assert int(response["Retry-After"]) == 600


def test_csrf_is_enforced_on_submit(page):
    client = Client(enforce_csrf_checks=True)
    response = client.post(page.submit_url, {"submit_token": "x"})
    assert response.status_code == 403


def test_same_idempotency_key_returns_existing_dossier(page):
    first = make_dossier(page, key="api:abc")
    second = make_dossier(page, key="api:abc")
    assert first.pk == second.pk
    assert Dossier.objects.filter(idempotency_key="api:abc").count() == 1


def test_submission_log_entry_is_the_row_wagtails_log_writes(page):
    from django.contrib.auth import get_user_model
    from wagtail.log_actions import LogContext, log
    from wagtail.models import ModelLogEntry

    from forms.services import SUBMITTED_ACTION

    officer = get_user_model().objects.get(username="officer")  # whoever the log context names
    with LogContext(user=officer):
        dossier = make_dossier(page)
    ours = ModelLogEntry.objects.for_instance(dossier).get(action=SUBMITTED_ACTION)
    with LogContext(user=officer):
        wagtails = log(instance=dossier, action=SUBMITTED_ACTION, data={"channel": int(Channel.ONLINE)})
    fields = (
        "content_type_id",
        "object_id",
        "label",
        "action",
        "data",
        "user_id",
        "revision_id",
        "content_changed",
        "deleted",
    )
    assert {name: getattr(ours, name) for name in fields} == {name: getattr(wagtails, name) for name in fields}
    assert ours.uuid is not None and ours.timestamp == dossier.submitted_at
    assert ours.message == "Hồ sơ đã được nộp"  # the registered action formats it


def test_form_version_reused_until_the_form_changes(page):
    first = make_dossier(page)
    second = make_dossier(page)
    assert first.form_version_id == second.form_version_id
    field = ApplicationFormField.objects.get(page=page, clean_name="ho_ten")
    field.label = "Họ, chữ đệm và tên"
    field.save()
    third = make_dossier(page)
    assert third.form_version_id != first.form_version_id
    assert FormVersion.objects.filter(form_page=page).count() == 2
    # The old dossier still reads with the old label.
    first.refresh_from_db()
    assert first.form_version.field_labels()["ho_ten"] == "Họ và tên"


def test_whole_submission_validates_in_one_call_for_the_api(page):
    from django.utils.datastructures import MultiValueDict

    from forms.builder import validate_submission
    from forms.services import submit_application

    data = {**VALID_STEP_1, "cam_doan": "on", "nguoi_dai_dien_ho_ten": "không dùng"}
    result = validate_submission(page, data, MultiValueDict({"anh_chan_dung": [jpeg_upload("a.jpg")]}))
    assert result.is_valid, result.errors
    assert [s.title for s in result.steps] == ["Người đề nghị", "Cam đoan"]
    assert "nguoi_dai_dien_ho_ten" not in result.answers  # the representative step is hidden
    dossier = submit_application(page, result.answers, result.uploads, idempotency_key="api:k1").dossier
    assert dossier.files.get().field_key == "anh_chan_dung"

    invalid = validate_submission(page, {**data, "so_dien_thoai": "12"}, MultiValueDict())
    assert set(invalid.errors) == {"so_dien_thoai", "anh_chan_dung"}


def test_draft_files_are_copied_to_the_dossier_and_drafts_cleared(client, page):
    token = fill_in(client, page)
    client.post(page.submit_url, {"submit_token": token})
    stored = Dossier.objects.get(form_page=page).files.get()
    assert stored.stored_name.startswith("dossiers/")
    assert private_storage.exists(stored.stored_name)


def test_abandoned_draft_uploads_are_deleted(client, page):
    from forms.tasks import delete_abandoned_drafts

    client.post(page.step_url(1), {**VALID_STEP_1, "anh_chan_dung": jpeg_upload()})
    draft = client.session[f"portal_forms.draft.{page.pk}"]
    stored_name = draft["uploads"]["anh_chan_dung"][0]["stored_name"]
    assert stored_name.startswith("drafts/")
    delete_abandoned_drafts()  # everything is still fresh
    assert private_storage.exists(stored_name)
    assert delete_abandoned_drafts(max_age_seconds=-60) >= 1
    assert not private_storage.exists(stored_name)


def test_demo_seed_has_three_forms_and_fifty_dossiers_over_every_status(demo_site):
    from forms.constants import is_allowed_transition
    from forms.models import ApplicationFormPage

    forms_pages = ApplicationFormPage.objects.filter(slug="nop-truc-tuyen")
    codes = set(forms_pages.values_list("procedure__procedure_code", flat=True))
    assert {"XNC-01", "CC-12", "XNC-07"} <= codes
    for form_page in forms_pages:
        assert form_page.get_parent().specific.application_form_url == form_page.url
    demo = Dossier.objects.filter(idempotency_key__startswith="demo:")
    assert demo.count() == 50
    assert set(demo.values_list("status", flat=True)) == {s.value for s in DossierStatus if s != DossierStatus.DRAFT}
    assert demo.values("agency").distinct().count() == 2
    for dossier in demo.prefetch_related("status_changes"):
        changes = list(dossier.status_changes.all())
        assert changes[0].from_status == "" and changes[0].to_status == DossierStatus.NEW
        assert changes[-1].to_status == dossier.status
        assert all(is_allowed_transition(c.from_status, c.to_status) for c in changes[1:])
