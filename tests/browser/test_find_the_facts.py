"""A visitor on a small phone finds the practical facts before calling: whether treatment may be right
for them, what it costs and how to visit, each one tap from the home page and from the phone menu."""

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser

# (link text, path, the page's h1 or None where the page belongs to others and only its h1 is checked)
PRACTICAL_PAGES = [
    ("Is it right for me?", "/articles/is-ketamine-right-for-me/", "Is ketamine treatment right for me?"),
    ("Costs and insurance", "/costs/", None),
    ("Visiting us", "/visit/", None),
]


def tap_and_arrive(page: Page, link: Locator, path: str, heading: str | None):
    with page.expect_navigation() as navigation:
        link.click()
    assert navigation.value.status == 200
    assert page.url.endswith(path)
    h1 = page.get_by_role("heading", level=1)
    expect(h1).to_have_count(1)
    if heading:
        expect(h1).to_have_text(heading)
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


@pytest.mark.parametrize(("name", "path", "heading"), PRACTICAL_PAGES, ids=["eligibility", "costs", "visit"])
def test_a_phone_reaches_each_practical_page_in_one_tap_from_the_home_page_and_from_the_menu(
    page: Page, live_server, content, name, path, heading, assert_accessible, assert_no_foreign_requests
):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/")
    section = page.locator("#before-you-call")
    expect(section.get_by_role("heading", level=2)).to_have_text("Before you call")
    tap_and_arrive(page, section.get_by_role("link", name=name, exact=True), path, heading)
    assert_accessible(page)

    page.goto(live_server.url + "/")
    menu = page.locator("details.nav-menu")
    menu.locator("summary").click()
    tap_and_arrive(page, menu.get_by_role("link", name=name, exact=True), path, heading)
    # The page's own link in the menu says so.
    page.locator("details.nav-menu summary").click()
    expect(page.locator("details.nav-menu").get_by_role("link", name=name, exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    assert_accessible(page)
    assert_no_foreign_requests()


def test_on_a_desktop_the_navigation_leads_to_the_practical_links_on_the_home_page(
    page: Page, live_server, content, assert_accessible, assert_no_foreign_requests
):
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/articles/how-ketamine-works/")
    nav = page.get_by_role("navigation", name="Main", exact=True)
    for name, _, _ in PRACTICAL_PAGES:  # no room for them in the wide navigation
        expect(nav.get_by_role("link", name=name, exact=True)).to_have_count(0)
    nav.get_by_role("link", name="Before you call").click()
    section = page.locator("#before-you-call")
    expect(section).to_be_in_viewport()
    for name, _, _ in PRACTICAL_PAGES:
        expect(section.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(section.get_by_role("link", name="Our team", exact=True)).to_be_visible()
    tap_and_arrive(page, section.get_by_role("link", name="Costs and insurance"), "/costs/", None)
    assert_accessible(page)
    assert_no_foreign_requests()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_site_pages_are_linked_from_the_home_page_and_accessible(
    page: Page, live_server, content, viewport, assert_accessible
):
    page.set_viewport_size(viewport)
    for name, heading in [
        ("about us", "About us"),
        ("editorial policy", "Our editorial policy"),
        ("accessibility statement", "Accessibility statement"),
    ]:
        page.goto(live_server.url + "/")
        page.locator("#before-you-call").get_by_role("link", name=name, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(page.get_by_text("min read")).to_have_count(0)
        expect(page.locator(".cta-panel")).to_have_count(0)
        expect(page.locator("p.review")).to_contain_text("Reviewed by")
        assert_accessible(page)
