"""Readable ASCII keys for form fields, made from their Vietnamese labels.

An editor writes the label "Số điện thoại"; submissions, exports and the API store the
answer under ``so_dien_thoai``. Keys must be stable across spelling variants of the same
label (composed or decomposed Unicode, "Hoà" or "Hòa"), so they are made from the folded
label: no diacritics, đ → d, lower case.
"""

import re
from collections.abc import Collection

# One folding rule for the whole site: the same one search uses (no marks, đ → d, both
# tone placements alike, composed or decomposed input, case-folded).
from cms.text import fold_vietnamese as fold

MAX_KEY_LENGTH = 60
FALLBACK_KEY = "truong"  # "field": used when a label has no letter or digit at all

_NOT_KEY_CHARACTERS = re.compile(r"[^a-z0-9]+")

__all__ = ["FALLBACK_KEY", "MAX_KEY_LENGTH", "field_key", "fold", "unique_key"]


def field_key(label: str, *, max_length: int = MAX_KEY_LENGTH) -> str:
    """``"Số điện thoại"`` → ``"so_dien_thoai"``.

    ASCII snake case, at most ``max_length`` characters (cut at a word boundary where
    possible), never empty (``"truong"``), and never starting with a digit (``"1. Họ"`` →
    ``"truong_1_ho"``) so that the key is also a valid identifier.
    """
    key = _NOT_KEY_CHARACTERS.sub("_", fold(label or "")).strip("_")
    if not key:
        return FALLBACK_KEY
    if key[0].isdigit():
        key = f"{FALLBACK_KEY}_{key}"
    return _truncate(key, max_length)


def unique_key(label: str, existing: Collection[str], *, max_length: int = MAX_KEY_LENGTH) -> str:
    """The key of ``label``, with ``_2``, ``_3``… added when it is already in ``existing``."""
    base = field_key(label, max_length=max_length)
    if base not in existing:
        return base
    number = 2
    while True:
        suffix = f"_{number}"
        candidate = _truncate(base, max_length - len(suffix)) + suffix
        if candidate not in existing:
            return candidate
        number += 1


def _truncate(key: str, max_length: int) -> str:
    if len(key) <= max_length:
        return key
    cut = key[:max_length]
    # Prefer ending on a whole word, unless that would throw most of the key away.
    if key[max_length] != "_" and "_" in cut and cut.rindex("_") >= max_length // 2:
        cut = cut[: cut.rindex("_")]
    return cut.strip("_") or FALLBACK_KEY
