"""cms.postgresql: Django's PostgreSQL backend, with small bulk inserts as plain VALUES lists."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.postgresql.compiler import UNNEST_MIN_ROWS

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def inserted_sql(count, prefix):
    with CaptureQueriesContext(connection) as queries:
        created = Group.objects.bulk_create([Group(name=f"{prefix}-{number}") for number in range(count)])
    assert len(created) == count and all(group.pk for group in created)
    inserts = [query["sql"] for query in queries.captured_queries if query["sql"].startswith("INSERT")]
    assert len(inserts) == 1
    return inserts[0]


def test_the_portal_runs_its_own_engine_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the embedded SQLite run keeps Django's SQLite backend")
    assert connection.settings_dict["ENGINE"] == "cms.postgresql"


def test_a_few_rows_are_a_values_list_and_a_batch_is_unnest():
    if connection.vendor != "postgresql":
        pytest.skip("UNNEST inserts are PostgreSQL's")
    few = inserted_sql(3, "few")
    assert "UNNEST" not in few and "VALUES" in few
    batch = inserted_sql(UNNEST_MIN_ROWS, "batch")
    assert "UNNEST" in batch
    assert Group.objects.filter(name__startswith="few-").count() == 3
    assert Group.objects.filter(name__startswith="batch-").count() == UNNEST_MIN_ROWS
