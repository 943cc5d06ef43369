"""A person in crisis opens the crisis page on a phone or a desktop: big call and text buttons on the first
screen, nothing to sell, and the clinic's own number one tap away in the header of every page."""

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser

CRISIS_BUTTONS = [
    ("Call 988", "tel:988"),
    ("Text 988", "sms:988"),
    ("Text HOME to 741741", "sms:741741?body=HOME"),
    ("Call 911", "tel:911"),
]
MIN_TAP = 44  # px, WCAG 2.5.5 and the style guide
MIN_BUTTON_HEIGHT = 48  # the crisis buttons are bigger still


def box_of(locator: Locator) -> dict:
    box = locator.bounding_box()
    assert box, f"{locator} has no box (hidden?)"
    return box


def assert_on_first_screen(locator: Locator, viewport: dict) -> None:
    box = box_of(locator)
    assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"], f"{locator} is below the first screen"
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], f"{locator} is off the side"


def assert_header_call_link(page: Page, viewport: dict) -> None:
    call = page.locator("header.site-header").get_by_role("link", name="Call the clinic (555) 010-0199")
    expect(call).to_be_visible()
    expect(call).to_have_attribute("href", "tel:5550100199")
    box = box_of(call)
    assert box["height"] >= MIN_TAP and box["width"] >= MIN_TAP, box
    assert_on_first_screen(call, viewport)
    # Beside the brand and the Menu, never on top of them.
    brand = box_of(page.locator("a.brand"))
    others = [brand] + ([box_of(page.locator("details.nav-menu > summary"))] if viewport == PHONE else [])
    for other in others:
        apart = (
            box["x"] + box["width"] <= other["x"]
            or other["x"] + other["width"] <= box["x"]
            or box["y"] + box["height"] <= other["y"]
            or other["y"] + other["height"] <= box["y"]
        )
        assert apart, f"the call link {box} overlaps {other}"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_crisis_page_puts_call_and_text_buttons_on_the_first_screen(
    page: Page, live_server, content, viewport, assert_accessible, assert_no_foreign_requests
):
    page.set_viewport_size(viewport)
    page.goto(live_server.url + "/articles/crisis-support/")
    expect(page.get_by_role("heading", level=1)).to_have_text("If you are in crisis now")

    card = page.get_by_role("region", name="Urgent: Get help now")
    expect(card).to_be_visible()
    for name, href in CRISIS_BUTTONS:
        button = card.get_by_role("link", name=name, exact=True)
        expect(button).to_have_attribute("href", href)
        box = box_of(button)
        assert box["height"] >= MIN_BUTTON_HEIGHT, (name, box)
        if viewport == PHONE:  # full width of the card on a phone
            assert box["width"] >= box_of(card)["width"] - 40, (name, box)
        assert_on_first_screen(button, viewport)
    for text in ("press 2", "videophone", "ASL Now", "press 1"):
        expect(card).to_contain_text(text)

    # Nothing between the title and the help, and nothing to sell.
    for hidden in (".cta-panel", ".toc", ".article-meta", ".crisis-bar"):
        expect(page.locator(hidden)).to_be_hidden()
    expect(page.get_by_role("heading", name="Ways to reach someone now")).to_be_attached()
    expect(page.get_by_role("heading", name="References")).to_be_attached()

    assert_header_call_link(page, viewport)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert_accessible(page)
    assert_no_foreign_requests()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_other_pages_keep_the_crisis_bar_and_show_the_clinics_number(
    page: Page, live_server, content, viewport, assert_accessible
):
    page.set_viewport_size(viewport)
    for path in ["/", "/articles/how-ketamine-works/"]:
        page.goto(live_server.url + path)
        bar = page.locator(".crisis-bar")
        expect(bar).to_be_visible()
        expect(bar.get_by_role("link", name="text 988")).to_have_attribute("href", "sms:988")
        assert_header_call_link(page, viewport)
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    expect(page.locator(".cta-panel")).to_be_visible()
    expect(page.locator(".urgent-card")).to_have_count(0)
    assert_accessible(page)
