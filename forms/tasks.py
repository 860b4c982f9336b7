"""Background work of the forms app (django-q2). Tasks receive ids, never model instances."""

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
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
    """Queue ``dossier_submitted``; called from ``transaction.on_commit`` in forms.services.

    The dossier is already committed: a broker failure is logged, never shown to the citizen.
    """
    try:
        return async_task("forms.tasks.dossier_submitted", dossier_id, task_name=f"dossier-submitted-{dossier_id}")
    except Exception:
        logger.exception("could not queue dossier_submitted for dossier %s", dossier_id)
        return None


def delete_abandoned_drafts(max_age_seconds=None):
    """Delete draft uploads older than a session can live: their draft can never be submitted.

    Submitted dossiers hold copies under ``dossiers/``, so nothing under ``drafts/`` is
    referenced once a draft is older than SESSION_COOKIE_AGE. Schedule it daily
    (django-q2 ``Schedule``, ``func="forms.tasks.delete_abandoned_drafts"``).
    """
    from .storage import private_storage

    cutoff = timezone.now() - timedelta(seconds=max_age_seconds or settings.SESSION_COOKIE_AGE)
    if not private_storage.exists("drafts"):
        return 0
    deleted = 0
    folders, _files = private_storage.listdir("drafts")
    for folder in folders:
        _subfolders, files = private_storage.listdir(f"drafts/{folder}")
        for name in files:
            path = f"drafts/{folder}/{name}"
            if private_storage.get_modified_time(path) < cutoff:
                private_storage.delete(path)
                deleted += 1
    logger.info("deleted %d abandoned draft uploads", deleted)
    return deleted
