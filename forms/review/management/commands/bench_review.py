"""Time the review pages in-process, against the current database (after generate_dossiers).

    DJANGO_SETTINGS_MODULE=site_config.settings.production SECRET_KEY=… ALLOWED_HOSTS=localhost \\
    DATABASE_URL=postgres://…/portal manage.py bench_review [--requests 200] [--user officer]

Django's test client sends each request through the whole middleware stack (sessions,
authentication, CSRF, locale, security headers) and the real views and templates, with the
settings in use (run it with production settings: DEBUG off). It measures the server's
work without the network or gunicorn, so the numbers are comparable between runs on one
machine; bench/ measures the pages under load. Scenarios:

* inbox: ``/admin/dossiers/?status=4&ordering=due_date`` (50 rows, pages 1–5), as `--user`;
* detail: the admin dossier page of a random dossier of that user's agencies;
* lookup HTML: ``POST /tra-cuu/`` with a random generated dossier's code and phone digits;
* lookup API: ``POST /api/v3/dossiers/lookup/`` likewise.

The look-ups come from a different client address each time and use different codes, so
the rate limits (10 per client per 10 minutes, 20 per code per hour) are not what is timed.
Prints p50/p95/max in milliseconds and the number of queries of one request of each.
"""

import json
import random
import statistics
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.urls import reverse

from forms.constants import DossierStatus
from forms.models import Dossier

from ...permissions import inbox_agency_ids


class Command(BaseCommand):
    help = "Đo thời gian danh sách hồ sơ, trang hồ sơ và tra cứu (p50/p95, số truy vấn) trên CSDL hiện tại."

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=200, help="Số lượt đo mỗi kịch bản (mặc định 200).")
        parser.add_argument("--user", default="officer", help="Cán bộ mở danh sách và trang hồ sơ.")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--host", default="localhost", help="Host header (phải có trong ALLOWED_HOSTS).")
        parser.add_argument(
            "--sql", action="store_true", help="In các truy vấn (và thời gian) của một lượt mỗi kịch bản."
        )

    def handle(self, *args, requests, user, seed, host, sql, **options):
        rng = random.Random(seed)  # noqa: S311 - picks sample rows
        officer = get_user_model().objects.filter(username=user).first()
        if officer is None:
            raise CommandError(f"Không có người dùng {user}.")
        agencies = inbox_agency_ids(officer)
        mine = Dossier.objects.exclude(status=DossierStatus.DRAFT)
        if agencies is not None:
            mine = mine.filter(agency_id__in=agencies)
        # A sample of ids and (code, phone) pairs spread over the table (pk ranges, not ORDER BY random()).
        low_high = mine.order_by("pk").values_list("pk", flat=True)
        first, last = low_high.first(), low_high.last()
        if first is None:
            raise CommandError("Không có hồ sơ: chạy generate_dossiers trước.")
        # Distinct dossiers: the tracking look-ups allow 20 a code an hour.
        sample = {}
        for _attempt in range(requests * 20):
            row = (
                mine.filter(pk__gte=rng.randint(first, last))
                .order_by("pk")
                .values_list("pk", "code", "applicant_phone")
                .first()
            )
            if row is not None and len(row[2]) >= 4:
                sample[row[0]] = row
            if len(sample) >= requests:
                break
        sample = list(sample.values())
        self.stdout.write(f"{mine.count()} hồ sơ của {user}; {Dossier.objects.count()} hồ sơ tất cả.")

        staff = Client(HTTP_HOST=host, HTTP_X_FORWARDED_PROTO="https")
        staff.force_login(officer)
        inbox = reverse("dossiers:index")
        api = "/api/v3/dossiers/lookup/"
        lookup = reverse("review_tracking:lookup")
        counter = iter(range(1, 10**9))

        visitor = Client(HTTP_HOST=host, HTTP_X_FORWARDED_PROTO="https")

        def citizen():
            """A new visitor (no session cookie) from a new address."""
            n = next(counter)
            visitor.cookies.clear()
            visitor.defaults["REMOTE_ADDR"] = f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"
            return visitor

        scenarios = {
            "inbox": lambda i: staff.get(inbox, {"status": "4", "ordering": "due_date", "p": i % 5 + 1}),
            "detail": lambda i: staff.get(reverse("dossiers:inspect", args=[sample[i % len(sample)][0]])),
            "lookup HTML": lambda i: citizen().post(
                lookup, {"code": sample[i % len(sample)][1], "phone_last4": sample[i % len(sample)][2][-4:]}
            ),
            "lookup API": lambda i: citizen().post(
                api,
                json.dumps({"code": sample[i % len(sample)][1], "phone_last4": sample[i % len(sample)][2][-4:]}),
                content_type="application/json",
            ),
        }
        expected = {"inbox": 200, "detail": 200, "lookup HTML": 302, "lookup API": 200}
        for name, call in scenarios.items():
            for i in range(5):  # warm up: templates, caches, connection
                call(i)
            queries = []
            with connection.execute_wrapper(_Recorder(queries)):
                response = call(5)
            if sql:
                for statement, took in queries:
                    self.stdout.write(f"    {took:6.1f} ms  {statement[:220]}")
            if response.status_code != expected[name]:
                raise CommandError(f"{name}: HTTP {response.status_code}, chờ {expected[name]}.")
            timings = []
            for i in range(requests):
                started = time.perf_counter()
                response = call(i)
                timings.append((time.perf_counter() - started) * 1000)
                if response.status_code != expected[name]:
                    raise CommandError(f"{name}: HTTP {response.status_code}, chờ {expected[name]}.")
            timings.sort()
            p95 = timings[max(0, round(len(timings) * 0.95) - 1)]
            self.stdout.write(
                f"{name:12} p50 {statistics.median(timings):6.1f} ms  p95 {p95:6.1f} ms  "
                f"max {timings[-1]:6.1f} ms  {len(queries)} queries  ({requests} requests)"
            )


class _Recorder:
    """Counts and times the queries of one request (works with DEBUG off)."""

    def __init__(self, queries):
        self.queries = queries

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append((sql, (time.perf_counter() - started) * 1000))
