"""Site search: turns what a citizen typed into a safe query and ranks the live pages found.

The query is cleaned here (length cap, full-text operators and punctuation removed, folded
with ``cms.text.fold_vietnamese``) and handed to Wagtail's database search backend over
``wagtail.models.Page``, which covers every page type's indexed fields (guides included)
without this app importing them. The indexes fold diacritics the same way on PostgreSQL
and SQLite (cms/migrations/0002_search_unaccent.py), so one code path serves both.
"""

import re
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import F
from wagtail.models import Locale, Page

from .models import FeaturedProcedure
from .text import fold_vietnamese

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
MAX_RESULTS = 500
RESULTS_PER_PAGE = 10
SUGGESTION_COUNT = 6
# Share of the query's words a title needs to be listed after the full matches.
NEAR_MATCH_SHARE = 0.6

# Anything that is neither a letter, a digit nor a combining mark separates words. This
# removes every FTS operator of PostgreSQL (& | ! : * ( ) <->) and SQLite FTS5 (" * ^ :
# + - ( ) { }), quotes, and control characters such as NUL, which PostgreSQL refuses.
# Words such as AND or NEAR are harmless: the backends quote every term.
_SEPARATORS = re.compile(r"[^\w\u0300-\u036f]+|_+")


def clean_query(raw):
    """The search terms in ``raw``, folded and joined by spaces ("" when nothing is left).

    ``"  Hộ chiếu & (mất)!!"`` → ``"ho chieu mat"``. Input is capped at MAX_QUERY_LENGTH
    characters and MAX_TERMS words, so a pasted page of text cannot make an expensive query.
    """
    text = fold_vietnamese((raw or "")[:MAX_QUERY_LENGTH])
    terms = [term for term in _SEPARATORS.split(text) if term]
    return " ".join(terms[:MAX_TERMS])


def searchable_pages(locale):
    """Live, public pages in ``locale`` (the tree root excluded), i.e. what a visitor may find."""
    return Page.objects.live().public().filter(locale=locale, depth__gt=1)


def ranked_page_ids(pages, query, operator="and"):
    """Ids of the ``pages`` matching ``query``, best first: titles with every word, then
    pages with every word anywhere, then titles with most of the words (see
    ``near_title_matches``); each group by relevance.

    Done as separate searches rather than by comparing scores, because the backends score
    on different scales (PostgreSQL's ts_rank grows with relevance, SQLite's bm25 shrinks).
    ``operator="and"`` wants every word, ``"or"`` any of them.
    """
    pages = pages.only("pk", "title")
    title_ids = [page.pk for page in pages.search(query, fields=["title"], operator=operator)[:MAX_RESULTS]]
    all_ids = [page.pk for page in pages.search(query, operator=operator)[:MAX_RESULTS]]
    near_ids = near_title_matches(pages, query) if operator == "and" else []
    ranked, seen = [], set()
    for pk in [*title_ids, *all_ids, *near_ids]:
        if pk not in seen:
            seen.add(pk)
            ranked.append(pk)
    return ranked


def near_title_matches(pages, query):
    """Ids of pages whose title has most, not all, of the words, by relevance.

    A citizen who types "cap doi the can cuoc" should find "Cấp thẻ căn cước" (4 words of
    5) without every page that merely mentions "cấp" (1 of 5).
    """
    terms = set(query.split())
    if len(terms) < 2:
        return []
    candidates = pages.search(query, fields=["title"], operator="or")[:MAX_RESULTS]
    return [
        page.pk
        for page in candidates
        if len(terms & set(clean_query(page.title).split())) >= NEAR_MATCH_SHARE * len(terms)
    ]


def suggested_pages(locale):
    """Popular procedures to offer when a search finds nothing: the home page's featured
    procedures (in the visitor's language where translated), or else the latest pages."""
    featured = (
        FeaturedProcedure.objects.filter(home__locale=locale, page__live=True)
        .select_related("page")
        .order_by("sort_order")[:SUGGESTION_COUNT]
    )
    suggestions = [item.page.specific.localized for item in featured]
    if suggestions:
        return suggestions
    latest_first = F("first_published_at").desc(nulls_last=True)
    pages = searchable_pages(locale).filter(depth__gt=2).order_by(latest_first, "-pk")
    return list(pages.specific()[:SUGGESTION_COUNT])


@dataclass(frozen=True)
class Hit:
    """A page to list, with the short text shown under its title."""

    page: Page
    snippet: str


def summarise(page):
    """The page's promote description, else its own summary or intro (guides and standard pages)."""
    for attribute in ("search_description", "summary", "intro"):
        text = getattr(page, attribute, "")
        if isinstance(text, str) and text.strip():
            return text.strip()
    return ""


@dataclass
class SearchOutcome:
    query: str
    terms: str
    results: object = None  # a Paginator page of Hits
    paginator: Paginator | None = None
    suggestions: list = field(default_factory=list)
    # True when no page has every word and the results contain only some of them.
    is_partial_match: bool = False

    @property
    def result_count(self):
        return self.paginator.count if self.paginator else 0


def search_site(raw_query, page_number=None, locale=None):
    """Run a visitor's search: one page of results, or suggestions when there are none."""
    locale = locale or Locale.get_active()
    terms = clean_query(raw_query)
    outcome = SearchOutcome(query=(raw_query or "")[:MAX_QUERY_LENGTH], terms=terms)
    if terms:
        pages = searchable_pages(locale)
        ids = ranked_page_ids(pages, terms)
        if not ids and " " in terms:
            # Citizens type questions ("lam ho chieu nhu the nao"): when no page has every
            # word, pages with some of them beat an empty page.
            ids = ranked_page_ids(pages, terms, operator="or")
            outcome.is_partial_match = bool(ids)
        if ids:
            outcome.paginator = Paginator(ids, RESULTS_PER_PAGE)
            # get_page() turns "abc", "-1" or "999" into a valid page instead of an error.
            outcome.results = outcome.paginator.get_page(page_number)
            by_id = {page.pk: page for page in Page.objects.filter(pk__in=outcome.results.object_list).specific()}
            outcome.results.object_list = [
                Hit(by_id[pk], summarise(by_id[pk])) for pk in outcome.results.object_list if pk in by_id
            ]
    if not outcome.result_count:
        outcome.suggestions = [Hit(page, summarise(page)) for page in suggested_pages(locale)]
    return outcome
