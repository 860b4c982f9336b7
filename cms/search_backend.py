"""The site's search backend: Wagtail's database backend, with Vietnamese folding of the
query on SQLite.

The SQLite FTS5 index folds đ→d in its triggers and drops the other marks in its
tokenizer (cms/migrations/0002_search_unaccent.py), but a query goes through the
tokenizer only: "đổi" became "đoi" and never met the indexed "doi". Folding the query
with ``cms.text.fold_vietnamese`` here makes every caller agree with the index: the
API v3 ``?search=``, the admin's page search, and /tim-kiem/ (which folds first anyway,
folding twice changes nothing). PostgreSQL needs nothing: its ``portal_vi`` text search
configuration unaccents queries as it does documents, so it gets Wagtail's backend as is.

Configured in ``WAGTAILSEARCH_BACKENDS["default"]["BACKEND"]`` (site_config/settings/base.py).
"""

import copy
from functools import cache

from django.db import connection
from modelsearch.backends.database import SearchBackend as database_search_backend

from .text import fold_vietnamese


def folded_query(query):
    """``query`` (a string or a search query object) with every query string folded."""
    if isinstance(query, str):
        return fold_vietnamese(query)
    query = copy.copy(query)
    if isinstance(getattr(query, "query_string", None), str):
        query.query_string = fold_vietnamese(query.query_string)
    if hasattr(query, "subquery"):
        query.subquery = folded_query(query.subquery)
    if hasattr(query, "subqueries"):
        query.subqueries = [folded_query(subquery) for subquery in query.subqueries]
    return query


@cache
def _folding_sqlite_backend_class():
    # Imported only on SQLite: the module defines models that exist only there.
    from modelsearch.backends.database.sqlite.sqlite import SQLiteSearchBackend

    class FoldingSQLiteSearchBackend(SQLiteSearchBackend):
        def _search(self, query_compiler_class, query, model_or_queryset, **kwargs):
            return super()._search(query_compiler_class, folded_query(query), model_or_queryset, **kwargs)

    return SQLiteSearchBackend, FoldingSQLiteSearchBackend


def SearchBackend(params):  # noqa: N802 - the name Wagtail looks up in a backend module
    backend = database_search_backend(params)
    if connection.vendor == "sqlite":
        sqlite_backend, folding_backend = _folding_sqlite_backend_class()
        if type(backend) is sqlite_backend:  # FTS5 is there (else Wagtail's fallback, left alone)
            return folding_backend(params)
    return backend
