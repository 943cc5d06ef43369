"""Home page, error pages and the parts every page shares."""

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from articles.models import Status
from tests.factories import make_article
from tests.html_checks import assert_self_contained

pytestmark = pytest.mark.django_db


def test_home_explains_treatment_lists_featured_articles_and_the_crisis_line(client):
    make_article(title="Featured guide", is_featured=True)
    make_article(title="Ordinary guide")
    make_article(title="Featured draft", is_featured=True, status=Status.DRAFT)
    response = client.get(reverse("pages:home"))
    assertTemplateUsed(response, "pages/home.html")
    assertContains(response, "Ketamine is a medicine")
    assertContains(response, "Featured guide")
    assertNotContains(response, "Ordinary guide")
    assertNotContains(response, "Featured draft")
    assertContains(response, 'href="tel:988"')


def test_every_page_has_skip_link_navigation_footer_disclaimer_and_988(client):
    article = make_article()
    for url in ("/", "/articles/", article.get_absolute_url(), "/missing/"):
        response = client.get(url)
        html = response.content.decode()
        assert '<a class="skip-link" href="#main">Skip to main content</a>' in html, url
        assert '<main id="main"' in html
        for label in ("Home", "Articles", "What to expect", "FAQ", "Crisis support"):
            assert f">{label}</a>" in html, (url, label)
        assert "Information, not medical advice." in html
        assert 'call or text <a href="tel:988">988</a>' in html.lower()
        assert "100 Main Street" in html and "Monday to Friday" in html


def test_home_page_runs_one_query_uncached_and_none_cached(
    client, wsgi_client, django_assert_num_queries, warm_site_state
):
    for _ in range(4):
        make_article(is_featured=True)
    with django_assert_num_queries(1):
        response = client.get("/")
    assert len(response.context["featured"]) == 4
    wsgi_client.get("/")  # stored by the page cache
    with django_assert_num_queries(0):
        wsgi_client.get("/")


def test_404_page_is_designed(client):
    response = client.get("/no/such/page/")
    assertTemplateUsed(response, "404.html")
    assertContains(response, "We can’t find that page", status_code=404)


def test_500_page_is_designed_and_needs_no_database(db, settings):
    settings.ROOT_URLCONF = "tests.pages.urls_failing"
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    assertContains(response, "Sorry, something went wrong on our side", status_code=500)
    assertContains(response, 'href="tel:988"', status_code=500)


def test_no_third_party_assets_or_inline_code_in_any_page(client):
    article = make_article(kind="faq", body="## Group\n\n### Question?\n\nAnswer.\n")
    for url in ("/", "/articles/", article.get_absolute_url(), "/missing/"):
        assert_self_contained(client.get(url).content.decode(), url)
