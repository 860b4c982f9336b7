"""Accent-insensitive search of the officers' inbox by code, applicant name or phone.

``Dossier.search_text`` holds the code, the applicant's name and the phone's digits folded
the way citizens and officers type (``cms.text.fold_vietnamese``: no diacritics, đ → d,
lower case), so "nguyen van an" finds "Nguyễn Văn An" on PostgreSQL and SQLite alike with
one ``LIKE '%…%'``. On PostgreSQL a pg_trgm GIN index (portal_forms 0005) keeps that fast
at a million dossiers. The column is filled here on every save (a ``pre_save`` receiver,
connected in ``apps.py``) and by ``generate_dossiers``, which writes rows without saving
models and calls ``search_text`` itself.
"""

import re
from functools import lru_cache

from django.db.models import Q

from cms.text import fold_vietnamese

SOURCE_FIELDS = frozenset({"code", "applicant_name", "applicant_phone"})
_SPACES = re.compile(r"\s+")
_NON_DIGITS = re.compile(r"\D")
# Fewer characters than this match too much to be worth a search (and pg_trgm needs 3).
MIN_QUERY_LENGTH = 2


@lru_cache(maxsize=4096)
def _fold(text):
    return _SPACES.sub(" ", fold_vietnamese(text)).strip()


def search_text(code, name, phone):
    """The folded text searched by the inbox: ``"000.20.79.h29-260315-0042 nguyen van an 0912345678"``."""
    digits = _NON_DIGITS.sub("", phone or "")
    return " ".join(part for part in (_fold(code or ""), _fold(name or ""), digits) if part)


def search_q(query):
    """A Q matching dossiers whose code or name contains the folded query, or whose phone
    contains its digits (``0912 345 678``, four digits at least); None when the query is too short."""
    folded = _fold(query or "")
    if len(folded) < MIN_QUERY_LENGTH:
        return None
    condition = Q(search_text__contains=folded)
    digits = _NON_DIGITS.sub("", folded)
    if len(digits) >= 4 and digits != folded:
        condition |= Q(search_text__contains=digits)
    return condition


def fill_search_text(sender, instance, update_fields=None, **kwargs):
    """``pre_save``: recompute the column when a source field is written (always on create)."""
    if update_fields is not None and not (SOURCE_FIELDS & set(update_fields)):
        return
    instance.search_text = search_text(instance.code, instance.applicant_name, instance.applicant_phone)


def save_search_text(sender, instance, created=False, update_fields=None, **kwargs):
    """``post_save``: a save limited to source fields without ``search_text`` still updates it."""
    if update_fields is None or "search_text" in update_fields or not (SOURCE_FIELDS & set(update_fields)):
        return
    type(instance)._default_manager.filter(pk=instance.pk).update(search_text=instance.search_text)
