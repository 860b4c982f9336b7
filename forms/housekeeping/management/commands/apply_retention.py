"""``manage.py apply_retention [--dry-run]``: erase personal data past its retention period.

Prints counts per procedure (title, months kept, dossiers, files), never personal data.
"""

from django.core.management.base import BaseCommand

from forms.housekeeping.retention import apply_retention


class Command(BaseCommand):
    help = "Erase the personal data and files of finished dossiers older than their procedure's retention period."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Say what would be erased; change nothing.")

    def handle(self, *args, dry_run=False, **options):
        report = apply_retention(dry_run=dry_run)
        verb = "would erase" if dry_run else "erased"
        for entry in sorted(report.per_procedure.values(), key=lambda item: str(item["title"])):
            months = "never" if entry["months"] is None else f"{entry['months']} months"
            self.stdout.write(
                f"{entry['title']} (id {entry['procedure_id'] or '-'}, {months}): "
                f"{verb} {entry['dossiers']} dossiers, {entry['files']} files"
            )
        self.stdout.write(f"total: {verb} {report.dossiers} dossiers, {report.files} files (run {report.run_id})")
