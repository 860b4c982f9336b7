"""The workflow state moves from review.DossierProcessing onto forms.Dossier (portal_forms 0004).

Copies every DossierProcessing row onto its dossier, then drops the table. Reversible: the
table is recreated and filled back from the dossiers' columns.
"""

from django.db import migrations

FIELDS = (
    "assignee_id",
    "processing_days",
    "clock_paused_at",
    "paused_working_days",
    "finished_at",
    "timeliness",
    "returned_at",
    "return_method",
    "tracking_number",
    "result_file_id",
)


def copy_to_dossier(apps, schema_editor):
    Dossier = apps.get_model("portal_forms", "Dossier")
    DossierProcessing = apps.get_model("review", "DossierProcessing")
    for row in DossierProcessing.objects.values("dossier_id", *FIELDS).iterator(chunk_size=2000):
        dossier_id = row.pop("dossier_id")
        Dossier.objects.filter(pk=dossier_id).update(**row)


def copy_back(apps, schema_editor):
    Dossier = apps.get_model("portal_forms", "Dossier")
    DossierProcessing = apps.get_model("review", "DossierProcessing")
    rows = Dossier.objects.exclude(received_at__isnull=True, assignee__isnull=True).values("pk", *FIELDS)
    DossierProcessing.objects.bulk_create(
        (DossierProcessing(dossier_id=row.pop("pk"), **row) for row in rows.iterator(chunk_size=2000)),
        batch_size=2000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0003_dossier_rating"),
        ("portal_forms", "0004_dossier_review_state"),
    ]

    operations = [
        migrations.RunPython(copy_to_dossier, copy_back),
        migrations.DeleteModel(name="DossierProcessing"),
    ]
