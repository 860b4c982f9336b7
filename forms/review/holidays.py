"""Vietnamese public holidays 2025–2027: weekdays off and swapped working Saturdays.

Labour Code 2019 art. 112 (the holidays) and art. 111(3) (a holiday on a weekend day gives
the next working day off), and the yearly decisions of the Ministry of Home Affairs / the
Prime Minister for the public sector. Checked in November 2026:

* 2025: all dates as decided (Tết 27–31/1; 2/5 off for Saturday 26/4; 1–2/9).
* 2026: 1/1 with 2/1 off for Saturday 10/1 (Government, 25/12/2025); Tết 16–20/2 (Bộ Nội vụ,
  9 days 14–22/2/2026); Giỗ Tổ 10/3 âm lịch is Sunday 26/4, so Monday 27/4 off (art. 111(3)).
* 2027: Giỗ Tổ is Friday 16/4 (10/3 âm lịch); 1/5 is a Saturday, so Monday 3/5 off (art. 111(3)).

Entries still marked [U] are planned, not yet decided: the day next to 2/9 in 2026 and 2027
and the Tết Đinh Mùi 2027 days (mùng 1 is Saturday 6/2/2027). Staff correct them in the admin
(Settings → Lịch nghỉ lễ) once the year's decision is published. Loaded by migration 0002 and
again by the demo seed (transactional tests empty the tables); review 0005 removed the [U]
marks of the dates confirmed since.
"""

from datetime import date

OFF = False
SWAP = True

HOLIDAYS = [
    # 2025
    (date(2025, 1, 1), "Tết Dương lịch", OFF),
    *[(date(2025, 1, day), "Tết Nguyên đán Ất Tỵ", OFF) for day in (27, 28, 29, 30, 31)],
    (date(2025, 4, 7), "Giỗ Tổ Hùng Vương (10/3 âm lịch)", OFF),
    (date(2025, 4, 30), "Ngày Giải phóng miền Nam, thống nhất đất nước", OFF),
    (date(2025, 5, 1), "Ngày Quốc tế Lao động", OFF),
    (date(2025, 5, 2), "Nghỉ hoán đổi (làm bù thứ Bảy 26/4/2025)", OFF),
    (date(2025, 4, 26), "Làm bù cho ngày nghỉ 2/5/2025", SWAP),
    (date(2025, 9, 1), "Quốc khánh (ngày nghỉ liền kề)", OFF),
    (date(2025, 9, 2), "Quốc khánh", OFF),
    # 2026
    (date(2026, 1, 1), "Tết Dương lịch", OFF),
    (date(2026, 1, 2), "Nghỉ hoán đổi Tết Dương lịch (làm bù thứ Bảy 10/1/2026)", OFF),
    (date(2026, 1, 10), "Làm bù cho ngày nghỉ 2/1/2026", SWAP),
    *[(date(2026, 2, day), "Tết Nguyên đán Bính Ngọ", OFF) for day in (16, 17, 18, 19, 20)],
    (date(2026, 4, 27), "Nghỉ bù Giỗ Tổ Hùng Vương (10/3 âm lịch là Chủ nhật 26/4)", OFF),
    (date(2026, 4, 30), "Ngày Giải phóng miền Nam, thống nhất đất nước", OFF),
    (date(2026, 5, 1), "Ngày Quốc tế Lao động", OFF),
    (date(2026, 9, 1), "Quốc khánh (ngày nghỉ liền kề) [U]", OFF),
    (date(2026, 9, 2), "Quốc khánh", OFF),
    # 2027
    (date(2027, 1, 1), "Tết Dương lịch", OFF),
    *[(date(2027, 2, day), "Tết Nguyên đán Đinh Mùi [U]", OFF) for day in (4, 5, 8, 9, 10)],
    (date(2027, 4, 16), "Giỗ Tổ Hùng Vương (10/3 âm lịch)", OFF),
    (date(2027, 4, 30), "Ngày Giải phóng miền Nam, thống nhất đất nước", OFF),
    (date(2027, 5, 3), "Nghỉ bù Ngày Quốc tế Lao động (1/5 là thứ Bảy)", OFF),
    (date(2027, 9, 2), "Quốc khánh", OFF),
    (date(2027, 9, 3), "Quốc khánh (ngày nghỉ liền kề) [U]", OFF),
]


def ensure_holidays():
    """Create the rows that are missing (existing rows, possibly corrected by staff, are kept)."""
    from .models import Holiday

    existing = set(Holiday.objects.filter(date__in=[day for day, _n, _s in HOLIDAYS]).values_list("date", flat=True))
    Holiday.objects.bulk_create(
        Holiday(date=day, name=name, is_working_day_swap=swap) for day, name, swap in HOLIDAYS if day not in existing
    )
    return len(HOLIDAYS) - len(existing)
