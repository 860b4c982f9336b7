"""Create N synthetic dossiers for benchmarks of the officers' inbox (batched bulk_create).

    manage.py generate_dossiers 100000 [--batch 2000] [--agency 000.20.79.H29] [--seed 1]

Dossiers use the existing application forms (run seed_demo first) and get codes with a
``G`` before the number (``000.20.79.H29-260315-G000042``) so they never take a real
day's number and are easy to delete: ``Dossier.objects.filter(code__contains="-G")``.
Statuses are spread over 1–10 with matching receipt and due dates; no files, no personal
data beyond invented names and numbers.
"""

import random
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from forms.constants import DossierStatus
from forms.models import ApplicationFormPage, Dossier, FormVersion, StatusChange

from ...calendar import add_working_days, local_day

SURNAMES = ["NGUYỄN", "TRẦN", "LÊ", "PHẠM", "HOÀNG", "VÕ", "ĐẶNG", "BÙI"]
GIVEN = ["VĂN AN", "THỊ BÌNH", "MINH CHÂU", "QUỐC DŨNG", "THU HÀ", "GIA HUY", "NGỌC LAN"]
STATUSES = [status for status in DossierStatus if status != DossierStatus.DRAFT]
RECEIVED = {s for s in STATUSES if s not in (DossierStatus.NEW, DossierStatus.REFUSED)}


class Command(BaseCommand):
    help = "Tạo N hồ sơ giả lập để đo hiệu năng danh sách hồ sơ (bulk_create theo lô)."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int)
        parser.add_argument("--batch", type=int, default=2000)
        parser.add_argument("--agency", help="Chỉ dùng biểu mẫu của cơ quan có mã này.")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, count, batch, agency, seed, **options):
        rng = random.Random(seed)  # noqa: S311 - synthetic data
        pages = list(ApplicationFormPage.objects.live().select_related("agency", "procedure"))
        versions = {}
        for page in pages:
            version = FormVersion.objects.filter(form_page=page).order_by("-pk").first()
            if version is not None and page.get_agency() is not None:
                versions[page.pk] = (page, version, page.get_agency(), page.get_procedure())
        if agency:
            versions = {k: v for k, v in versions.items() if v[2].code == agency}
        if not versions:
            raise CommandError("Không có biểu mẫu nào có phiên bản: chạy seed_demo (và nộp thử một hồ sơ) trước.")
        choices = list(versions.values())
        start = (Dossier.objects.filter(code__contains="-G").aggregate(n=Max("pk"))["n"] or 0) + 1
        today = local_day()
        now = timezone.now()
        created = 0
        holidays_cache = {}
        while created < count:
            size = min(batch, count - created)
            dossiers, meta = [], []
            for offset in range(size):
                number = start + created + offset
                page, version, dossier_agency, procedure = rng.choice(choices)
                status = rng.choice(STATUSES)
                submitted = now - timedelta(days=rng.randint(0, 120), minutes=rng.randint(0, 600))
                received = submitted + timedelta(hours=rng.randint(1, 48)) if status in RECEIVED else None
                days = getattr(procedure, "processing_days", None)
                due = None
                if received is not None and days is not None:
                    key = (local_day(received), days)
                    if key not in holidays_cache:
                        holidays_cache[key] = add_working_days(*key)
                    due = holidays_cache[key]
                dossiers.append(
                    Dossier(
                        code=f"{dossier_agency.code}-{local_day(submitted):%y%m%d}-G{number:07d}",
                        form_page=page,
                        form_version=version,
                        procedure=procedure,
                        agency=dossier_agency,
                        status=status,
                        answers={"ho_ten": f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}"},
                        applicant_name=f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}",
                        applicant_phone=f"09{rng.randint(0, 99999999):08d}",
                        personal_id=f"079{rng.randint(0, 999999999):09d}",
                        submitted_at=submitted,
                        received_at=received,
                        due_date=due,
                        processing_days=days,
                    )
                )
                meta.append((status, submitted, days))
            with transaction.atomic():
                Dossier.objects.bulk_create(dossiers, batch_size=batch)
                codes = [d.code for d in dossiers]
                saved = dict(Dossier.objects.filter(code__in=codes).values_list("code", "pk"))
                StatusChange.objects.bulk_create(
                    [
                        StatusChange(dossier_id=saved[d.code], from_status="", to_status=status, created_at=submitted)
                        for d, (status, submitted, _days) in zip(dossiers, meta, strict=True)
                    ],
                    batch_size=batch,
                )
            created += size
            self.stdout.write(f"  {created}/{count}")
        self.stdout.write(self.style.SUCCESS(f"Đã tạo {created} hồ sơ giả lập (ngày {today:%d/%m/%Y})."))
