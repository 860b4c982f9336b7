"""Background work of the review workflow (django-q2). Tasks receive ids, never instances."""

import logging

from django_q.tasks import async_task

logger = logging.getLogger("portal.forms.review")


def status_changed(change_id):
    """A transition was committed: the notifications issue sends the SMS/email from here.

    For now it records the request in the log (dossier code and statuses, never personal
    data). Idempotent: running it twice logs twice and changes nothing.
    """
    from forms.models import StatusChange

    change = StatusChange.objects.filter(pk=change_id).select_related("dossier").first()
    if change is None:
        logger.warning("status_changed: status change %s no longer exists", change_id)
        return None
    logger.info(
        "dossier %s: %s → %s, notification requested (not sent yet)",
        change.dossier.code,
        change.from_status or "–",
        change.to_status,
    )
    return change.dossier.code


def enqueue_status_changed(change_id):
    """Queue ``status_changed``; called by ``transaction.on_commit`` in forms.review.services.

    The transition is committed already: a broker failure is logged and never undoes it.
    """
    try:
        return async_task(
            "forms.review.tasks.status_changed", change_id, task_name=f"dossier-status-changed-{change_id}"
        )
    except Exception:
        logger.exception("could not queue status_changed for status change %s", change_id)
        return None
