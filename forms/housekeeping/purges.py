"""Scheduled clean-up of short-lived records that would otherwise grow without end.

Each purge is one function ``purge_…(*, dry_run=False, now=None) -> PurgeResult`` with the
number of rows it removed (or would remove). What exists, and what needs no purge:

* **One-time form tokens and drafts** live in the Django session (``forms.steps.Draft``: the
  answers, the submit token). Expired sessions stay in ``django_session`` until someone
  deletes them, with the draft's personal answers inside: ``purge_expired_sessions``.
  Draft uploads on disk have their own daily schedule (``forms.tasks.delete_abandoned_drafts``).
* **Idempotency keys** are ``Dossier.idempotency_key`` (``html:<submit token>`` from the
  citizen's journey, ``api:<form>:<Idempotency-Key>`` from the API). After
  ``PORTAL_IDEMPOTENCY_KEY_MAX_AGE`` seconds (default: the longer of the session age and 7
  days) a repeat is no longer recognised and the key is cleared: ``purge_idempotency_keys``.
  Keys of other origins (``demo:`` from the demo seed) are never touched.
* **Signed links** (``forms.review.citizen.signed_token``) are stateless TimestampSigner
  tokens with a maximum age: no row exists, nothing to purge.
* **Rate-limit counters** (``forms.ratelimit``, ``forms.review.views_tracking``) are cache
  keys created with the window as timeout: the cache expires them; no database row exists.
* **django-q2 task results**: successes are capped by ``Q_CLUSTER["save_limit"]`` (250 by
  default), failures are kept without limit: ``purge_old_task_results`` deletes failures
  older than ``PORTAL_FAILED_TASK_MAX_AGE_DAYS`` (30), and successes of the same age only when
  ``save_limit`` is 0 (unlimited).
"""

from dataclasses import dataclass
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.utils import timezone

DEFAULT_FAILED_TASK_MAX_AGE_DAYS = 30
MIN_IDEMPOTENCY_KEY_MAX_AGE = 7 * 24 * 60 * 60
# Prefixes of the keys forms.views (html:) and forms.api (api:) write; nothing else is purged.
PURGED_IDEMPOTENCY_PREFIXES = ("html:", "api:")


@dataclass(frozen=True)
class PurgeResult:
    """What one purge did: ``count`` rows removed (or, in a dry run, that would be)."""

    name: str
    count: int
    dry_run: bool

    def as_dict(self):
        return {"name": self.name, "count": self.count, "dry_run": self.dry_run}


def idempotency_key_max_age():
    default = max(settings.SESSION_COOKIE_AGE, MIN_IDEMPOTENCY_KEY_MAX_AGE)
    return getattr(settings, "PORTAL_IDEMPOTENCY_KEY_MAX_AGE", default)


def purge_expired_sessions(*, dry_run=False, now=None):
    """Delete expired sessions (with the drafts and one-time submit tokens they hold)."""
    now = now or timezone.now()
    engine = import_module(settings.SESSION_ENGINE)
    if settings.SESSION_ENGINE in ("django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db"):
        from django.contrib.sessions.models import Session

        expired = Session.objects.filter(expire_date__lt=now)
        count = expired.count() if dry_run else expired.delete()[0]
        return PurgeResult("expired_sessions", count, dry_run)
    # Cache and cookie sessions expire by themselves; a file backend clears its own files.
    if not dry_run:
        engine.SessionStore.clear_expired()
    return PurgeResult("expired_sessions", 0, dry_run)


def purge_idempotency_keys(*, dry_run=False, now=None):
    """Clear the idempotency keys of dossiers submitted longer ago than the key lives."""
    from django.db.models import Q

    from forms.models import Dossier

    cutoff = (now or timezone.now()) - timedelta(seconds=idempotency_key_max_age())
    origin = Q()
    for prefix in PURGED_IDEMPOTENCY_PREFIXES:
        origin |= Q(idempotency_key__startswith=prefix)
    expired = Dossier.objects.filter(origin, submitted_at__lt=cutoff)
    count = expired.count() if dry_run else expired.update(idempotency_key=None)
    return PurgeResult("idempotency_keys", count, dry_run)


def purge_old_task_results(*, dry_run=False, now=None):
    """Delete django-q2 failures older than the limit (successes too when they are not capped)."""
    from django_q.conf import Conf
    from django_q.models import Task

    days = getattr(settings, "PORTAL_FAILED_TASK_MAX_AGE_DAYS", DEFAULT_FAILED_TASK_MAX_AGE_DAYS)
    cutoff = (now or timezone.now()) - timedelta(days=days)
    old = Task.objects.filter(stopped__lt=cutoff)
    if Conf.SAVE_LIMIT != 0:  # successes are capped by django-q2 itself
        old = old.filter(success=False)
    count = old.count() if dry_run else old.delete()[0]
    return PurgeResult("task_results", count, dry_run)


PURGES = (purge_expired_sessions, purge_idempotency_keys, purge_old_task_results)


def run_purges(*, dry_run=False, now=None):
    """Run every purge in order; ``[PurgeResult]``."""
    now = now or timezone.now()
    return [purge(dry_run=dry_run, now=now) for purge in PURGES]
