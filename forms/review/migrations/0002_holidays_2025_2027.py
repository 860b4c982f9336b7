"""Vietnamese public holidays 2025–2027 (forms.review.holidays). Reversible: removes only those dates."""

from django.db import migrations

from forms.review.holidays import HOLIDAYS


def add_holidays(apps, schema_editor):
    Holiday = apps.get_model("review", "Holiday")
    for day, name, swap in HOLIDAYS:
        Holiday.objects.get_or_create(date=day, defaults={"name": name, "is_working_day_swap": swap})


def remove_holidays(apps, schema_editor):
    Holiday = apps.get_model("review", "Holiday")
    Holiday.objects.filter(date__in=[day for day, _name, _swap in HOLIDAYS]).delete()


class Migration(migrations.Migration):
    dependencies = [("review", "0001_initial")]

    operations = [migrations.RunPython(add_holidays, remove_holidays)]
