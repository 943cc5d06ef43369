"""The search page and the header's search box, through Django's test client."""

import re

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from search.parsing import MAX_QUERY_LENGTH
from search.query import PAGE_SIZE
from tests.factories import make_article

pytestmark = pytest.mark.django_db

URL = reverse("search:search")


def body(*sentences: str) -> str:
    return "## About\n\n" + " ".join(sentences) + "\n"


def search(client, **params):
    return client.get(URL, params)


@pytest.fixture
def articles():
    make_article(slug="faq", title="Frequently asked questions", is_featured=True, body=body("Parking is free."))
    make_article(slug="crisis-support", title="Crisis support", kind="crisis", body=body("Call 988."))
    make_article(slug="risks", title="Risks and side effects", body=body("Ketamine can harm the bladder."))
    make_article(slug="expect", title="What to expect", is_featured=True, body=body("Ketamine infusions take an hour."))


def test_results_show_title_link_snippet_topic_and_a_count_in_words(client, articles):
    response = search(client, q="ketamine bladder")
    assertTemplateUsed(response, "search/search.html")
    assertContains(response, "1 article matches “ketamine bladder”.")
    assertContains(response, '<a href="/articles/risks/">Risks and side effects</a>', html=True)
    assertContains(response, "<mark>bladder</mark>")
    assertContains(response, '<p class="search-label">About ketamine treatment</p>', html=True)
    assertContains(search(client, q="ketamine"), "2 articles match “ketamine”.")


def test_the_page_form_holds_the_query_and_the_header_form_is_left_out(client, articles):
    html = search(client, q="ketamine <bladder>").content.decode()
    assert html.count('role="search"') == 1  # no second box in the header on this page
    assert 'value="ketamine &lt;bladder&gt;"' in html


def test_the_header_search_box_is_a_labelled_get_form_and_never_prefilled(client, articles):
    html = client.get("/articles/risks/", {"q": "ketamine"}).content.decode()
    (form,) = re.findall(r'<form class="header-search".*?</form>', html, re.DOTALL)
    assert 'role="search"' in form and f'action="{URL}"' in form and "method=" not in form  # GET
    assert '<label class="visually-hidden" for="header-q">Search this site</label>' in form
    assert re.search(r'<input id="header-q" type="search" name="q"[^>]*>', form)
    assert "value=" not in form
    assert "<button>Search</button>" in form
    assert html.count('class="header-search"') == 1  # not repeated in the two navigation copies


def test_an_empty_search_suggests_somewhere_to_start_and_the_crisis_line(client, articles):
    for response in (client.get(URL), search(client, q=""), search(client, q="   ")):
        assertContains(response, "Type a word or two")
        assertContains(response, "Good places to start")
        assertContains(response, '<a href="/articles/faq/">Frequently asked questions</a>', html=True)
        assertContains(response, '<a href="/articles/expect/">What to expect</a>', html=True)
        assertContains(response, '<a href="tel:988">988</a>', html=True)
        assertContains(response, '<a href="sms:988">text 988</a>', html=True)
        assertContains(response, '<a href="tel:911">911</a>', html=True)
        assertNotContains(response, "No articles match")


def test_no_results_says_so_calmly_and_suggests_somewhere_to_start(client, articles):
    response = search(client, q="zebra")
    assertContains(response, "No articles match “zebra”")
    assertContains(response, "Try other words, or fewer of them")
    assertContains(response, "Good places to start")
    assertContains(response, "frequently asked questions")
    assertContains(response, '<a href="tel:988">988</a>', html=True)
    assertNotContains(response, "search-results")


def test_a_query_with_nothing_to_look_for_says_so(client, articles):
    response = search(client, q="the -ketamine")
    assertContains(response, "We could not find a word to look for in that.")


def test_headers_keep_the_page_out_of_caches_search_engines_and_referrers(client, articles):
    response = search(client, q="ketamine")
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"
    assert response["Referrer-Policy"] == "no-referrer"
    assertContains(response, '<meta name="robots" content="noindex">', html=True)
    assert not response.cookies
    assert "Set-Cookie" not in response


def test_the_title_never_holds_the_query(client, articles):
    html = search(client, q="bladder").content.decode()
    (title,) = re.findall(r"<title>(.*?)</title>", html, re.DOTALL)
    assert "bladder" not in title.lower() and title.startswith("Search results")


def test_pages_of_results_keep_the_query_in_their_links(client):
    for number in range(PAGE_SIZE + 5):
        make_article(slug=f"care-{number:02}", title=f"Aftercare & you {number:02}", references=0)
    first = search(client, q="aftercare & you")
    assertContains(first, "25 articles match “aftercare &amp; you”. Page 1 of 2.")
    assertContains(first, '<a href="?q=aftercare%20%26%20you&amp;page=2" rel="next">Next page</a>', html=True)
    assert first.content.decode().count('class="search-result"') == PAGE_SIZE
    second = search(client, q="aftercare & you", page="2")
    assertContains(second, "Page 2 of 2")
    assertContains(second, '<a href="?q=aftercare%20%26%20you&amp;page=1" rel="prev">Previous page</a>', html=True)
    assertNotContains(second, "Next page")
    assert second.content.decode().count('class="search-result"') == 5


@pytest.mark.parametrize("number", ["abc", "-1", "0", "", "1.5", "١", "9" * 40])  # not "page": a Playwright fixture
def test_an_odd_page_number_is_answered_calmly(client, articles, number):
    response = search(client, q="ketamine", page=number)
    assert response.status_code == 200
    assertContains(response, "2 articles match")


def test_a_page_past_the_end_shows_the_last_page_and_says_so(client):
    for number in range(PAGE_SIZE + 1):
        make_article(slug=f"rest-{number:02}", title=f"Rest {number:02}", references=0)
    response = search(client, q="rest", page="99999")
    assertContains(response, "Page 2 of 2")
    assertContains(response, "There are only 2 pages of results, so this is the last one.")


@pytest.mark.parametrize(
    "query",
    [
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        '" * ^ : ( ) NEAR AND OR NOT -',
        "'; DROP TABLE articles_article; --",
        "ketamine\x00bladder",
        "\x01\x02\x1b[31m\x7f\u2028\u202e",
        "\ue000ketamine\ue001",
        "{{ request }} {% debug %}",
        "%00 %ff %s %(x)s",
    ],
)
def test_hostile_queries_are_answered_calmly_and_escaped(client, articles, query):
    response = search(client, q=query)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "\x00" not in html and "\ue000" not in html


def test_a_nul_byte_does_not_join_words(client, articles):
    assertContains(search(client, q="ketamine\x00bladder"), "1 article matches “ketamine bladder”.")


def test_undecodable_percent_encodings_are_answered_calmly(client, articles):
    response = client.get(URL + "?q=%ff%fe%c3%28ketamine&page=%ff")
    assert response.status_code == 200
    assertContains(response, "2 articles match")


def test_a_query_given_twice_uses_one_of_them(client, articles):
    response = client.get(URL + "?q=zebra&q=bladder")
    assertContains(response, "1 article matches “bladder”.")


def test_a_very_long_query_is_cut_and_the_page_says_so(client, articles):
    response = search(client, q="ketamine " * 1000)
    assertContains(
        response, f"That was a long search, so we used only its first part (up to {MAX_QUERY_LENGTH} characters)."
    )
    (value,) = re.findall(r'id="search-q" name="q" value="([^"]*)"', response.content.decode())
    assert len(value) <= MAX_QUERY_LENGTH
    assertContains(response, "2 articles match")
    assertNotContains(search(client, q="ketamine"), "long search")


def test_only_get_and_head(client, articles):
    assert client.post(URL, {"q": "ketamine"}).status_code == 405
    assert client.head(URL + "?q=ketamine").status_code == 200


def test_query_counts(client, articles, warm_site_state, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):  # the search; the clinic's details come from the cache
        assertContains(search(client, q="ketamine"), "2 articles match")
    with django_assert_max_num_queries(2):  # and the suggested articles
        assertContains(search(client, q="zebra"), "Good places to start")
    with django_assert_max_num_queries(1):
        assertContains(client.get(URL), "Good places to start")


def test_search_pages_have_no_inline_code_and_no_third_party_assets(client, articles):
    for params in ({"q": "ketamine"}, {"q": "zebra"}, {}):
        html = search(client, **params).content.decode()
        assert not re.search(r"<script>|<style|style=|\son[a-z]+=", html), params
        for url in re.findall(
            r"""<(?:script|link|img|iframe|source)[^>]+(?:src|href)=["']?((?:https?:)?//[^"' >]+)""", html
        ):
            assert url.startswith(("http://testserver/", "//testserver/")), (params, url)
