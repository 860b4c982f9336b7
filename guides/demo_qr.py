"""Demo QR codes: one per guide that has none, a code for the national portal, and
the passport QR set for the office's posters. Idempotent: a second run creates nothing.

Called at the end of ``guides.demo.seed`` (the guides must exist first).
"""

from django.db import transaction

from .models import GuidePage, QRCode, QRSet, QRSetItem

PASSPORT_SET_TITLE = "Bộ mã QR – hộ chiếu"
PASSPORT_TITLE_WORDS = "hộ chiếu"
NATIONAL_PORTAL = {"url": "https://dichvucong.gov.vn", "label": "Cổng Dịch vụ công quốc gia"}


@transaction.atomic
def seed_qr(report, context):
    guides = list(GuidePage.objects.select_related("locale").order_by("path"))
    codes_by_page = {}
    for qr_code in QRCode.objects.filter(page__in=guides, anchor="").order_by("created_at", "pk"):
        codes_by_page.setdefault(qr_code.page_id, qr_code)
    for guide in guides:
        if guide.pk not in codes_by_page and not QRCode.objects.filter(page=guide).exists():
            codes_by_page[guide.pk] = QRCode.objects.create(page=guide, label=guide.title)
            report.made(f"mã QR {codes_by_page[guide.pk].code} – {guide.title}")

    if not QRCode.objects.filter(url=NATIONAL_PORTAL["url"]).exists():
        qr_code = QRCode.objects.create(**NATIONAL_PORTAL)
        report.made(f"mã QR {qr_code.code} – {qr_code.label}")

    if not QRSet.objects.filter(title=PASSPORT_SET_TITLE).exists():
        passport_guides = [
            guide
            for guide in guides
            if guide.locale.language_code == "vi" and PASSPORT_TITLE_WORDS in guide.title.lower()
        ]
        qr_set = QRSet.objects.create(title=PASSPORT_SET_TITLE)
        for position, guide in enumerate(passport_guides):
            qr_code = codes_by_page.get(guide.pk) or QRCode.objects.filter(page=guide).order_by("pk").first()
            if qr_code is not None:
                QRSetItem.objects.create(qr_set=qr_set, qr_code=qr_code, sort_order=position)
        report.made(f"bộ mã QR “{PASSPORT_SET_TITLE}” ({len(passport_guides)} mã)")
