"""axe-core finds no WCAG 2.2 A/AA violations on any public page, on a phone and on a desktop.

One test per viewport visits every page with the same browser page (a subtest each), which is several
times faster than a test per page: each test costs a database flush, a content load and a new context.
"""

import pytest
from playwright.sync_api import Page, expect

from articles.models import Article
from tests.browser.conftest import CONTENT_SLUGS
from tests.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser


def open_menu(page: Page):
    menu = page.locator("details.nav-menu")
    menu.locator("summary").click()
    expect(menu.get_by_role("link", name="Articles")).to_be_visible()


def open_every_question(page: Page):
    questions = page.locator("details.faq")
    first_id = questions.first.get_attribute("id")
    page.goto(f"{page.url.split('#')[0]}#{first_id}")  # as a shared link to one question opens it
    expect(questions.first).to_have_attribute("open", "")
    for index in range(1, questions.count()):
        questions.nth(index).locator("summary").click()
    expect(page.locator("details.faq:not([open])")).to_have_count(0)


def public_pages(viewport_name: str):
    """(name, path, expected status, what to do before the check) for every page a visitor can reach."""
    yield "home", "/", 200, None
    if viewport_name == "phone":
        yield "home, menu open", "/", 200, open_menu
    yield "article list", "/articles/", 200, None
    published = {article.slug for article in Article.objects.all() if article.is_published}
    for slug in CONTENT_SLUGS:  # a draft in content/ is a 404 for visitors, and is checked as one
        yield slug, f"/articles/{slug}/", 200 if slug in published else 404, None
    yield "faq, every question open", "/articles/faq/", 200, open_every_question
    for path in [
        "/privacy/",
        "/consultation/",
        "/consultation/thanks/",
        "/newsletter/",
        "/newsletter/check-your-email/",
        "/team/",
        "/team/medical-reviewer/",
        "/costs/",
        "/visit/",
        "/pre-check/",
        "/search/?q=ketamine",
    ]:
        yield path, path, 200, None
    yield "404 page", "/no-such-page/", 404, None
    yield "404 article", "/articles/no-such-article/", 404, None


@pytest.mark.parametrize("viewport_name", ["phone", "desktop"])
def test_every_public_page_is_accessible(
    page: Page, live_server, content, viewport_name, subtests, assert_accessible, assert_no_foreign_requests
):
    page.set_viewport_size({"phone": PHONE, "desktop": DESKTOP}[viewport_name])
    pages = list(public_pages(viewport_name))
    for name, path, status, prepare in pages:
        with subtests.test(msg=name):
            response = page.goto(live_server.url + path)
            assert response.status == status
            if prepare:
                prepare(page)
            if viewport_name == "phone":  # reflow (WCAG 1.4.10), which axe does not check
                scroll_width = page.evaluate("document.documentElement.scrollWidth")
                assert scroll_width <= PHONE["width"], f"scrolls sideways: {scroll_width}px wide"
            assert_accessible(page)
    assert_no_foreign_requests()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_page_for_a_request_we_cannot_read_is_accessible(page: Page, live_server, viewport, assert_accessible):
    page.set_viewport_size(viewport)
    page.set_extra_http_headers({"Content-Type": "text/plain; charset=latin-1"})  # any charset but UTF-8
    response = page.goto(live_server.url + "/articles/")
    assert response.status == 400
    expect(page.get_by_role("heading", level=1)).to_have_text("We could not read that request")
    expect(page.get_by_role("link", name="988").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert_accessible(page)
