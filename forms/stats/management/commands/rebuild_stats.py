"""Rebuild the daily statistics of a range of past days (after a bug fix or a data import)."""

from datetime import datetime, timedelta

from django.core.management.base import BaseCommand, CommandError

from forms.review.calendar import local_day
from forms.stats.aggregates import rebuild_day


def _day(text):
    try:
        return datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError as exc:
        raise CommandError(f"Ngày không đúng định dạng dd/mm/yyyy: {text}") from exc


class Command(BaseCommand):
    help = "Tổng hợp lại số liệu thống kê theo ngày, từ ngày đến ngày (dd/mm/yyyy); mặc định hôm qua."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", help="Từ ngày (dd/mm/yyyy).")
        parser.add_argument("--to", dest="end", help="Đến ngày (dd/mm/yyyy), không quá hôm qua.")

    def handle(self, *args, start=None, end=None, **options):
        yesterday = local_day() - timedelta(days=1)
        end = _day(end) if end else yesterday
        start = _day(start) if start else end
        if start > end or end > yesterday:
            raise CommandError("Cần từ ngày ≤ đến ngày ≤ hôm qua (hôm nay luôn được tính trực tiếp).")
        day = start
        while day <= end:
            rebuild_day(day)
            day += timedelta(days=1)
        self.stdout.write(f"Đã tổng hợp {(end - start).days + 1} ngày.")
