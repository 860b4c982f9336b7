"""Per-worker copies of what every submission's messages are made from: the message templates
and each agency's officers.

Reading them cost a query per event and a join over users, groups and memberships per
submission, for data that changes a few times a month. Each worker keeps what it read, stamped
with a generation shared by all processes through Django's default cache (Redis in
production). Saving or deleting a ``NotificationTemplate``, a user, a user's Wagtail profile,
an ``AgencyMembership`` or a group, changing a user's groups or an agency's members, the user
listing's bulk actions (Wagtail marks users inactive with ``QuerySet.update``, which sends no
signal) and ``migrate`` (or ``flush``) give the generation a new value: at once, and again when
the transaction commits, so a copy read by another worker before the commit cannot outlive it.

Delays, chosen so that staff never notice them:

* Another worker sees a change within ``CHECK_SECONDS`` (1 s) of its commit: it trusts its copy
  of the generation that long before asking the shared cache again. With the in-process memory
  cache (tests, the embedded run) there is nothing to save: it asks on every use, and a cleared
  cache (between tests) is a new generation.
* The worker that makes a change reads the database directly, without storing what it reads,
  until its transaction ends: its own uncommitted change is seen at once, and a change that is
  rolled back is never kept.
* Writes that send no model signal (``QuerySet.update`` elsewhere, SQL), and, without Redis,
  changes made by another process (a management command beside the embedded run's single web
  process), are seen within ``MAX_AGE`` (60 s): no copy is older.

The generation and the copies are a ``cms.caching.SharedGeneration`` (the page cache's building
block); what is particular to these copies (the trust window, ``MAX_AGE``, the bypass inside a
changing transaction) is set up here.
"""

import threading
import time

from django.db import transaction

from cms.caching import SharedGeneration, default_cache_is

GENERATION_KEY = "notifications:generation"
CHECK_SECONDS = 1.0
MAX_AGE = 60.0
MAX_ENTRIES = 1000  # the templates plus the officers of every agency a worker has seen


def _trusted_for():
    """Seconds a worker trusts its copy of the generation: none in front of a process-local cache."""
    return 0.0 if default_cache_is("locmem") else CHECK_SECONDS


# (kind, key) -> value, for the current generation and at most MAX_AGE.
_local = SharedGeneration(GENERATION_KEY, trusted_for=_trusted_for, max_entries=MAX_ENTRIES, max_age=MAX_AGE)
# The outermost transaction of this thread in which it changed what is cached, until it ends.
_writes = threading.local()
_MISSING = object()


def current_generation():
    """The shared generation, or None when the cache keeps nothing (the browser tests' server):
    nothing is kept here either."""
    return _local.current()


def _in_changed_transaction():
    block = getattr(_writes, "block", None)
    if block is None:
        return False
    blocks = transaction.get_connection().atomic_blocks
    if blocks and blocks[0] is block:
        return True
    _writes.block = None  # that transaction ended without committing (a commit clears it)
    return False


def cached(kind, key, load):
    """``load()``, kept in this worker for the current generation and at most ``MAX_AGE``.

    What ``load`` returns is shared by the worker's threads: it must not be changed.
    """
    if _in_changed_transaction():
        return load()
    generation = current_generation()  # read first: what is loaded after it is at least as new
    if generation is None:
        return load()
    found = _local.get((kind, key), _MISSING)
    if found is not _MISSING:
        return found
    read_at = time.monotonic()
    value = load()
    _local.remember((kind, key), value, generation=generation, read_at=read_at)
    return value


def _committed():
    _writes.block = None  # the bump's own second step runs next (SharedGeneration.bump)


def bump_generation():
    """Make every worker read templates and officers again (see the module docstring)."""
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        _writes.block = connection.atomic_blocks[0]
        transaction.on_commit(_committed)
    _local.bump()


def _changed(sender, **kwargs):
    if kwargs.get("raw"):
        return  # fixtures being loaded: nothing was read from them yet
    update_fields = kwargs.get("update_fields")
    if update_fields and set(update_fields) <= {"last_login"}:
        return  # every sign-in saves the user; nothing a message depends on
    action = kwargs.get("action")  # m2m_changed only
    if action is not None and action.startswith("pre_"):
        return  # the change is made (and announced again) just after
    bump_generation()


def _bulk_action_done(request, action_type, objects, action):
    from django.contrib.auth import get_user_model

    if get_user_model() in getattr(action, "models", ()):
        bump_generation()


def connect():
    """Wire the invalidation (called by the app's ``ready``)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
    from wagtail import hooks
    from wagtail.users.models import UserProfile

    from cms.models import AgencyMembership

    from .models import NotificationTemplate

    user_model = get_user_model()
    for model in (NotificationTemplate, user_model, UserProfile, AgencyMembership, Group):
        for name, signal in (("save", post_save), ("delete", post_delete)):
            signal.connect(_changed, sender=model, dispatch_uid=f"notifications_cache_{name}_{model.__name__}")
    for through in (user_model.groups.through, AgencyMembership):
        m2m_changed.connect(_changed, sender=through, dispatch_uid=f"notifications_cache_m2m_{through.__name__}")
    # Migrations write with historical models (no signal for our receivers); flush too.
    post_migrate.connect(_changed, dispatch_uid="notifications_cache_migrate")
    # A hook, not a signal: Wagtail's "mark as inactive" for several users is a QuerySet.update.
    hooks.register("after_bulk_action", _bulk_action_done)
