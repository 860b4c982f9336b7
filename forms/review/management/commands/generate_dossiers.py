"""Create N synthetic dossiers for benchmarks of the officers' inbox and the tracking lookup.

    manage.py generate_dossiers 1000000 [--batch 20000] [--agency 000.20.79.H29] [--seed 1] [--no-vacuum]

Dossiers use the existing application forms (run seed_demo first) and get codes with a
``G`` before the number (``000.20.79.H29-260315-G0000042``) so they never take a real
day's number and are easy to delete: ``Dossier.objects.filter(code__contains="-G")``.
Statuses follow a realistic mix (most dossiers returned, a working set in progress) with
matching receipt, pause, completion and due dates, an assignee among the agency's officers,
and a history of one or two StatusChange rows; no files, no personal data beyond invented
names and numbers.

On PostgreSQL rows are written with COPY (ids reserved from the sequence, one transaction
per batch) and the tables are vacuumed and analysed at the end, so that the inbox's
index-only scans and the planner's statistics are right at once (about 2 minutes per
million rows on a 2-core machine). Other databases use ``bulk_create``. Rows are written
without ``save()``: ``search_text`` is filled here, and the inbox's cached counts catch up
within a minute.
"""

import json
import random
from datetime import datetime, time, timedelta
from enum import Enum

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from cms.models import AgencyMembership
from forms.constants import DossierStatus, ResultDelivery
from forms.models import ApplicationFormPage, Dossier, FormVersion, StatusChange

from ...calendar import WorkingCalendar, local_day, timeliness_of
from ...permissions import STAFF_GROUPS
from ...search import search_text

SURNAMES = ["NGUYỄN", "TRẦN", "LÊ", "PHẠM", "HOÀNG", "VÕ", "ĐẶNG", "BÙI"]
GIVEN = ["VĂN AN", "THỊ BÌNH", "MINH CHÂU", "QUỐC DŨNG", "THU HÀ", "GIA HUY", "NGỌC LAN"]
S = DossierStatus
# Share of each status (per mille): a year of returned dossiers and a working set in progress.
STATUS_WEIGHTS = {
    S.NEW: 40,
    S.ACCEPTED: 50,
    S.REFUSED: 30,
    S.PROCESSING: 120,
    S.SUPPLEMENT_REQUESTED: 30,
    S.PAYMENT_REQUESTED: 20,
    S.WITHDRAWN: 20,
    S.STOPPED: 15,
    S.DONE: 75,
    S.DELIVERED: 600,
}
ACTIVE = {S.NEW, S.ACCEPTED, S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.PAYMENT_REQUESTED}
RECEIVED = {s for s in STATUS_WEIGHTS if s not in (S.NEW, S.REFUSED)}
PAUSED = {S.SUPPLEMENT_REQUESTED, S.PAYMENT_REQUESTED}
FINISHED = {S.DONE, S.DELIVERED}


class Command(BaseCommand):
    help = (
        "Tạo N hồ sơ giả lập (mã có -G) để đo hiệu năng danh sách hồ sơ và tra cứu "
        "(PostgreSQL: COPY theo lô rồi VACUUM ANALYZE; CSDL khác: bulk_create)."
    )

    def add_arguments(self, parser):
        parser.add_argument("count", type=int, help="Số hồ sơ cần tạo.")
        parser.add_argument("--batch", type=int, default=20000, help="Số hồ sơ mỗi lô / giao dịch (mặc định 20000).")
        parser.add_argument("--agency", help="Chỉ dùng biểu mẫu của cơ quan có mã này.")
        parser.add_argument("--seed", type=int, default=1, help="Hạt giống ngẫu nhiên (cùng hạt giống, cùng dữ liệu).")
        parser.add_argument(
            "--no-vacuum", action="store_true", help="PostgreSQL: bỏ qua VACUUM ANALYZE sau khi tạo (mặc định có chạy)."
        )

    def handle(self, *args, count, batch, agency, seed, no_vacuum, **options):
        if count < 0 or batch < 1:
            raise CommandError("N phải ≥ 0 và --batch phải ≥ 1.")
        self.rng = random.Random(seed)  # noqa: S311 - synthetic data
        self.choices = self._forms(agency)
        self.staff = self._staff({choice[2].pk for choice in self.choices})
        self.now = timezone.now()
        self.today = local_day(self.now)
        self.calendar = WorkingCalendar(self.today - timedelta(days=400), self.today + timedelta(days=200))
        self.due_cache = {}
        self.statuses = list(STATUS_WEIGHTS)
        self.weights = list(STATUS_WEIGHTS.values())
        use_copy = connection.vendor == "postgresql"
        start = (Dossier.objects.filter(code__contains="-G").aggregate(n=Max("pk"))["n"] or 0) + 1
        created = 0
        while created < count:
            size = min(batch, count - created)
            rows = [self._dossier(start + created + offset) for offset in range(size)]
            with transaction.atomic():
                if use_copy:
                    self._copy(rows)
                else:
                    self._bulk_create(rows)
            created += size
            self.stdout.write(f"  {created}/{count}")
        if use_copy and not no_vacuum and created:
            # VACUUM sets the visibility map (index-only scans) and cannot run in a transaction
            # (e.g. called from a test): ANALYZE alone then.
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
            with connection.cursor() as cursor:
                for model in (Dossier, StatusChange):
                    cursor.execute(f"{command} {model._meta.db_table}")
        self.stdout.write(self.style.SUCCESS(f"Đã tạo {created} hồ sơ giả lập (ngày {self.today:%d/%m/%Y})."))

    # --- input ---------------------------------------------------------------------------

    def _forms(self, agency_code):
        choices = []
        for page in ApplicationFormPage.objects.live().order_by("pk"):
            version = FormVersion.objects.filter(form_page=page).order_by("-pk").first()
            page_agency = page.get_agency()
            if version is None or page_agency is None:
                continue
            if agency_code and page_agency.code != agency_code:
                continue
            procedure = page.get_procedure()
            choices.append((page, version, page_agency, procedure, getattr(procedure, "processing_days", None)))
        if not choices:
            raise CommandError("Không có biểu mẫu nào có phiên bản: chạy seed_demo (và nộp thử một hồ sơ) trước.")
        return choices

    def _staff(self, agency_ids):
        staff = {agency_id: [] for agency_id in agency_ids}
        officers = set(
            get_user_model().objects.filter(groups__name__in=STAFF_GROUPS, is_active=True).values_list("pk", flat=True)
        )
        for user_id, agency_id in AgencyMembership.objects.filter(agency_id__in=agency_ids).values_list(
            "user_id", "agency_id"
        ):
            if user_id in officers:
                staff[agency_id].append(user_id)
        return staff

    # --- one synthetic dossier -------------------------------------------------------------

    def _moment(self, day):
        """A working-hours moment on `day` (local time)."""
        minutes = self.rng.randint(7 * 60 + 30, 16 * 60 + 30)
        return timezone.make_aware(datetime.combine(day, time(minutes // 60, minutes % 60)))

    def _add_working_days(self, start, days):
        key = (start, days)
        if key not in self.due_cache:
            day, counted = start, 0
            while counted < days:
                day += timedelta(days=1)
                if self.calendar.is_working_day(day):
                    counted += 1
            self.due_cache[key] = day
        return self.due_cache[key]

    def _dossier(self, number):
        rng = self.rng
        page, version, agency, procedure, days = rng.choice(self.choices)
        status = rng.choices(self.statuses, self.weights)[0]
        # Work in progress is recent; finished and closed dossiers spread over a year.
        age = rng.randint(0, 25) if status in ACTIVE else rng.randint(0, 365)
        submitted = min(self._moment(self.today - timedelta(days=age)), self.now)
        values = {
            "status": status,
            "submitted_at": submitted,
            "received_at": None,
            "due_date": None,
            "assignee_id": None,
            "clock_paused_at": None,
            "finished_at": None,
            "timeliness": "",
            "returned_at": None,
            "return_method": "",
        }
        last_change = submitted
        if status in RECEIVED:
            received = min(submitted + timedelta(hours=rng.randint(1, 30)), self.now)
            values["received_at"] = received
            last_change = received
            if days is not None:
                values["due_date"] = self._add_working_days(local_day(received), days)
            officers = self.staff.get(agency.pk)
            if officers:
                values["assignee_id"] = rng.choice(officers)
            if status in PAUSED:
                values["clock_paused_at"] = last_change = min(received + timedelta(days=rng.randint(0, 5)), self.now)
            if status in FINISHED:
                planned = (days or 5) + 4
                finished = min(received + timedelta(days=rng.randint(1, planned)), self.now)
                values["finished_at"] = last_change = finished
                values["timeliness"] = timeliness_of(local_day(finished), values["due_date"])
                if status == S.DELIVERED:
                    values["returned_at"] = last_change = min(finished + timedelta(hours=rng.randint(1, 72)), self.now)
                    values["return_method"] = ResultDelivery.IN_PERSON
        name = f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}"
        phone = f"09{rng.randint(0, 99999999):08d}"
        code = f"{agency.code}-{local_day(submitted):%y%m%d}-G{number:07d}"
        values.update(
            code=code,
            form_page_id=page.pk,
            form_version_id=version.pk,
            procedure_id=procedure.pk if procedure is not None else None,
            agency_id=agency.pk,
            answers={"ho_ten": name, "so_dien_thoai": phone},
            applicant_name=name,
            applicant_phone=phone,
            personal_id=f"079{rng.randint(0, 999999999):09d}",
            processing_days=days,
            search_text=search_text(code, name, phone),
        )
        changes = [("", S.NEW, submitted)]
        if status != S.NEW:
            changes.append((S.NEW, status, last_change))
        return values, changes

    # --- writing ---------------------------------------------------------------------------

    def _bulk_create(self, rows):
        dossiers = Dossier.objects.bulk_create([Dossier(**values) for values, _changes in rows])
        if not all(d.pk for d in dossiers):  # backends that return no ids
            ids = dict(Dossier.objects.filter(code__in=[d.code for d in dossiers]).values_list("code", "pk"))
            for dossier in dossiers:
                dossier.pk = ids[dossier.code]
        StatusChange.objects.bulk_create(
            StatusChange(dossier_id=dossier.pk, from_status=old, to_status=new, created_at=at)
            for dossier, (_values, changes) in zip(dossiers, rows, strict=True)
            for old, new, at in changes
        )

    def _copy(self, rows):
        """COPY the batch: dossier ids reserved from the sequence first, so history rows can point at them."""
        table = Dossier._meta.db_table
        template = Dossier()
        fields = [f for f in Dossier._meta.concrete_fields if not f.primary_key]
        defaults = {f.attname: getattr(template, f.attname) for f in fields}
        columns = ["id", *[f.column for f in fields]]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, len(rows)]
            )
            ids = [row[0] for row in cursor.fetchall()]
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for pk, (values, _changes) in zip(ids, rows, strict=True):
                    record = {**defaults, **values}
                    record["answers"] = json.dumps(record["answers"], ensure_ascii=False)
                    copy.write_row([pk, *[_plain(record[f.attname]) for f in fields]])
            history = StatusChange._meta.db_table
            with raw.copy(
                f"COPY {history} (dossier_id, actor_id, from_status, to_status, note, created_at) FROM STDIN"
            ) as copy:
                for pk, (_values, changes) in zip(ids, rows, strict=True):
                    for old, new, at in changes:
                        copy.write_row([pk, None, _plain(old), _plain(new), "", at])


def _plain(value):
    """Choices are enums: COPY gets their database value (psycopg would write an enum's name)."""
    return value.value if isinstance(value, Enum) else value
