"""A long list of articles comes a page at a time: a reader moves through the pages on a phone, with axe."""

import pytest
from playwright.sync_api import Page, expect

from articles.models import Article
from tests.conftest import PHONE
from tests.factories import make_article

pytestmark = pytest.mark.browser


def test_reader_moves_through_the_pages_of_articles(page: Page, live_server, content, assert_accessible):
    extra = 30 - Article.objects.published().listed().count()  # 30 in all: 20, then 10 on page 2
    for number in range(extra):
        make_article(slug=f"note-{number:02}", title=f"Aftercare note {number:02}", topic="care", order=100 + number)
    page.set_viewport_size(PHONE)

    page.goto(live_server.url + "/articles/")
    pages = page.get_by_role("navigation", name="Pages of articles")
    expect(pages).to_contain_text("Page 1 of 2")
    expect(page.locator(".cards li")).to_have_count(20)
    assert_accessible(page)

    pages.get_by_role("link", name="Next page").click()
    expect(page).to_have_url(live_server.url + "/articles/page/2/")
    expect(page).to_have_title("Articles (page 2 of 2) · Riverside Ketamine Clinic")
    expect(page.locator(".cards li")).to_have_count(10)
    assert_accessible(page)

    page.get_by_role("navigation", name="Pages of articles").get_by_role("link", name="Previous page").click()
    expect(page).to_have_url(live_server.url + "/articles/")
