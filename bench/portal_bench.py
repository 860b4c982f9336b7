"""The portal's side of the benchmark: data set-up, row counts and timing loops.

Run with the portal's venv and settings (bench/run sets them):

    python bench/portal_bench.py payload OUT_DIR        # passport payload + JPEGs, prints the form's id
    python bench/portal_bench.py counts                 # rows that a submission creates, as JSON
    python bench/portal_bench.py duplicates             # dossier codes used more than once
    python bench/portal_bench.py samples OUT_JSON N     # dossiers to time the officer pages and lookup
    python bench/portal_bench.py timing BASE SAMPLES_JSON OFFICER PASSWORD [--requests N]

`timing` is a small sequential loop (concurrency 1) with http.client: the officer's inbox and
dossier page (logged in), the tracking lookup API and the public statistics page. The lookup
API is rate limited per client address and per code, so every request uses another code and
every few requests another loopback source address (127.0.0.0/8 all reaches the server).
"""

import http.client
import io
import json
import os
import re
import sys
import time
from pathlib import Path
from urllib.parse import urlencode, urlparse

ROOT = Path(__file__).resolve().parent.parent


def emit(line):
    sys.stdout.write(f"{line}\n")


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_config.settings.production")
    import django

    django.setup()


# --- payload ---------------------------------------------------------------------------------


def jpeg(path, size_bytes, seed):
    """A real JPEG of about `size_bytes` (noise compresses badly, so the size is easy to reach)."""
    import random

    from PIL import Image

    rng = random.Random(seed)  # noqa: S311 - test picture
    side = 64
    while True:
        image = Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3))
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=85)
        if buffer.tell() >= size_bytes:
            break
        side = int(side * 1.05) + 1
    path.write_bytes(buffer.getvalue())
    return buffer.tell()


def passport_form():
    from forms.models import ApplicationFormPage

    for page in ApplicationFormPage.objects.live().public().filter(locale__language_code="vi").order_by("pk"):
        procedure = page.get_procedure()
        if procedure is not None and "hộ chiếu" in page.title.lower():
            return page
    raise SystemExit("passport form not found: run seed_demo first")


def answers_for(schema, photo_paths):
    """Valid answers for every visible input of the form's schema (the demo passport form):
    the applicant applies for themselves, first time, collects in person."""
    from forms.provinces import wards

    ward = wards("79")[0][0]
    values = {
        "loai_nguoi_de_nghi": "ban_than",
        "ho": "NGUYỄN",
        "chu_dem_ten": "VĂN AN",
        "gioi_tinh": "nam",
        "ngay_sinh": "17/05/1990",
        "noi_sinh": "79",
        "so_dinh_danh": "079090012345",
        "ngay_cap": "12/03/2021",
        "dan_toc": "Kinh",
        "ton_giao": "Không",
        "so_dien_thoai": "0912345678",
        "email": "an@example.vn",
        "dia_chi_thuong_tru_province": "79",
        "dia_chi_thuong_tru_ward": ward,
        "dia_chi_thuong_tru_street": "12 Lê Lợi",
        "nghe_nghiep": "Kỹ sư",
        "lan_de_nghi": "lan_dau",
        "gan_chip": "khong",
        "noi_nhan_ket_qua": "truc_tiep",
        "cam_doan": "true",
    }
    payload = {}
    for step in schema["steps"]:
        if step.get("condition") is not None:
            continue  # the representative's step (a child under 14)
        for field in step["fields"]:
            if field["condition"] is not None:
                continue
            if field["type"] == "file":
                if field["key"] in photo_paths:
                    payload[field["key"]] = {"file": str(photo_paths[field["key"]]), "type": "image/jpeg"}
                continue
            for name in field["inputs"]:
                if name in values:
                    payload[name] = values[name]
    return payload


def cmd_payload(out_dir):
    """Write valid.json and invalid.json (load bodies) and the JPEGs; print the form page id."""
    setup_django()
    from django.test import Client

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    page = passport_form()
    schema = Client().get(f"/api/v3/forms/{page.pk}/schema/", HTTP_HOST="127.0.0.1").json()
    photos = {
        "anh_chan_dung": out / "chan-dung.jpg",
        "anh_can_cuoc_mat_truoc": out / "can-cuoc-truoc.jpg",
        "anh_can_cuoc_mat_sau": out / "can-cuoc-sau.jpg",
    }
    sizes = {
        "anh_chan_dung": jpeg(photos["anh_chan_dung"], 300_000, 1),
        "anh_can_cuoc_mat_truoc": jpeg(photos["anh_can_cuoc_mat_truoc"], 40_000, 2),
        "anh_can_cuoc_mat_sau": jpeg(photos["anh_can_cuoc_mat_sau"], 40_000, 3),
    }
    valid = answers_for(schema, photos)
    missing = [
        f["key"]
        for s in schema["steps"]
        if s.get("condition") is None
        for f in s["fields"]
        if f["required"] and f["condition"] is None and f["inputs"] and not any(i in valid for i in f["inputs"])
    ]
    if missing:
        raise SystemExit(f"the passport form has required fields the bench does not fill: {missing}")
    # Invalid: the same body with a phone number that cannot exist. The API must answer 400.
    invalid = {**valid, "so_dien_thoai": "0123"}
    (out / "valid.json").write_text(json.dumps(valid, ensure_ascii=False))
    (out / "invalid.json").write_text(json.dumps(invalid, ensure_ascii=False))
    (out / "photos.json").write_text(json.dumps(sizes))
    emit(page.pk)


# --- rows and codes ----------------------------------------------------------------------------


def cmd_counts():
    setup_django()
    from django.conf import settings

    from forms.models import Dossier, DossierFile, StatusChange
    from forms.notifications.models import Notification

    root = Path(settings.PRIVATE_MEDIA_ROOT)
    stored = sum(1 for p in root.rglob("*") if p.is_file()) if root.exists() else 0
    emit(
        json.dumps(
            {
                "dossiers": Dossier.objects.count(),
                "files": DossierFile.objects.count(),
                "history": StatusChange.objects.count(),
                "notifications": Notification.objects.count(),
                "stored_files": stored,
            }
        )
    )


def cmd_duplicates():
    setup_django()
    from django.db.models import Count

    from forms.models import Dossier

    rows = Dossier.objects.values("code").annotate(n=Count("pk")).filter(n__gt=1).count()
    emit(rows)


def cmd_samples(out_json, count):
    """Dossiers of the demo officer's agency for the inbox/detail timing, and lookup pairs."""
    setup_django()
    from django.contrib.auth import get_user_model

    from forms.models import Dossier
    from forms.permissions import dossiers_visible_to

    officer = get_user_model().objects.get(username="officer")
    visible = dossiers_visible_to(officer)
    # Spread over the table: every k-th id instead of the newest rows only.
    total = Dossier.objects.count()
    step = max(1, total // (count * 4))
    detail = list(visible.filter(pk__in=range(1, total + 1, step)).values_list("pk", flat=True)[:count])
    lookups = list(
        Dossier.objects.filter(code__contains="-G", pk__in=range(7, total + 1, step))
        .exclude(applicant_phone="")
        .values_list("code", "applicant_phone")[:count]
    )
    Path(out_json).write_text(
        json.dumps(
            {
                "total": total,
                "detail_ids": detail,
                "lookups": [[code, phone[-4:]] for code, phone in lookups],
            }
        )
    )
    emit(total)


# --- timing ----------------------------------------------------------------------------------


def percentile(values, q):
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1) if ordered else None


class Browser:
    """Enough of a browser for the admin: cookies by name, CSRF token from the login form."""

    def __init__(self, base):
        parsed = urlparse(base)
        self.host, self.port = parsed.hostname, parsed.port
        self.cookies = {}

    def request(self, method, path, body=None, headers=None, source=None):
        connection = http.client.HTTPConnection(
            self.host, self.port, timeout=60, source_address=(source, 0) if source else None
        )
        sent = {"Host": f"{self.host}:{self.port}", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        start = time.perf_counter()
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        content = response.read()
        elapsed = (time.perf_counter() - start) * 1000
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        connection.close()
        return response.status, content, elapsed

    def login(self, username, password):
        status, content, _ms = self.request("GET", "/admin/login/")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content)
        if status != 200 or not match:
            raise SystemExit(f"admin login page: {status}")
        body = urlencode(
            {"csrfmiddlewaretoken": match.group(1).decode(), "username": username, "password": password, "next": ""}
        )
        status, _content, _ms = self.request(
            "POST",
            "/admin/login/",
            body,
            {"Content-Type": "application/x-www-form-urlencoded", "Referer": f"http://{self.host}:{self.port}/"},
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"admin login failed ({status})")


def timed(name, calls, warmup=3):
    """Run calls (each returns (status, ms)); the first `warmup` are not recorded."""
    times, errors, statuses = [], 0, {}
    for index, call in enumerate(calls):
        status, ms = call()
        statuses[status] = statuses.get(status, 0) + 1
        if index < warmup:
            continue
        times.append(ms)
        errors += 0 if status == 200 else 1
    return {
        "name": name,
        "requests": len(times),
        "errors": errors,
        "statuses": statuses,
        "p50_ms": percentile(times, 0.5),
        "p95_ms": percentile(times, 0.95),
        "max_ms": round(max(times), 1) if times else None,
    }


def cmd_timing(base, samples_json, username, password, requests):
    samples = json.loads(Path(samples_json).read_text())
    officer = Browser(base)
    officer.login(username, password)
    public = Browser(base)
    results = []

    def get(browser, path):
        return lambda: browser.request("GET", path)[::2]

    inbox = "/admin/dossiers/?" + urlencode({"status": "2", "ordering": "due_date"})
    results.append(timed("inbox (status 2, by due date)", [get(officer, inbox) for _ in range(requests + 3)]))
    ids = samples["detail_ids"] or [0]
    detail = [get(officer, f"/admin/dossiers/inspect/{ids[i % len(ids)]}/") for i in range(requests + 3)]
    results.append(timed("dossier detail", detail))

    def lookup(index, code, last4):
        # Another loopback address every 5 lookups: the per-client limit is 10 per 10 minutes.
        source = f"127.0.{10 + index // 1250}.{1 + (index // 5) % 250}"
        body = json.dumps({"code": code, "phone_last4": last4})
        return lambda: public.request(
            "POST", "/api/v3/dossiers/lookup/", body, {"Content-Type": "application/json"}, source=source
        )[::2]

    pairs = samples["lookups"] or [["none", "0000"]]
    calls = [lookup(i, *pairs[i % len(pairs)]) for i in range(min(requests + 3, len(pairs)))]
    results.append(timed("tracking lookup API", calls))
    results.append(timed("statistics page /thong-ke/", [get(public, "/thong-ke/") for _ in range(requests + 3)]))
    for row in results:
        emit(json.dumps(row, ensure_ascii=False))


def main(argv):
    if not argv:
        raise SystemExit(__doc__)
    command, args = argv[0], argv[1:]
    if command == "payload":
        cmd_payload(args[0])
    elif command == "counts":
        cmd_counts()
    elif command == "duplicates":
        cmd_duplicates()
    elif command == "samples":
        cmd_samples(args[0], int(args[1]))
    elif command == "timing":
        requests = int(args[args.index("--requests") + 1]) if "--requests" in args else 50
        cmd_timing(*args[:4], requests)
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
