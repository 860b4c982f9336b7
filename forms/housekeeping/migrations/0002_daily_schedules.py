"""Schedule the nightly housekeeping and retention runs on the django-q2 worker.

Idempotent (update_or_create by name) and reversible (the schedules are removed). The first
run is the next night (02:00 and 02:30, Asia/Ho_Chi_Minh), not the moment of the migration,
so a deployment or a test worker does not erase anything at once.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import migrations

SCHEDULES = {
    "Dọn dẹp dữ liệu tạm hết hạn": ("forms.housekeeping.tasks.run_housekeeping", time(2, 0)),
    "Xóa dữ liệu cá nhân hết thời hạn lưu trữ": ("forms.housekeeping.tasks.run_retention", time(2, 30)),
}


def next_night(at):
    zone = ZoneInfo("Asia/Ho_Chi_Minh")
    now = datetime.now(zone)
    moment = datetime.combine(now.date(), at, tzinfo=zone)
    return moment if moment > now else moment + timedelta(days=1)


def create_schedules(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    for name, (func, at) in SCHEDULES.items():
        Schedule.objects.update_or_create(
            name=name,
            defaults={"func": func, "schedule_type": "D", "repeats": -1, "next_run": next_night(at)},
        )


def remove_schedules(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name__in=SCHEDULES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("housekeeping", "0001_initial"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(create_schedules, remove_schedules)]
