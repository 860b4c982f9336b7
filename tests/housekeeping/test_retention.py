"""Retention: finished dossiers past their period lose personal data and files, keep their statistics."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from forms.constants import DossierStatus
from forms.housekeeping.models import DossierErasure, RetentionRule, RetentionRun
from forms.housekeeping.retention import apply_retention, months_before
from forms.models import Dossier, DossierFile, StatusChange
from forms.notifications.models import Notification
from forms.review import citizen, services
from forms.review.models import DossierNote, DossierRating, SupplementRequest
from forms.stats.figures import compute_figures
from forms.storage import private_storage
from tests.factories.forms import make_form_page, make_guide
from tests.factories.review import make_review_dossier, move_to, pa08, user

S = DossierStatus
NAME = "NGUYỄN VĂN AN"


def backdate(dossier, months):
    """Move every date of the dossier's history back by `months` months (order kept)."""
    now = timezone.now()
    for change in StatusChange.objects.filter(dossier=dossier):
        StatusChange.objects.filter(pk=change.pk).update(created_at=months_before(change.created_at, months))
    fields = {}
    for name in ("submitted_at", "received_at", "finished_at", "returned_at"):
        value = getattr(dossier, name)
        if value is not None:
            fields[name] = months_before(value, months)
    Dossier.objects.filter(pk=dossier.pk).update(**fields)
    dossier.refresh_from_db()
    assert dossier.submitted_at < now


def attach_file(dossier, key="anh_chan_dung"):
    stored = private_storage.save(f"dossiers/{dossier.pk}/test.jpg", ContentFile(b"\xff\xd8 portrait"))
    return DossierFile.objects.create(
        dossier=dossier,
        field_key=key,
        original_name="CCCD Nguyen Van An.jpg",
        content_type="image/jpeg",
        size=12,
        sha256="ab" * 32,
        stored_name=stored,
    )


@pytest.fixture
def officer(demo_site):
    return user("officer")


@pytest.fixture
def delivered(demo_site, officer):
    """A PA08 dossier returned 30 months ago, with a supplement, a file, a note, a rating, notifications."""
    dossier = make_review_dossier(demo_site, answers={"email": "an@example.com"})
    move_to(dossier, S.PROCESSING, officer)
    services.request_supplement(dossier.pk, officer, items=["ho_ten"], message="Sửa họ tên của ông An")
    citizen.submit_supplement(dossier.pk, answers={"ho_ten": NAME})
    services.add_note(dossier.pk, officer, "Ông An gọi điện hỏi")
    services.finish_dossier(dossier.pk, officer)
    services.return_result(dossier.pk, officer, method="buu_chinh", tracking_number="EV123456789VN")
    citizen.rate_dossier(dossier.pk, satisfaction="hai_long", comment="Cán bộ gọi tôi là An, rất nhiệt tình")
    attach_file(dossier)
    dossier.refresh_from_db()
    backdate(dossier, 30)
    return dossier


def personal_values(dossier):
    dossier.refresh_from_db()
    return [
        dossier.applicant_name,
        dossier.applicant_phone,
        dossier.personal_id,
        dossier.postal_address,
        dossier.tracking_number,
    ]


def test_dry_run_counts_per_procedure_and_changes_nothing(delivered):
    out = StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    text = out.getvalue()
    assert delivered.procedure.title in text
    assert "would erase" in text
    assert NAME not in text and delivered.applicant_phone not in text and delivered.code not in text
    delivered.refresh_from_db()
    assert delivered.answers and delivered.applicant_phone
    assert not DossierErasure.objects.filter(dossier=delivered).exists()
    run = RetentionRun.objects.latest("pk")
    assert run.dry_run and run.dossiers >= 1 and run.files >= 1
    assert run.per_procedure[str(delivered.procedure_id)]["dossiers"] == 1
    assert private_storage.exists(delivered.files.get().stored_name)


def test_erasure_clears_personal_data_and_files_and_keeps_history(delivered):
    dossier_file = delivered.files.get()
    stored = dossier_file.stored_name
    changes_before = list(
        StatusChange.objects.filter(dossier=delivered).values_list("from_status", "to_status", "created_at")
    )
    assert Notification.objects.filter(dossier=delivered).exclude(recipient="").exists()

    report = apply_retention(dry_run=False)

    assert report.dossiers >= 1 and report.files >= 1
    delivered.refresh_from_db()
    assert delivered.answers == {}
    assert personal_values(delivered) == ["", "", "", "", ""]
    assert delivered.applicant_email == ""
    # No text column of the row keeps the name or the phone, in any form (search columns included).
    for column in Dossier._meta.concrete_fields:
        value = str(getattr(delivered, column.attname) or "").lower()
        assert "nguy" not in value and "0912345678" not in value, column.name
    # Kept: code, procedure, status, dates, timeliness, the whole history (notes emptied).
    assert delivered.status == S.DELIVERED and delivered.timeliness and delivered.received_at
    after = list(StatusChange.objects.filter(dossier=delivered).values_list("from_status", "to_status", "created_at"))
    assert after == changes_before
    assert not StatusChange.objects.filter(dossier=delivered).exclude(note="").exists()
    # Files: gone from storage, the row stays without a name or a stored file.
    assert not private_storage.exists(stored)
    dossier_file.refresh_from_db()
    assert (dossier_file.stored_name, dossier_file.sha256, dossier_file.original_name) == ("", "", "anh_chan_dung")
    supplement = SupplementRequest.objects.get(dossier=delivered)
    assert (supplement.message, supplement.previous_answers, supplement.new_answers) == ("", {}, {})
    assert not DossierNote.objects.filter(dossier=delivered).exclude(text="").exists()
    rating = DossierRating.objects.get(dossier=delivered)
    assert rating.comment == "" and rating.satisfaction == "hai_long"
    for notification in Notification.objects.filter(dossier=delivered):
        assert (notification.recipient, notification.subject, notification.body_text) == ("", "", "")
    erasure = DossierErasure.objects.get(dossier=delivered)
    assert erasure.retention_months == 24 and erasure.run_id == report.run_id
    assert ModelLogEntry.objects.filter(object_id=str(delivered.pk), action="portal.dossier.erased").exists()
    # A second run finds nothing more to do for this dossier.
    again = apply_retention(dry_run=False)
    assert str(delivered.procedure_id) not in again.per_procedure


def test_statistics_are_the_same_before_and_after_erasure(delivered, officer, demo_site):
    guide = delivered.procedure
    withdrawn = make_review_dossier(demo_site, page=delivered.form_page)
    move_to(withdrawn, S.PROCESSING, officer)
    services.withdraw_dossier(withdrawn.pk, reason="Ông An không còn nhu cầu")
    backdate(withdrawn, 28)
    start = date.today().replace(day=1) - timedelta(days=40 * 31)
    end = date.today()
    before = compute_figures(start, end, agency=pa08(), procedure=guide)
    assert before.finished >= 1 and before.withdrawn >= 1
    report = apply_retention(dry_run=False)
    assert report.per_procedure[str(guide.pk)]["dossiers"] == 2
    after = compute_figures(start, end, agency=pa08(), procedure=guide)
    assert after == before


def test_rules_per_procedure_default_and_never(demo_site, officer):
    agency = pa08()
    never_guide = make_guide(demo_site, agency, processing_days=5)
    short_guide = make_guide(demo_site, agency, processing_days=5)
    RetentionRule.objects.create(procedure=never_guide, months=None)
    RetentionRule.objects.create(procedure=short_guide, months=6)
    kept_forever = make_review_dossier(demo_site, page=make_form_page(demo_site, guide=never_guide, agency=agency))
    short = make_review_dossier(demo_site, page=make_form_page(demo_site, guide=short_guide, agency=agency))
    recent = make_review_dossier(demo_site)
    still_open = make_review_dossier(demo_site)
    for dossier in (kept_forever, short):
        move_to(dossier, S.REFUSED, officer)
        backdate(dossier, 40)
    move_to(recent, S.STOPPED, officer)
    backdate(recent, 20)  # under the 24-month default
    move_to(still_open, S.PROCESSING, officer)
    backdate(still_open, 60)  # not finished: never erased

    apply_retention(dry_run=False)

    erased = set(DossierErasure.objects.values_list("dossier_id", flat=True))
    assert short.pk in erased
    assert DossierErasure.objects.get(dossier=short).retention_months == 6
    assert not {kept_forever.pk, recent.pk, still_open.pk} & erased
    for dossier in (kept_forever, recent, still_open):
        dossier.refresh_from_db()
        assert dossier.applicant_name


def test_default_never_keeps_everything(settings, delivered):
    settings.PORTAL_RETENTION_MONTHS = None
    report = apply_retention(dry_run=False)
    assert str(delivered.procedure_id) not in report.per_procedure
    assert not DossierErasure.objects.filter(dossier=delivered).exists()


def test_officer_sees_the_erasure_and_an_erased_file_answers_410(client, delivered, officer):
    dossier_file = delivered.files.get()
    apply_retention(dry_run=False)
    client.force_login(officer)
    page = client.get(reverse("dossiers:inspect", args=[delivered.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "đã được xóa" in body and "theo thời hạn lưu trữ (24 tháng" in body
    assert NAME not in body
    response = client.get(reverse("portal_forms:download_file", args=[dossier_file.pk]))
    assert response.status_code == 410
    assert "Tệp không còn được lưu trữ" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_retention_rule_is_edited_in_the_admin(admin_client, demo_site):
    guide = make_guide(demo_site, pa08())
    response = admin_client.post(
        reverse("retention_rules:add"), {"procedure": guide.pk, "months": "36", "note": "Thông tư 01/2026"}
    )
    assert response.status_code == 302
    assert RetentionRule.objects.get(procedure=guide).months == 36
    bad = admin_client.post(reverse("retention_rules:add"), {"procedure": guide.pk, "months": "0"})
    assert bad.status_code == 200  # shown again with the error; the rule is unchanged
    assert RetentionRule.objects.get(procedure=guide).months == 36
    assert admin_client.get(reverse("retention_runs:index")).status_code == 200
