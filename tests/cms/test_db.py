"""cms.db: a submission's rows of several models written together (one statement on PostgreSQL)."""

import os
import uuid

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from wagtail.models import ModelLogEntry

from cms.db import insert_together, reserve_ids
from forms.builder import validate_submission
from forms.constants import DossierStatus
from forms.models import Dossier, DossierCodeCounter, DossierFile, StatusChange
from forms.notifications.constants import Channel, Event, NotificationStatus
from forms.notifications.models import Notification
from forms.review.search import search_text
from forms.services import local_day, submit_application, take_number_and_id
from tests.factories.forms import VALID_STEP_1, jpeg_upload, make_dossier, make_form_page


@pytest.fixture
def page(demo_site):
    return make_form_page(demo_site)


def stored_files():
    root = settings.PRIVATE_MEDIA_ROOT
    return {os.path.join(folder, name) for folder, _dirs, names in os.walk(root) for name in names}


def rows(model, pks, *, leave_out=("id",)):
    found = {row["id"]: row for row in model.objects.filter(pk__in=pks).values()}
    return [{key: value for key, value in found[pk].items() if key not in leave_out} for pk in pks]


def twins(dossier, officer):
    """Two equal sets of unsaved rows of every kind a submission writes, with awkward values:
    Vietnamese text, JSON with nesting, empty strings, NULLs, microseconds, a uuid."""
    moment = timezone.now().replace(microsecond=123456)
    log_uuid = uuid.uuid4()
    content_type = ContentType.objects.get_for_model(Dossier)

    def one_set():
        return [
            (
                DossierFile,
                [
                    DossierFile(
                        dossier=dossier,
                        field_key="anh_chan_dung",
                        original_name="ảnh chân dung (1).jpg",
                        content_type="image/jpeg",
                        size=304_197,
                        sha256="ab" * 32,
                        stored_name=f"dossiers/{dossier.pk}/x.jpg",
                    )
                ],
            ),
            (
                StatusChange,
                [StatusChange(dossier=dossier, from_status="", to_status=DossierStatus.NEW, created_at=moment)],
            ),
            (
                ModelLogEntry,
                [
                    ModelLogEntry(
                        content_type=content_type,
                        object_id=str(dossier.pk),
                        label="Hồ sơ “thử”",
                        action="portal.dossier.submitted",
                        data={"channel": 2, "nested": {"tên": "Nguyễn", "list": [1, None, True]}},
                        timestamp=moment,
                        user=None,
                        uuid=log_uuid,
                    )
                ],
            ),
            (
                Notification,
                [
                    Notification(
                        dossier=dossier,
                        dedupe_key=f"twin-{number}",
                        event=Event.SUBMITTED,
                        channel=channel,
                        recipient=recipient,
                        subject="Đã nhận hồ sơ" if channel == Channel.EMAIL else "",
                        body_text="Mã hồ sơ: 000.20.79.H29-261128-0001\nCảm ơn.",
                        body_html="<p>Mã hồ sơ</p>" if channel == Channel.EMAIL else "",
                        user=user,
                    )
                    for number, (channel, recipient, user) in enumerate(
                        (
                            (Channel.EMAIL, "an@example.vn", None),
                            (Channel.SMS, "0912345678", None),
                            (Channel.EMAIL, "officer@example.vn", officer),
                        )
                    )
                ],
            ),
        ]

    return one_set(), one_set()


def test_the_rows_written_are_the_rows_bulk_create_writes(page, django_user_model):
    dossier = make_dossier(page)
    officer = django_user_model.objects.get(username="officer")
    together, one_by_one = twins(dossier, officer)
    for _model, objs in one_by_one:
        for obj in objs:
            if isinstance(obj, Notification):
                obj.dedupe_key += "-orm"
    insert_together(together)
    for model, objs in one_by_one:
        model.objects.bulk_create(objs)
    for (model, ours), (_same, theirs) in zip(together, one_by_one, strict=True):
        assert all(obj.pk for obj in ours), model  # the keys the database gave are set
        leave_out = ("id", "dedupe_key", "created_at") if model is Notification else ("id", "created_at")
        ours_rows = rows(model, [obj.pk for obj in ours], leave_out=leave_out)
        assert ours_rows == rows(model, [obj.pk for obj in theirs], leave_out=leave_out)
    statuses = Notification.objects.filter(pk__in=[obj.pk for obj in together[-1][1]]).values_list("status", flat=True)
    assert set(statuses) == {NotificationStatus.QUEUED}  # the model's default, as bulk_create writes it


def test_a_parent_with_a_reserved_key_and_its_children_in_one_call(page):
    dossier = make_dossier(page)
    (pk,) = reserve_ids(Dossier)
    copy = Dossier.objects.get(pk=dossier.pk)
    copy.pk, copy.code, copy.idempotency_key = pk, f"{dossier.code}-copy", None
    change = StatusChange(dossier=copy, from_status="", to_status=DossierStatus.NEW)
    insert_together([(Dossier, [copy]), (StatusChange, [change])])
    assert Dossier.objects.get(pk=pk).answers == dossier.answers
    assert Dossier.objects.get(pk=pk).submitted_at == dossier.submitted_at
    assert StatusChange.objects.get(pk=change.pk).dossier_id == pk
    # save()'s signals were sent: the inbox's search column was filled by its pre_save receiver.
    assert Dossier.objects.get(pk=pk).search_text == search_text(copy.code, copy.applicant_name, copy.applicant_phone)


def test_reserved_keys_are_never_given_to_another_row(page):
    first = reserve_ids(StatusChange, 3)
    assert first == list(range(first[0], first[0] + 3))
    dossier = make_dossier(page)  # writes a StatusChange with a key the database gives
    assert dossier.status_changes.get().pk > first[-1]
    assert reserve_ids(StatusChange)[0] > dossier.status_changes.get().pk


def test_a_failed_write_leaves_no_row_and_no_file_and_the_transaction_usable(page):
    data = {**VALID_STEP_1, "cam_doan": "on"}
    first = make_dossier(page)
    result = validate_submission(page, data, MultiValueDict({"anh_chan_dung": [jpeg_upload("a.jpg")]}))
    assert result.is_valid, result.errors
    # The day's counter is set back: the next submission takes the first one's code.
    DossierCodeCounter.objects.filter(agency=page.get_agency(), day=local_day(first.submitted_at)).update(last_number=0)
    files_before, dossiers_before = stored_files(), Dossier.objects.count()
    counts_before = [model.objects.count() for model in (DossierFile, StatusChange, ModelLogEntry, Notification)]
    with pytest.raises(IntegrityError):
        submit_application(page, result.answers, result.uploads)
    assert Dossier.objects.count() == dossiers_before  # the savepoint kept the test's transaction usable
    assert [
        model.objects.count() for model in (DossierFile, StatusChange, ModelLogEntry, Notification)
    ] == counts_before
    assert stored_files() == files_before  # the photo stored before the write was removed


@pytest.mark.postgres
def test_inside_a_callers_transaction_its_commit_still_waits_for_the_disk(page):
    """The number's statement skips the WAL flush only when it commits on its own: inside a
    transaction, ``set_config(…, true)`` would last until that transaction's commit."""
    if connection.vendor != "postgresql":
        pytest.skip("synchronous_commit is PostgreSQL's")
    assert connection.in_atomic_block  # the test's transaction
    number, pk = take_number_and_id(page.get_agency(), local_day())
    assert number >= 1 and pk >= 1
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_a_submission_is_two_statements(demo_site):
    """In production nothing holds a transaction: the number and key, then one statement that
    commits the dossier with every row of it (no BEGIN, no COMMIT, no savepoint)."""
    if connection.vendor != "postgresql":
        pytest.skip("one statement is PostgreSQL's; SQLite writes one model at a time")
    page = make_form_page(demo_site)
    make_dossier(page)  # the form version is written the first time
    data = {**VALID_STEP_1, "cam_doan": "on"}
    result = validate_submission(page, data, MultiValueDict({"anh_chan_dung": [jpeg_upload("a.jpg")]}))
    with CaptureQueriesContext(connection) as queries:
        dossier = submit_application(page, result.answers, result.uploads, submitted_at=timezone.now()).dossier
    statements = [query["sql"] for query in queries.captured_queries]
    writes = [sql for sql in statements if "portal_forms_" in sql and "INSERT" in sql]
    assert len(writes) == 2, writes
    assert "set_config('synchronous_commit', 'off', true)" in writes[0]  # the number and key
    for table in ("portal_forms_dossier", "portal_forms_dossierfile", "portal_forms_statuschange"):
        assert f'INSERT INTO "{table}"' in writes[1]
    assert '"wagtailcore_modellogentry"' in writes[1] and '"notifications_notification"' in writes[1]
    assert not any("SAVEPOINT" in sql for sql in statements)
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"  # the setting lasted for its own statement only
    assert dossier.files.count() == 1 and dossier.status_changes.count() == 1
    assert Notification.objects.filter(dossier=dossier).count() >= 1
    assert ModelLogEntry.objects.filter(object_id=str(dossier.pk)).count() == 1


def test_a_group_with_and_without_keys_is_refused_before_anything_is_written(page):
    dossier = make_dossier(page)
    count = StatusChange.objects.count()
    changes = [
        StatusChange(dossier=dossier, from_status="", to_status=DossierStatus.NEW),
        StatusChange(pk=reserve_ids(StatusChange)[0], dossier=dossier, from_status="", to_status=DossierStatus.NEW),
    ]
    with pytest.raises(ValueError, match="primary key"):
        insert_together([(StatusChange, changes)])
    assert StatusChange.objects.count() == count
