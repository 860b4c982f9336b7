"""State changes and queries of the guides app: QR scans and their statistics, the
code printed on a guide's leaflet.

Scan counting stores one row per code per day and nothing about the visitor.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F, IntegerField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from wagtail.models import Page

from .models import QRCode, QRScanDaily

STATS_DAYS = 30


def find_active_qr_code(code):
    """The active code for a /q/ URL, or None. Lookup is case-insensitive: codes are upper case."""
    if not code:
        return None
    return QRCode.objects.select_related("page__locale").filter(code=code.upper(), is_active=True).first()


def record_scan(qr_code_id, *, day=None):
    """Add one scan to today's counter of the code, race-safely.

    The common case is one UPDATE … SET count = count + 1. The first scan of a day
    inserts the row; if a concurrent request inserted it first, the unique constraint
    fails inside a savepoint and the increment is retried as an UPDATE.
    """
    day = day or timezone.localdate()
    rows = QRScanDaily.objects.filter(qr_code_id=qr_code_id, day=day)
    if rows.update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            QRScanDaily.objects.create(qr_code_id=qr_code_id, day=day, count=1)
    except IntegrityError:
        rows.update(count=F("count") + 1)


def with_scan_totals(queryset, *, today=None, days=STATS_DAYS):
    """Annotate `total_scans` and `recent_scans` (the last `days` days, today included)."""
    since = (today or timezone.localdate()) - datetime.timedelta(days=days - 1)
    zero = Value(0, output_field=IntegerField())
    return queryset.annotate(
        total_scans=Coalesce(Sum("scans__count"), zero),
        recent_scans=Coalesce(Sum("scans__count", filter=Q(scans__day__gte=since)), zero),
    )


def daily_scans(qr_code, *, today=None, days=STATS_DAYS):
    """``[(date, count), …]`` for the last `days` days, oldest first, zero-filled."""
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=days - 1)
    counts = dict(
        QRScanDaily.objects.filter(qr_code=qr_code, day__gte=since, day__lte=today).values_list("day", "count")
    )
    return [(day, counts.get(day, 0)) for day in (since + datetime.timedelta(days=n) for n in range(days))]


def find_page_qr_code(page):
    """The code printed on a page's leaflet: its first active code pointing at the page
    itself (no step anchor), or None. Reads only: public requests never write."""
    return _whole_page_codes(page).first()


def ensure_page_qr_code(page):
    """The page's leaflet code, made when it has none (on publishing a guide, or when an
    editor opens its leaflet)."""
    existing = find_page_qr_code(page)
    if existing:
        return existing
    with transaction.atomic():
        # Lock the page row so two first prints of a leaflet do not make two codes.
        Page.objects.select_for_update().filter(pk=page.pk).first()
        return _whole_page_codes(page).first() or QRCode.objects.create(page_id=page.pk, label=page.title)


def _whole_page_codes(page):
    return QRCode.objects.filter(page_id=page.pk, anchor="", url="", is_active=True).order_by("created_at", "pk")
