"""A patient checks what treatment costs, on a phone and on a desktop: the price list, a section
reached from "On this page", and their right to a Good Faith Estimate."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from practice.models import CostSection, PriceItem
from tests.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser


@pytest.fixture
def costs(live_server):
    """Live-server tests get a database emptied after each test: the sections a migration made
    may be gone, so the ones this journey needs are made here."""
    CostSection.objects.get_or_create(
        slug="insurance",
        defaults={"title": "Insurance", "order": 0, "body": "Most plans do not pay for ketamine infusions."},
    )
    CostSection.objects.get_or_create(
        slug="payment-plans",
        defaults={"title": "Payment plans", "order": 1, "body": "Ask us about:\n\n- paying in parts\n- HSA cards\n"},
    )
    PriceItem.objects.create(
        service="First series of six ketamine infusions for depression",
        price=Decimal("2700"),
        is_from_price=True,
        included="Screening visit, six infusions with monitoring and recovery, and a follow-up call",
        typical_sessions="6 sessions over 2 to 3 weeks",
        order=1,
    )
    PriceItem.objects.create(service="Spravato (esketamine) treatment session", price=None, order=2)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_patient_reads_prices_and_their_right_to_an_estimate(
    page: Page, live_server, costs, viewport, tmp_path, assert_accessible, assert_no_foreign_requests
):
    page.set_viewport_size(viewport)
    page.goto(live_server.url + "/costs/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Costs and insurance")

    prices = page.locator("#prices")
    expect(prices.get_by_text("from $2,700", exact=True)).to_be_visible()
    expect(prices.get_by_role("link", name="(555) 010-0199")).to_have_attribute("href", "tel:5550100199")

    width = viewport["width"]
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"/costs/ scrolls sideways: {scroll_width}px wide at {width}px"
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 16
    assert_accessible(page)
    page.screenshot(path=tmp_path / f"costs-{width}.png", full_page=True)  # kept for a failing run

    # "On this page" takes the reader to a staff-written section, by its slug.
    page.get_by_role("navigation", name="On this page").get_by_role("link", name="Insurance").click()
    expect(page).to_have_url(re.compile(r"/costs/#insurance$"))
    expect(page.locator("#insurance h2")).to_be_in_viewport()

    notice = page.locator("#good-faith-estimate")
    expect(notice.get_by_role("heading", level=2)).to_have_text("Your right to a cost estimate")
    expect(notice.get_by_role("link", name="government’s No Surprises page")).to_have_attribute(
        "href", "https://www.cms.gov/nosurprises"
    )
    assert_no_foreign_requests()
