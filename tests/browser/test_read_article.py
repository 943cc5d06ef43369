"""A patient reads the site on a phone and on a desktop: home, articles, an article's contents, the FAQ."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser

ARTICLE_TITLE = "How ketamine works for depression"


def open_nav(page: Page):
    """The main navigation as the viewport shows it: a "Menu" disclosure on phones, links on desktops."""
    wide = page.get_by_role("navigation", name="Main", exact=True)
    if wide.is_visible():
        return wide
    menu = page.locator("details.nav-menu")
    menu.get_by_text("Menu", exact=True).click()
    expect(menu).to_have_attribute("open", "")
    return page.get_by_role("navigation", name="Main menu")


def assert_readable_without_sideways_scrolling(page: Page, width: int):
    """No sideways scrolling (WCAG 1.4.10 reflow at 320px) and body text of at least 16px."""
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} scrolls sideways: {scroll_width}px wide at {width}px"
    font_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert font_size >= 16, f"{page.url}: body text is {font_size}px"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_patient_reads_an_article_and_the_faq(page: Page, live_server, content, viewport, assert_no_foreign_requests):
    page.set_viewport_size(viewport)
    phone = viewport == PHONE

    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ketamine treatment for depression")
    expect(page.locator("details.nav-menu")).to_be_visible(visible=phone)
    expect(page.get_by_role("navigation", name="Main", exact=True)).to_be_visible(visible=not phone)
    assert_readable_without_sideways_scrolling(page, viewport["width"])

    # Home -> Articles, through the main navigation.
    open_nav(page).get_by_role("link", name="Articles", exact=True).click()
    expect(page).to_have_url(live_server.url + "/articles/")
    expect(page.get_by_role("heading", level=1, name="Articles")).to_be_visible()
    expect(page.locator("nav.nav-wide [aria-current=page]")).to_have_text("Articles")
    assert_readable_without_sideways_scrolling(page, viewport["width"])

    # Articles -> an article.
    page.get_by_role("link", name=ARTICLE_TITLE).click()
    expect(page).to_have_url(live_server.url + "/articles/how-ketamine-works/")
    expect(page.get_by_role("heading", level=1)).to_have_text(ARTICLE_TITLE)
    assert_readable_without_sideways_scrolling(page, viewport["width"])

    # A table-of-contents link moves the reader to its section.
    toc = page.get_by_role("navigation", name="On this page")
    link = toc.get_by_role("link").nth(3)
    section_title = link.inner_text()
    target_id = link.get_attribute("href").removeprefix("#")
    heading = page.locator(f"h2#{target_id}")
    expect(heading).to_have_text(section_title)
    expect(heading).not_to_be_in_viewport()
    link.click()
    expect(page).to_have_url(re.compile(f"#{re.escape(target_id)}$"))
    expect(heading).to_be_in_viewport()

    # The FAQ, through the main navigation.
    open_nav(page).get_by_role("link", name="FAQ", exact=True).click()
    expect(page).to_have_url(live_server.url + "/articles/faq/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Frequently asked questions")
    questions = page.locator("details.faq")
    assert questions.count() >= 10
    for index in range(questions.count()):
        expect(questions.nth(index)).not_to_have_attribute("open", "")

    # A link to one question (as shared by the clinic) opens it, on page load...
    question = questions.nth(5)
    question_id = question.get_attribute("id")
    assert question_id
    page.goto(live_server.url + "/")
    page.goto(f"{live_server.url}/articles/faq/#{question_id}")
    expect(question).to_have_attribute("open", "")
    expect(question.locator("summary")).to_be_in_viewport()
    expect(question.locator("p").first).to_be_visible()
    # Chromium leaves focus on the page after a fragment load, but the next Tab reaches the question.
    page.keyboard.press("Tab")
    expect(question.locator("summary")).to_be_focused()

    # ...and when the address changes on the page (the "Link to this question" links).
    other = questions.nth(1)
    page.goto(f"{live_server.url}/articles/faq/#{other.get_attribute('id')}")
    expect(other).to_have_attribute("open", "")
    expect(other.locator("summary")).to_be_focused()
    expect(other.locator("summary")).to_be_in_viewport()

    # Clicking a question's summary opens it, and clicking again closes it.
    third = questions.nth(2)
    answer = third.locator("p").first
    expect(answer).to_be_hidden()
    third.locator("summary").click()
    expect(third).to_have_attribute("open", "")
    expect(answer).to_be_visible()
    third.locator("summary").click()
    expect(third).not_to_have_attribute("open", "")

    assert_no_foreign_requests()
