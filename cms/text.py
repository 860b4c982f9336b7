"""Vietnamese text folding, so that search works with or without diacritics.

Citizens often type without diacritics ("ho chieu" for "hộ chiếu"), with ``d`` for
``đ``, with either tone placement ("Hoà" / "Hòa") and with text pasted from systems that
store decomposed (NFD) characters. Folding maps all of these to one form. The search
indexes fold the same way (PostgreSQL's ``unaccent`` dictionary in the ``portal_vi``
text search configuration; on SQLite, the FTS5 ``remove_diacritics 2`` tokenizer plus
an explicit đ→d), see ``cms/migrations/0002_search_unaccent.py``. On SQLite the search
backend folds every query with this function too (``cms/search_backend.py``).
"""

import unicodedata

# Letters with a stroke have no Unicode decomposition, so NFD leaves them alone: map them
# explicitly. The Icelandic eth (ð, Ð) looks the same as đ/Đ and is a common typing slip.
_STROKED_LETTERS = str.maketrans({"đ": "d", "Đ": "D", "ð": "d", "Ð": "D"})


def fold_vietnamese(text):
    """``"Cấp đổi thẻ Căn cước"`` → ``"cap doi the can cuoc"``: no marks, no đ, case-folded.

    Works on both composed (NFC) and decomposed (NFD) input, so "Hoà", "Hòa" and their
    NFD spellings all fold to ``"hoa"``.
    """
    decomposed = unicodedata.normalize("NFD", text.translate(_STROKED_LETTERS))
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return unicodedata.normalize("NFC", stripped).casefold()
