"""``manage.py housekeeping [--dry-run]``: the nightly purge of expired short-lived records, by hand."""

from django.core.management.base import BaseCommand

from forms.housekeeping.purges import run_purges


class Command(BaseCommand):
    help = "Purge expired sessions (drafts, one-time tokens), idempotency keys and old django-q2 task results."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what would be purged; change nothing.")

    def handle(self, *args, dry_run=False, **options):
        for result in run_purges(dry_run=dry_run):
            verb = "would purge" if dry_run else "purged"
            self.stdout.write(f"{result.name}: {verb} {result.count}")
        self.stdout.write(
            "signed links and rate-limit counters keep no database rows (stateless tokens, cache keys with a timeout)."
        )
