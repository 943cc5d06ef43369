"""A patient on a phone searches from the header, reads the results and opens one; the search pages pass axe."""

import re

import pytest
from playwright.sync_api import Page, expect

from search.query import PAGE_SIZE
from tests.conftest import DESKTOP, PHONE
from tests.factories import make_article

pytestmark = pytest.mark.browser


def assert_no_sideways_scrolling(page: Page, width: int):
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} scrolls sideways: {scroll_width}px wide at {width}px"


def test_patient_searches_from_the_header_on_a_phone(page: Page, live_server, content, assert_no_foreign_requests):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/articles/what-to-expect/")
    assert_no_sideways_scrolling(page, PHONE["width"])

    # The box is in the header, without opening the menu, with its label and a visible button.
    box = page.get_by_role("search").get_by_role("searchbox", name="Search this site")
    expect(box).to_be_visible()
    expect(box).to_have_value("")
    expect(page.get_by_role("search").get_by_role("button", name="Search")).to_be_visible()
    expect(page.locator("details.nav-menu")).not_to_have_attribute("open", "")

    # Keyboard only: focus the box, type, press Enter.
    box.focus()
    page.keyboard.type("ketamine bladder")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=ketamine\+bladder$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    expect(page.get_by_role("searchbox", name="Search our articles")).to_have_value("ketamine bladder")
    expect(page.get_by_text(re.compile(r"^\d+ articles? match(es)? “ketamine bladder”"))).to_be_visible()
    expect(page.locator(".search-result mark").first).to_be_visible()
    assert_no_sideways_scrolling(page, PHONE["width"])

    # Open a result.
    result = page.locator(".search-result h2 a").filter(has_text="Risks and side effects")
    result.click()
    expect(page).to_have_url(live_server.url + "/articles/risks-and-side-effects/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Risks and side effects")
    # A new search from the article's header starts empty: the box is never filled in for you.
    expect(page.get_by_role("searchbox", name="Search this site")).to_have_value("")
    assert_no_foreign_requests()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_search_pages_are_accessible(page: Page, live_server, content, viewport, assert_accessible):
    page.set_viewport_size(viewport)
    for number in range(PAGE_SIZE + 1):
        make_article(slug=f"aftercare-{number}", title=f"Aftercare note {number}", references=0)
    for query, expected in [
        ("?q=ketamine", "articles match “ketamine”"),
        ("?q=aftercare+note&page=2", "Page 2 of 2"),  # with links to the other pages
        ("?q=zebra+unicorn", "No articles match"),
        ("", "Type a word or two"),
        ("?q=" + "ketamine+" * 40, "That was a long search"),
    ]:
        page.goto(f"{live_server.url}/search/{query}")
        expect(page.get_by_text(expected).first).to_be_visible()
        assert_no_sideways_scrolling(page, viewport["width"])
        assert_accessible(page)


def test_the_header_box_sits_in_the_first_row_on_a_desktop(page: Page, live_server, content):
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/")
    brand = page.locator(".brand").bounding_box()
    box = page.get_by_role("searchbox", name="Search this site").bounding_box()
    call = page.locator(".header-call").bounding_box()
    # One row: the box beside the brand and the clinic's number, not pushed onto a line of its own.
    for other in (brand, call):
        assert abs((box["y"] + box["height"] / 2) - (other["y"] + other["height"] / 2)) < 12
    assert brand["x"] + brand["width"] < box["x"] < call["x"]
