"""django-q2 functions named by the nightly Schedules (migration 0002). They return small summaries."""

import logging

logger = logging.getLogger("portal.housekeeping")


def run_housekeeping(dry_run=False):
    """Purge expired sessions, idempotency keys and old task results; ``{name: count}``."""
    from .purges import run_purges

    results = run_purges(dry_run=dry_run)
    summary = {result.name: result.count for result in results}
    logger.info("housekeeping%s: %s", " (dry run)" if dry_run else "", summary)
    return summary


def run_retention(dry_run=False):
    """Erase the personal data of dossiers past their retention period; ``{dossiers, files, run}``."""
    from .retention import apply_retention

    report = apply_retention(dry_run=dry_run)
    return {"dossiers": report.dossiers, "files": report.files, "run": report.run_id}
