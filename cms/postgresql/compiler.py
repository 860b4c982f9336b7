"""Django's PostgreSQL compilers; inserts use UNNEST only for batches worth it (see __init__)."""

from django.db.backends.postgresql.compiler import (
    SQLAggregateCompiler,
    SQLCompiler,
    SQLDeleteCompiler,
    SQLUpdateCompiler,
)
from django.db.backends.postgresql.compiler import SQLInsertCompiler as PostgresInsertCompiler
from django.db.models.sql.compiler import SQLInsertCompiler as ValuesInsertCompiler

__all__ = ["SQLAggregateCompiler", "SQLCompiler", "SQLDeleteCompiler", "SQLInsertCompiler", "SQLUpdateCompiler"]

UNNEST_MIN_ROWS = 50


class SQLInsertCompiler(PostgresInsertCompiler):
    def assemble_as_sql(self, fields, value_rows):
        if len(value_rows) < UNNEST_MIN_ROWS:
            return ValuesInsertCompiler.assemble_as_sql(self, fields, value_rows)
        return super().assemble_as_sql(fields, value_rows)
