"""Schedule tasks.requeue_stalled every 5 minutes: messages whose task was lost are queued again.

Idempotent (update_or_create by name) and reversible (the schedule is removed).
"""

from django.db import migrations

SCHEDULE_NAME = "Xếp lại thông báo bị kẹt"


def create_schedule(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.update_or_create(
        name=SCHEDULE_NAME,
        defaults={
            "func": "forms.notifications.tasks.requeue_stalled",
            "schedule_type": "I",  # Schedule.MINUTES
            "minutes": 5,
            "repeats": -1,
        },
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=SCHEDULE_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("notifications", "0005_schedule_officer_digest")]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
