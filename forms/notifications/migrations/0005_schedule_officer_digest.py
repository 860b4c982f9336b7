"""Schedule the officers' daily digest (tasks.send_officer_digests) at 07:00 local time.

Idempotent (update_or_create by name) and reversible (the schedule is removed).
"""

from datetime import datetime, time, timedelta

from django.db import migrations
from django.utils import timezone

SCHEDULE_NAME = "Tổng hợp hồ sơ đến hạn cho cán bộ"
AT = time(7, 0)


def _next_morning():
    now = timezone.localtime()
    moment = timezone.make_aware(datetime.combine(now.date(), AT))
    return moment if moment > now else moment + timedelta(days=1)


def create_schedule(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.update_or_create(
        name=SCHEDULE_NAME,
        defaults={
            "func": "forms.notifications.tasks.send_officer_digests",
            "schedule_type": "D",
            "repeats": -1,
            "next_run": _next_morning(),
        },
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=SCHEDULE_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0004_default_templates_more_events"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
