"""Site search at /tim-kiem/: insensitive to Vietnamese diacritics and case, on PostgreSQL
(unaccent text search configuration) and on SQLite (FTS5 tokenizer), with the same cases."""

import unicodedata

import pytest
from django.db import connection
from wagtail.rich_text import RichText

from cms.models import FeaturedProcedure, StandardPage
from cms.search import MAX_QUERY_LENGTH, RESULTS_PER_PAGE, clean_query


def add_page(parent, title, intro="", live=True):
    page = StandardPage(title=title, intro=intro, live=False)
    parent.add_child(instance=page)
    if live:
        page.save_revision().publish()
        page.refresh_from_db()
    return page


def add_guide(home, title, summary="", step_text="Chuẩn bị hồ sơ"):
    from guides.models import GuidePage, ProcedureIndexPage

    index = ProcedureIndexPage.objects.child_of(home).first()
    if index is None:
        index = ProcedureIndexPage(title="Thủ tục hành chính", slug="thu-tuc")
        home.add_child(instance=index)
    guide = GuidePage(
        title=title,
        summary=summary,
        steps=[("step", {"title": "Chuẩn bị", "body": RichText(f"<p>{step_text}</p>")})],
    )
    index.add_child(instance=guide)
    guide.save_revision().publish()
    return guide


def result_titles(response):
    return [hit.page.title for hit in response.context["search"].results or []]


@pytest.fixture
def procedures(demo_site):
    home = demo_site
    return {
        "passport": add_page(home, "Cấp hộ chiếu phổ thông", "Hồ sơ và lệ phí cấp hộ chiếu."),
        "id_card": add_page(home, "Cấp đổi thẻ căn cước", "Đổi thẻ khi hết hạn hoặc thay đổi thông tin."),
        "hoa": add_page(home, "Công an tỉnh Khánh Hoà", "Địa chỉ tiếp nhận hồ sơ."),
        "residence": add_page(home, "Khai báo tạm trú cho người nước ngoài", "Trực tuyến, 24/7."),
    }


def test_the_search_configuration_matches_the_database():
    """CI runs this suite on PostgreSQL: there the portal_vi configuration must be in use."""
    from django.conf import settings

    backend = settings.WAGTAILSEARCH_BACKENDS["default"]
    if connection.vendor == "postgresql":
        assert backend["SEARCH_CONFIG"] == "portal_vi"
    else:
        assert "SEARCH_CONFIG" not in backend


@pytest.mark.django_db
def test_migration_created_the_unaccent_configuration():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT to_tsvector('portal_vi', 'Cấp đổi thẻ Căn cước')::text")
            assert cursor.fetchone()[0] == "'can':4 'cap':1 'cuoc':5 'doi':2 'the':3"
        else:
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'wagtailsearch_indexentry_fts'")
            assert "remove_diacritics 2" in cursor.fetchone()[0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ho chieu", "Cấp hộ chiếu phổ thông"),
        ("HỘ CHIẾU", "Cấp hộ chiếu phổ thông"),
        ("cap doi the can cuoc", "Cấp đổi thẻ căn cước"),
        ("cấp đổi thẻ căn cước", "Cấp đổi thẻ căn cước"),
        ("dổi the", "Cấp đổi thẻ căn cước"),
        ("đoi the", "Cấp đổi thẻ căn cước"),
        ("khanh hoa", "Công an tỉnh Khánh Hoà"),
        ("Khánh Hòa", "Công an tỉnh Khánh Hoà"),
        ("khánh hoà", "Công an tỉnh Khánh Hoà"),
        ("tam tru nguoi nuoc ngoai", "Khai báo tạm trú cho người nước ngoài"),
    ],
)
def test_search_ignores_diacritics_case_and_tone_placement(client, procedures, query, expected):
    response = client.get("/tim-kiem/", {"q": query})
    assert response.status_code == 200
    assert result_titles(response)[0] == expected
    assert expected in response.content.decode()


@pytest.mark.django_db
def test_decomposed_text_is_found_both_ways(client, demo_site):
    stored = unicodedata.normalize("NFD", "Lịch tiếp công dân của lãnh đạo Phòng")
    add_page(demo_site, stored)
    assert stored in result_titles(client.get("/tim-kiem/", {"q": "lich tiep cong dan lanh dao"}))
    query = unicodedata.normalize("NFD", "Lịch tiếp công dân")
    assert stored in result_titles(client.get("/tim-kiem/", {"q": query}))


@pytest.mark.django_db
def test_a_question_without_a_full_match_finds_pages_with_some_of_its_words(client, procedures):
    response = client.get("/tim-kiem/", {"q": "lam ho chieu nhu the nao"})
    assert response.context["search"].is_partial_match
    assert "Cấp hộ chiếu phổ thông" in result_titles(response)
    assert "Không trang nào có đủ mọi từ bạn nhập" in response.content.decode()
    full_match = client.get("/tim-kiem/", {"q": "ho chieu pho thong"})
    assert not full_match.context["search"].is_partial_match
    assert "Không trang nào có đủ mọi từ bạn nhập" not in full_match.content.decode()


@pytest.mark.django_db
def test_titles_with_most_of_the_words_follow_the_full_matches(client, procedures, demo_site):
    add_page(demo_site, "Thẻ căn cước cấp lần đầu")
    add_page(demo_site, "Hỏi đáp", "Khi nào cần cấp đổi thẻ căn cước?")
    titles = result_titles(client.get("/tim-kiem/", {"q": "cap doi the can cuoc"}))
    assert titles[0] == "Cấp đổi thẻ căn cước"
    assert titles.index("Hỏi đáp") < titles.index("Thẻ căn cước cấp lần đầu")
    # One word of five ("cấp") is not enough.
    assert "Cấp hộ chiếu phổ thông" not in titles


@pytest.mark.django_db
def test_body_text_is_searched_and_title_matches_rank_first(client, demo_site):
    # Older page, many mentions in its intro only; newer page with the words in its title.
    add_page(
        demo_site, "Câu hỏi thường gặp", "Lệ phí hộ chiếu. Hộ chiếu bị mất. Hộ chiếu cho trẻ em. Hộ chiếu gắn chíp."
    )
    add_page(demo_site, "Hộ chiếu gắn chíp điện tử")
    titles = result_titles(client.get("/tim-kiem/", {"q": "ho chieu"}))
    assert titles[0] == "Hộ chiếu gắn chíp điện tử"
    assert "Câu hỏi thường gặp" in titles


@pytest.mark.django_db
def test_guides_are_found_by_title_summary_and_steps(client, demo_site):
    title = "Xác nhận nhân thân cho người Việt Nam định cư ở nước ngoài"
    add_guide(
        demo_site,
        title,
        summary="Dành cho kiều bào đã thôi quốc tịch.",
        step_text="Nộp tờ khai mẫu XN09 tại Cục Quản lý xuất nhập cảnh.",
    )
    assert result_titles(client.get("/tim-kiem/", {"q": "xac nhan nhan than"}))[0] == title
    assert title in result_titles(client.get("/tim-kiem/", {"q": "kieu bao thoi quoc tich"}))
    assert title in result_titles(client.get("/tim-kiem/", {"q": "to khai mau xn09"}))


@pytest.mark.django_db
def test_unpublished_pages_and_other_languages_are_not_found(client, demo_site, procedures):
    add_page(demo_site, "Hộ chiếu bản nháp", live=False)
    assert "Hộ chiếu bản nháp" not in result_titles(client.get("/tim-kiem/", {"q": "ho chieu ban nhap"}))
    english = client.get("/en/tim-kiem/", {"q": "ho chieu"})
    assert english.status_code == 200
    assert result_titles(english) == []
    assert result_titles(client.get("/en/tim-kiem/", {"q": "contact"})) == ["Contact"]


@pytest.mark.django_db
def test_no_results_shows_featured_procedures(client, demo_site, procedures):
    demo_site.featured_procedures.all().delete()
    FeaturedProcedure.objects.create(home=demo_site, page=procedures["id_card"], sort_order=0)
    FeaturedProcedure.objects.create(home=demo_site, page=procedures["passport"], sort_order=1)
    response = client.get("/tim-kiem/", {"q": "xyzzy"})
    assert response.status_code == 200
    assert result_titles(response) == []
    assert [hit.page.title for hit in response.context["search"].suggestions] == [
        "Cấp đổi thẻ căn cước",
        "Cấp hộ chiếu phổ thông",
    ]
    html = response.content.decode()
    assert "Không tìm thấy kết quả nào cho “xyzzy”" in html
    assert f'href="{procedures["id_card"].url}"' in html


@pytest.mark.django_db
def test_no_results_without_featured_procedures_suggests_recent_pages(client, demo_site, procedures):
    demo_site.featured_procedures.all().delete()
    suggestions = client.get("/tim-kiem/", {"q": "xyzzy"}).context["search"].suggestions
    assert suggestions
    assert suggestions[0].page.title == "Khai báo tạm trú cho người nước ngoài"


@pytest.mark.django_db
def test_results_are_paginated(client, demo_site):
    for number in range(RESULTS_PER_PAGE + 2):
        add_page(demo_site, f"Phụ lục kiểm thử số {number}")
    first = client.get("/tim-kiem/", {"q": "phu luc kiem thu"})
    assert first.context["search"].result_count == RESULTS_PER_PAGE + 2
    assert len(result_titles(first)) == RESULTS_PER_PAGE
    assert 'href="?q=phu%20luc%20kiem%20thu&amp;page=2"' in first.content.decode()
    second = client.get("/tim-kiem/", {"q": "phu luc kiem thu", "page": "2"})
    assert len(result_titles(second)) == 2
    assert not set(result_titles(first)) & set(result_titles(second))
    # A page number that is not one falls back to a valid page.
    assert client.get("/tim-kiem/", {"q": "phu luc kiem thu", "page": "abc"}).status_code == 200
    assert len(result_titles(client.get("/tim-kiem/", {"q": "phu luc kiem thu", "page": "999"}))) == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "a" * 1000,
        "hộ chiếu " * 120,
        "& | ! : * ( )",
        "ho & chieu | !(cap) <-> 'x' \"y\" *",
        "' OR 1=1; DROP TABLE wagtailcore_page; --",
        "NEAR(ho chieu) AND NOT OR",
        "AND",
        "² ① ٣ ß ﬁ 中文 🙂",
        "ho ²",
        "ho chieu NOT cap",
        "ho\x00chieu",
        "{title}: ho^ chieu + - ",
        "\\",
    ],
)
def test_bad_input_gives_a_normal_page(client, procedures, query):
    response = client.get("/tim-kiem/", {"q": query})
    assert response.status_code == 200
    assert response.context["search"].suggestions or response.context["search"].results


@pytest.mark.django_db
def test_operators_are_stripped_and_the_words_still_searched(client, procedures):
    titles = result_titles(client.get("/tim-kiem/", {"q": 'ho & chieu | !(pho) "thong"*'}))
    assert titles[0] == "Cấp hộ chiếu phổ thông"


def test_clean_query_caps_length_and_removes_operators():
    assert clean_query("  Hộ chiếu & (mất)!! ") == "ho chieu mat"
    assert clean_query("a" * 1000) == "a" * MAX_QUERY_LENGTH
    assert clean_query("x " * 100).split() == ["x"] * 12
    assert clean_query("'\"*:()&|!<->") == ""
    assert clean_query("Hộ chiếu AND NOT") == "ho chieu and not"
    assert clean_query(None) == ""


@pytest.mark.django_db
def test_search_form_keeps_the_query_and_is_labelled(client, procedures):
    html = client.get("/tim-kiem/", {"q": "hộ chiếu"}).content.decode()
    assert 'name="q" value="hộ chiếu"' in html
    assert '<label for="site-search">' in html
    assert 'role="search"' in html
    # Result pages are for visitors, not for search engines' indexes.
    assert '<meta name="robots" content="noindex, follow">' in html


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["đổi thẻ", "Đổi thẻ căn cước", "doi the", "đoi the", "ĐỔI THẺ"])
def test_api_search_folds_vietnamese_like_the_site_search(client, demo_site, query):
    """The API's own ?search= (Wagtail API v3) reaches the search backend without our
    clean_query: on SQLite the backend folds the query itself (cms/search_backend.py)."""
    guide = add_guide(demo_site, "Cấp đổi thẻ căn cước cho công dân", step_text="Đổi thẻ khi hết hạn.")
    response = client.get("/api/v3/pages/", {"search": query, "type": "guides.GuidePage", "fields": "title"})
    assert response.status_code == 200, response.content
    ids = [item["id"] for item in response.json()["items"]]
    assert guide.pk in ids


def test_backend_folds_nested_query_objects():
    from modelsearch.query import And, Boost, Not, Phrase, PlainText

    from cms.search_backend import folded_query

    query = And([PlainText("Đổi thẻ"), Not(Phrase("Căn Cước")), Boost(PlainText("hộ chiếu"), 2)])
    folded = folded_query(query)
    assert folded.subqueries[0].query_string == "doi the"
    assert folded.subqueries[1].subquery.query_string == "can cuoc"
    assert folded.subqueries[2].subquery.query_string == "ho chieu"
    assert query.subqueries[0].query_string == "Đổi thẻ"  # the caller's query is left as it was
