"""Schedule the daily aggregation of yesterday's statistics on the django-q2 worker.

Idempotent (update_or_create by name) and reversible (the schedule is removed).
"""

from django.db import migrations

SCHEDULE_NAME = "Tổng hợp số liệu thống kê ngày hôm qua"


def create_schedule(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.update_or_create(
        name=SCHEDULE_NAME,
        defaults={"func": "forms.stats.tasks.aggregate_yesterday", "schedule_type": "D", "repeats": -1},
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=SCHEDULE_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0001_initial"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
