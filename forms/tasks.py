"""Background work of the forms app (django-q2). Tasks receive ids, never model instances.

Messages about dossiers are sent by ``forms.notifications.tasks``.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

logger = logging.getLogger("portal.forms")


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
