"""Article list and detail pages: content, drafts, privacy and the number of queries."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from articles.models import Status
from tests.factories import make_article, make_clinician, make_staff

pytestmark = pytest.mark.django_db


def test_list_groups_published_articles_by_topic_with_summaries(client):
    make_article(title="How it works", topic="treatment", summary="The science, plainly.")
    make_article(title="Between sessions", topic="care")
    make_article(title="Hidden draft", status=Status.DRAFT)
    response = client.get(reverse("articles:list"))
    assertTemplateUsed(response, "articles/article_list.html")
    assertContains(response, "About ketamine treatment")
    assertContains(response, "Your care, step by step")
    assertContains(response, "The science, plainly.")
    assertNotContains(response, "Hidden draft")
    assert [topic["label"] for topic in response.context["topics"]] == [
        "About ketamine treatment",
        "Your care, step by step",
    ]


def test_detail_shows_toc_body_review_dates_references_related_and_reading_time(client):
    article = make_article(
        title="What to expect",
        body="## Before\n\nEat lightly.\n\n## During\n\nRest.\n\n## After\n\nGo home.\n",
        reviewer=make_clinician(name="Ada Lovelace", credentials="MD", slug="ada-lovelace"),
        last_reviewed=dt.date(2026, 11, 1),
        next_review_due=dt.date(2027, 5, 1),
    )
    for number in range(3):
        make_article(title=f"Related {number}", topic=article.topic)
    response = client.get(article.get_absolute_url())
    assertTemplateUsed(response, "articles/article_detail.html")
    assertContains(response, "<h1>What to expect</h1>", html=True)
    assertContains(response, '<a href="#during">During</a>', html=True)
    assertContains(response, "Eat lightly.")
    assertContains(response, 'Medically reviewed by <a href="/team/ada-lovelace/">Ada Lovelace, MD</a>', html=False)
    assertContains(response, '<time datetime="2026-11-01">November 1, 2026</time>', html=True)
    assertContains(response, "Next review due")
    assertContains(response, "May 1, 2027")
    assertContains(response, "Source 2. Journal, 2020.")
    assertContains(response, "min read")
    assert len(response.context["related"]) == 3


def test_short_articles_have_no_toc(client):
    response = client.get(make_article(body="## Only one\n\nText.").get_absolute_url())
    assertNotContains(response, "On this page")


def test_related_articles_prefer_the_same_topic_and_fill_from_others(client):
    article = make_article(topic="support")
    same = make_article(topic="support")
    others = [make_article(topic="care") for _ in range(3)]
    related = list(client.get(article.get_absolute_url()).context["related"])
    assert related[0] == same
    assert len(related) == 3 and set(related[1:]) <= set(others)


def test_drafts_and_scheduled_articles_are_404_for_visitors(client):
    draft = make_article(status=Status.DRAFT)
    scheduled = make_article(published_at=timezone.now() + dt.timedelta(days=1))
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(scheduled.get_absolute_url()).status_code == 404


def test_staff_see_drafts_marked_and_never_cached(staff_client):
    draft = make_article(status=Status.DRAFT, title="Coming soon")
    response = staff_client.get(draft.get_absolute_url())
    assertContains(response, "only staff can see this")
    assert "no-cache" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"


def test_staff_signed_in_with_a_password_only_see_no_drafts(client, settings):
    """A staff account still to set up two-factor sign-in has a session, but no admin: no drafts either."""
    settings.CLINIC_REQUIRE_2FA = True
    client.force_login(make_staff())  # a password sign-in: the session is not verified with a code
    draft = make_article(status=Status.DRAFT)
    scheduled = make_article(published_at=timezone.now() + dt.timedelta(days=1))
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(scheduled.get_absolute_url()).status_code == 404


def test_unknown_article_shows_the_designed_404_page(client):
    response = client.get("/articles/no-such-article/")
    assert response.status_code == 404
    assertContains(response, "We can’t find that page", status_code=404)
    assertContains(response, "988", status_code=404)


@pytest.mark.parametrize("name", ["articles:list", "articles:detail", "pages:home"])
def test_reading_pages_set_no_cookie_and_do_not_touch_the_session(client, name):
    article = make_article(is_featured=True)
    url = reverse(name, kwargs={"slug": article.slug}) if name == "articles:detail" else reverse(name)
    response = client.get(url)
    assert response.status_code == 200
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")


def test_article_page_runs_at_most_four_queries_cold_and_none_when_cached(
    client, wsgi_client, django_assert_max_num_queries, django_assert_num_queries, warm_site_state
):
    articles = [make_article(topic="care") for _ in range(5)]
    with django_assert_max_num_queries(4):  # article, references, related, and the clinic's details
        response = client.get(articles[0].get_absolute_url())
    assert len(response.context["related"]) == 3
    wsgi_client.get(articles[0].get_absolute_url())  # stored by the page cache
    with django_assert_num_queries(0):
        assert wsgi_client.get(articles[0].get_absolute_url()).status_code == 200


def test_article_page_query_count_is_flat_in_the_number_of_references(
    client, django_assert_num_queries, warm_site_state
):
    few, many = make_article(references=1), make_article(references=6)
    with django_assert_num_queries(3):  # article, references, related
        client.get(few.get_absolute_url())
    with django_assert_num_queries(3):
        client.get(many.get_absolute_url())


def test_list_page_runs_two_queries_uncached_and_none_when_cached(
    client,
    wsgi_client,
    django_assert_max_num_queries,
    django_assert_num_queries,
    warm_site_state,
    django_capture_on_commit_callbacks,
):
    # the number of articles (for the pages), then this page's cards
    for topic in ("treatment", "care", "support", "care"):
        make_article(topic=topic)
    with django_assert_num_queries(2):
        response = client.get(reverse("articles:list"))
    assert sum(len(topic["articles"]) for topic in response.context["topics"]) == 4
    with django_assert_num_queries(2):
        wsgi_client.get(reverse("articles:list"))  # rendered and stored
    with django_assert_num_queries(0):
        wsgi_client.get(reverse("articles:list"))
    from web.page_cache import invalidate_pages

    with django_capture_on_commit_callbacks(execute=True):
        invalidate_pages()  # a staff save: the next view renders again
    with django_assert_num_queries(2):
        wsgi_client.get(reverse("articles:list"))


def test_a_completely_cold_cache_adds_only_the_site_wide_reads(wsgi_client, django_assert_num_queries):
    article = make_article()
    # + the clinic's details, its locations, the page version and the next scheduled publication
    with django_assert_num_queries(7):
        wsgi_client.get(article.get_absolute_url())


def make_listed_articles(count: int):
    return [make_article(title=f"Article {number:03}", topic="treatment", order=number) for number in range(count)]


def test_the_list_shows_twenty_articles_a_page_with_the_page_number_in_the_path(client):
    make_listed_articles(45)
    first = client.get(reverse("articles:list"))
    assert [a.title for a in first.context["object_list"]] == [f"Article {n:03}" for n in range(20)]
    assertContains(first, '<a href="/articles/page/2/" rel="next">Next page</a>')
    assertContains(first, "Page 1 of 3")
    assertNotContains(first, 'rel="prev"')
    last = client.get("/articles/page/3/")
    assert [a.title for a in last.context["object_list"]] == [f"Article {n:03}" for n in range(40, 45)]
    assertContains(last, "<title>Articles (page 3 of 3)")
    assertContains(last, '<a href="/articles/page/2/" rel="prev">')
    assertContains(last, "Page 3 of 3")
    assertNotContains(last, 'rel="next"')


def test_pages_follow_the_topics_in_the_order_the_list_shows_them(client):
    # Stored topic values sort care, support, treatment; the list shows treatment first.
    for topic in ("support", "care", "treatment"):
        for number in range(10):
            make_article(title=f"{topic} {number}", topic=topic, order=number)
    first = client.get(reverse("articles:list")).context
    second = client.get("/articles/page/2/").context
    assert [t["label"] for t in first["topics"]] == ["About ketamine treatment", "Your care, step by step"]
    assert [t["label"] for t in second["topics"]] == ["Depression and getting support"]
    assert [a.title for a in first["object_list"]][:2] == ["treatment 0", "treatment 1"]


def test_page_one_has_one_address_and_pages_past_the_end_are_not_found(client):
    make_listed_articles(21)
    response = client.get("/articles/page/1/")
    assert response.status_code == 301 and response["Location"] == "/articles/"
    assert client.get("/articles/page/3/").status_code == 404
    assert client.get("/articles/page/0/").status_code == 404
    assert client.get("/articles/page/x/").status_code == 404


def test_a_query_string_never_picks_the_page_so_the_cache_cannot_store_page_two_as_the_list(
    wsgi_client, django_assert_num_queries
):
    make_listed_articles(25)
    assert "Article 000" in wsgi_client.get("/articles/?page=2").text()  # page 1, stored under /articles/
    assert "Article 000" in wsgi_client.get("/articles/").text()
    assert "Article 020" not in wsgi_client.get("/articles/").text()
    second = wsgi_client.get("/articles/page/2/").text()
    assert "Article 020" in second and "Article 000" not in second
    with django_assert_num_queries(0):  # page 2 is stored under its own path
        assert wsgi_client.get("/articles/page/2/").text() == second


def test_few_articles_show_no_page_links(client):
    make_listed_articles(3)
    assertNotContains(client.get(reverse("articles:list")), "Pages of articles")
