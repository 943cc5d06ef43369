"""Site pages (about us, the editorial policy, the accessibility statement): articles of kind "page",
served at /articles/<slug>/ with their review line, but never listed, related or featured, and with
no reading time or consultation box."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from articles.loading import parse_file
from articles.models import Article, Kind
from tests.factories import make_article, make_clinician

pytestmark = pytest.mark.django_db

CONTENT_DIR = Path(settings.BASE_DIR) / "content"
SITE_PAGES = ["about", "editorial-policy", "accessibility"]


def breadcrumb(response) -> str:
    found = re.search(r'<nav aria-label="Breadcrumb".*?</nav>', response.content.decode(), re.DOTALL)
    assert found, "no breadcrumb"
    return found[0]


def make_site_page(**fields):
    return make_article(kind=Kind.PAGE, **{"title": "About us", "slug": "about", **fields})


def test_page_is_a_kind_staff_can_choose():
    assert Kind.PAGE == "page"
    assert Kind.PAGE.label == "Site page (about the clinic or this website; not listed among articles)"
    assert Kind.PAGE in Article._meta.get_field("kind").choices[-1]


@pytest.mark.parametrize("slug", SITE_PAGES)
def test_the_site_page_files_are_site_pages(slug):
    assert parse_file(CONTENT_DIR / f"{slug}.md").fields["kind"] == Kind.PAGE


def test_the_eligibility_guide_is_an_ordinary_article():
    fields = parse_file(CONTENT_DIR / "is-ketamine-right-for-me.md").fields
    assert fields["kind"] == Kind.GUIDE
    assert fields["status"] == "published"


def test_site_page_is_served_with_its_review_line_and_references(client):
    page = make_site_page(
        reviewer=make_clinician(name="Ada Lovelace", credentials="MD", slug="ada-lovelace"),
        body="## Who we are\n\nA small clinic.\n",
    )
    response = client.get(page.get_absolute_url())
    assert response.status_code == 200
    assertContains(response, "<h1>About us</h1>", html=True)
    assertContains(response, "A small clinic.")
    assertContains(response, 'Reviewed by <a href="/team/ada-lovelace/">Ada Lovelace, MD</a>', html=False)
    assertContains(response, "Next review due")
    assertContains(response, "Source 2. Journal, 2020.")


def test_site_page_has_no_reading_time_consultation_box_related_articles_or_articles_crumb(client):
    page = make_site_page()
    make_article(title="A guide on the same topic", topic=page.topic)
    response = client.get(page.get_absolute_url())
    assertNotContains(response, "min read")
    assertNotContains(response, 'class="cta-panel"')
    assertNotContains(response, "Wondering if treatment could help you?")
    assertNotContains(response, "Related articles")
    assert response.context["related"] == []
    assertNotContains(response, "Medically reviewed by")
    assert f'href="{reverse("articles:list")}"' not in breadcrumb(response)


def test_an_ordinary_article_keeps_its_reading_time_and_consultation_box(client):
    response = client.get(make_article().get_absolute_url())
    assertContains(response, "min read")
    assertContains(response, 'class="cta-panel"')
    assert f'href="{reverse("articles:list")}"' in breadcrumb(response)


def test_site_pages_are_not_in_the_article_list(client):
    make_site_page(title="About the clinic")
    make_article(title="How it works")
    response = client.get(reverse("articles:list"))
    assertContains(response, "How it works")
    assertNotContains(response, "About the clinic")
    assert [a.title for topic in response.context["topics"] for a in topic["articles"]] == ["How it works"]


def test_site_pages_are_never_related_articles(client):
    article = make_article(topic="care")
    make_site_page(topic="care", is_featured=True)
    others = [make_article(topic="support") for _ in range(2)]
    related = list(client.get(article.get_absolute_url()).context["related"])
    assert set(related) == set(others)


def test_site_pages_are_not_featured_on_the_home_page(client):
    make_site_page(title="About the clinic", is_featured=True)
    make_article(title="Featured guide", is_featured=True)
    response = client.get(reverse("pages:home"))
    assert [a.title for a in response.context["featured"]] == ["Featured guide"]


def test_listed_and_cards_leave_out_site_pages_but_published_keeps_them():
    page, guide = make_site_page(), make_article()
    assert set(Article.objects.published()) == {page, guide}
    assert list(Article.objects.published().listed()) == [guide]
    assert list(Article.objects.published().cards()) == [guide]


def test_site_page_runs_two_queries_article_and_references(client, django_assert_num_queries, warm_site_state):
    page = make_site_page()
    make_article(topic=page.topic)
    with django_assert_num_queries(2):  # no query for related articles
        client.get(page.get_absolute_url())


def test_home_page_links_the_practical_pages_and_the_site_pages(client):
    response = client.get(reverse("pages:home"))
    assertContains(response, '<h2 id="before-you-call-title">Before you call</h2>', html=True)
    for url in (
        reverse("articles:detail", args=["is-ketamine-right-for-me"]),
        reverse("practice:costs"),
        reverse("practice:visit"),
        reverse("practice:team"),
        *(reverse("articles:detail", args=[slug]) for slug in SITE_PAGES),
    ):
        assertContains(response, f'href="{url}"')


def test_the_navigation_has_the_practical_links_for_the_phone_menu(client):
    html = client.get(reverse("articles:list")).content.decode()
    for url, label in [
        (reverse("articles:detail", args=["is-ketamine-right-for-me"]), "Is it right for me?"),
        (reverse("practice:costs"), "Costs and insurance"),
        (reverse("practice:visit"), "Visiting us"),
    ]:
        # Twice: the wide nav and the phone menu render the same links (CSS shows one of them).
        assert html.count(f'<li class="nav-practical"><a href="{url}">{label}</a></li>') == 2, label
    assert html.count(f'<li class="nav-wide-only"><a href="{reverse("pages:home")}#before-you-call">') == 2
