"""A patient on a phone finds out what decides whether to call: the price list, how to get there,
who reviewed what they read, and whether treatment could be right for them."""

from datetime import time

import pytest
from playwright.sync_api import Page, expect

from practice.models import Location, OpeningHours, PriceItem
from tests.conftest import PHONE

pytestmark = pytest.mark.browser


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def before_you_call(page: Page, live_server, name: str):
    page.goto(live_server.url + "/")
    page.get_by_role("region", name="Before you call").get_by_role("link", name=name).click()


def test_from_the_home_page_to_prices_visiting_a_reviewer_and_eligibility(
    page: Page, live_server, content, assert_accessible, assert_no_foreign_requests
):
    PriceItem.objects.create(service="Ketamine infusion", price=450, included="Monitoring by a nurse throughout.")
    Location.objects.all().delete()  # a fresh install's own location, where a migration left one
    location = Location.objects.create(
        name="Our clinic", slug="clinic", street_address="12 Lake Road", locality="Springfield, IL 62701",
        parking="Free parking behind the building.",
    )  # fmt: skip
    for weekday in range(5):
        OpeningHours.objects.create(location=location, weekday=weekday, opens=time(8), closes=time(17))
    page.set_viewport_size(PHONE)

    before_you_call(page, live_server, "Costs and insurance")
    expect(heading(page)).to_have_text("Costs and insurance")
    expect(page.get_by_text("$450")).to_be_visible()
    expect(
        page.get_by_role("link", name="https://www.cms.gov/nosurprises")
        .or_(page.locator('a[href="https://www.cms.gov/nosurprises"]'))
        .first
    ).to_be_attached()
    assert_accessible(page)

    before_you_call(page, live_server, "Visiting us")
    expect(heading(page)).to_be_visible()
    expect(page.get_by_text("12 Lake Road").first).to_be_visible()
    expect(page.get_by_text("Free parking behind the building.")).to_be_visible()
    assert_accessible(page)

    page.goto(live_server.url + "/articles/what-to-expect/")
    page.get_by_role("link", name="Medical reviewer, MD").click()
    expect(heading(page)).to_have_text("Medical reviewer, MD")
    assert_accessible(page)

    before_you_call(page, live_server, "Is it right for me?")
    expect(heading(page)).to_contain_text("right for me")
    expect(page.get_by_text("Only a clinician").first).to_be_visible()
    assert_accessible(page)
    assert_no_foreign_requests()
