"""Query budgets of the review pages (issue 9): counts, not timings, so they run everywhere.

The inbox makes the same number of queries whatever the number of rows on the page (no
query per row: procedure and assignee are joined, the deadline calendar is read once, the
counts come from one grouped query or the cache); the dossier page and the tracking
look-ups have fixed budgets.
"""

import re
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forms.constants import DossierStatus
from forms.models import Dossier
from forms.review import services
from forms.review.citizen import submit_supplement
from forms.review.models import DossierNote
from forms.review.viewsets import DossierIndexView
from tests.factories.forms import jpeg_upload
from tests.factories.review import PA08, make_review_dossier, move_to, pa08, user

pytestmark = pytest.mark.django_db

S = DossierStatus
INDEX = reverse("dossiers:index")
LOOKUP = reverse("review_tracking:lookup")
API = "/api/v3/dossiers/lookup/"

# Budgets: what the pages make today (22, 5 and 2 queries) plus a little room; a query per
# file, note or history entry (the dossier below has several of each) breaks them.
DETAIL_BUDGET = 25
LOOKUP_HTML_BUDGET = 6  # the dossier, the session (exists? insert), the rate limit lives in the cache
LOOKUP_API_BUDGET = 3  # the dossier with procedure and agency, its history


def generate(count):
    call_command("generate_dossiers", count, "--agency", PA08, "--batch", "20", "--no-vacuum", stdout=StringIO())


def inbox_queries(client, params):
    cache.clear()  # the counts are cached per agency: start every measurement cold
    with CaptureQueriesContext(connection) as queries:
        response = client.get(INDEX, params)
    assert response.status_code == 200
    rows = set(re.findall(r"/admin/dossiers/inspect/\d+/", response.content.decode()))
    return len(queries), len(rows)


@pytest.mark.parametrize(
    "params",
    [{}, {"status": "4", "ordering": "due_date"}, {"q": "nguyen"}, {"overdue": "true", "ordering": "-due_date"}],
    ids=["unfiltered", "status-by-due-date", "search", "overdue"],
)
def test_inbox_queries_do_not_grow_with_the_page_size(client, demo_site, monkeypatch, params):
    client.force_login(user("officer"))
    generate(200)
    monkeypatch.setattr(DossierIndexView, "get_paginate_by", lambda view, queryset: 10)
    few, few_rows = inbox_queries(client, params)
    monkeypatch.setattr(DossierIndexView, "get_paginate_by", lambda view, queryset: 50)
    many, many_rows = inbox_queries(client, params)
    assert few_rows == 10 and many_rows > few_rows
    assert many == few


def test_inbox_reads_the_counts_from_the_cache_once_computed(client, demo_site):
    client.force_login(user("officer"))
    generate(10)
    cold, _rows = inbox_queries(client, {"status": "4"})
    with CaptureQueriesContext(connection) as warm:
        client.get(INDEX, {"status": "4"})
    assert len(warm) < cold


def test_dossier_page_budget(client, demo_site, django_assert_max_num_queries):
    officer = user("officer")
    dossier = make_review_dossier(demo_site, uploads={"anh_chan_dung": [jpeg_upload()]})
    move_to(dossier, S.PROCESSING, officer)
    services.request_supplement(dossier.pk, officer, items=["anh_chan_dung"], message="Ảnh mờ")
    submit_supplement(dossier.pk, answers={}, uploads={"anh_chan_dung": [jpeg_upload()]})
    for n in range(5):
        DossierNote.objects.create(dossier=dossier, author=officer, text=f"Ghi chú {n}")
    client.force_login(officer)
    client.get(reverse("dossiers:inspect", args=[dossier.pk]))  # the first view of a session warms caches
    with django_assert_max_num_queries(DETAIL_BUDGET):
        response = client.get(reverse("dossiers:inspect", args=[dossier.pk]))
    assert response.status_code == 200
    assert "Ghi chú 4" in response.content.decode()


def test_tracking_lookup_budgets(client, demo_site, django_assert_max_num_queries):
    officer = user("officer")
    dossier = make_review_dossier(demo_site)  # phone 0912345678
    move_to(dossier, S.PROCESSING, officer)
    with django_assert_max_num_queries(LOOKUP_HTML_BUDGET):
        response = client.post(LOOKUP, {"code": dossier.code, "phone_last4": "5678"})
    assert response.status_code == 302
    with django_assert_max_num_queries(LOOKUP_API_BUDGET):
        response = client.post(API, {"code": dossier.code, "phone_last4": "5678"}, content_type="application/json")
    assert response.status_code == 200
    assert [entry["status"] for entry in response.json()["timeline"]] == ["1", "2", "4"]


def test_generated_dossiers_are_complete(demo_site):
    generate(40)
    generated = Dossier.objects.filter(code__contains="-G", agency=pa08())
    assert generated.count() >= 40
    assert not generated.filter(search_text="").exists()
    received = generated.filter(status__in=[S.ACCEPTED, S.PROCESSING, S.DONE, S.DELIVERED])
    assert not received.filter(received_at__isnull=True).exists()
    assert all(d.status_changes.exists() for d in generated[:5])
