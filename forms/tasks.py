"""Background work of the forms app (django-q2). Tasks receive ids, never model instances."""

import logging

from django_q.tasks import async_task

logger = logging.getLogger("portal.forms")


def dossier_submitted(dossier_id):
    """A dossier was submitted and committed: notify the citizen and the agency.

    For now it only logs (by code, never personal data); the notifications issue fills it
    in. It must stay idempotent: it may run twice for the same dossier.
    """
    from .models import Dossier

    dossier = Dossier.objects.filter(pk=dossier_id).only("code").first()
    if dossier is None:
        logger.warning("dossier_submitted: dossier %s no longer exists", dossier_id)
        return None
    logger.info("dossier %s submitted: notifications not implemented yet", dossier.code)
    return dossier.code


def enqueue_dossier_submitted(dossier_id):
    """Queue ``dossier_submitted``; called from ``transaction.on_commit`` in forms.services."""
    return async_task("forms.tasks.dossier_submitted", dossier_id, task_name=f"dossier-submitted-{dossier_id}")
