"""Holidays 2025–2027: drop the [U] mark from the names of the dates confirmed since 0002
(forms.review.holidays). Only rows still carrying a seeded [U] name change; dates and rows
that staff edited otherwise are left alone. Nothing to undo: the reverse keeps the names."""

from django.db import migrations

from forms.review.holidays import HOLIDAYS


def confirm_names(apps, schema_editor):
    Holiday = apps.get_model("review", "Holiday")
    for day, name, swap in HOLIDAYS:
        if "[U]" not in name:
            Holiday.objects.filter(date=day, is_working_day_swap=swap, name__contains="[U]").update(name=name)


class Migration(migrations.Migration):
    dependencies = [("review", "0004_dossier_state_on_dossier")]

    operations = [migrations.RunPython(confirm_names, migrations.RunPython.noop)]
