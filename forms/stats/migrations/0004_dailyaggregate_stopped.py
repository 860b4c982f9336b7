"""Stopped dossiers (status 8) per day; days built before this column existed are forgotten.

Their rows say 0 stopped, which may be wrong, so their AggregatedDay marks are removed: the
figures of those days are computed live until ``rebuild_stats`` (or the daily task's catch-up)
builds them again. Reversing keeps the column's removal only (nothing to restore).
"""

from django.db import migrations, models


def forget_built_days(apps, schema_editor):
    apps.get_model("stats", "AggregatedDay").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0003_statisticspage"),
    ]

    operations = [
        migrations.AddField(
            model_name="dailyaggregate",
            name="stopped",
            field=models.PositiveIntegerField(default=0, verbose_name="dừng xử lý"),
        ),
        migrations.RunPython(forget_built_days, migrations.RunPython.noop),
    ]
