"""A patient finds out how to get to the clinic, on a phone and on a desktop: from any page's footer
to the visit page, with the address, a map link, the opening hours and how to get in; and, once
the clinic has a second location, from the list to that location's page."""

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from practice.models import Location, OpeningHours
from tests.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser


def make_location(name: str, slug: str, periods, **fields) -> Location:
    location = Location.objects.create(name=name, slug=slug, locality="Springfield, IL 62701", **fields)
    for weekday, opens, closes in periods:
        OpeningHours.objects.create(location=location, weekday=weekday, opens=dt.time(opens), closes=dt.time(closes))
    return location


@pytest.fixture
def clinic(live_server):
    """Live-server tests get a database emptied after each test: the location a migration made may be
    gone (or not, in the session's first test), so the one this journey needs is made here."""
    Location.objects.filter(slug="clinic").delete()
    weekdays = [(day, 8, 17) for day in range(5)]
    return make_location(
        "Our clinic",
        "clinic",
        [*weekdays, (5, 9, 13)],
        street_address="100 Main Street, Suite 200",
        directions="We are on the **second floor**, above the pharmacy. The entrance is on Elm Street.",
        parking="Free parking behind the building. Spaces near the door are kept for patients after treatment.",
        public_transport="Bus routes 7 and 12 stop outside, at *Main and Elm*.",
        accessibility="- Step-free entrance from the car park\n- A lift to every floor\n- An accessible restroom",
    )


def no_sideways_scroll(page: Page, width: int) -> None:
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} scrolls sideways: {scroll_width}px wide at {width}px"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_patient_finds_the_address_hours_and_way_in(
    page: Page, live_server, clinic, viewport, tmp_path, assert_accessible, assert_no_foreign_requests
):
    width = viewport["width"]
    page.set_viewport_size(viewport)
    page.goto(live_server.url + "/articles/")
    footer = page.locator("footer")
    expect(footer.get_by_text("Monday to Friday: 8 am to 5 pm")).to_be_visible()
    expect(footer.get_by_text("Sunday: closed")).to_be_visible()
    footer.screenshot(path=tmp_path / f"footer-{width}.png")
    footer.get_by_role("link", name="Visiting us: directions, parking and access").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Visiting us")
    expect(page.locator(".visit-card address")).to_contain_text("100 Main Street, Suite 200")
    map_link = page.get_by_role("link", name="Open in a map (on the OpenStreetMap website)")
    expect(map_link).to_have_attribute(
        "href", "https://www.openstreetmap.org/search?query=100+Main+Street%2C+Suite+200%2C+Springfield%2C+IL+62701"
    )
    expect(map_link).to_have_attribute("rel", "external noreferrer")
    hours = page.locator(".opening-hours > div")
    expect(hours).to_have_text(["Monday to Friday8 am to 5 pm", "Saturday9 am to 1 pm", "SundayClosed"])
    expect(page.get_by_role("heading", name="Getting into the building")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="A lift to every floor")).to_be_visible()

    no_sideways_scroll(page, width)
    assert_accessible(page)
    page.screenshot(path=tmp_path / f"visit-{width}.png", full_page=True)
    assert_no_foreign_requests()


def test_with_a_second_location_patient_picks_one_from_the_list(
    page: Page, live_server, clinic, tmp_path, assert_accessible, assert_no_foreign_requests
):
    make_location(
        "Eastside clinic", "eastside", [(3, 12, 19)], street_address="9 Oak Avenue", phone="(217) 555-0142", order=1
    )
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/visit/")
    expect(page.get_by_role("main").get_by_role("heading", level=2)).to_have_text(["Our clinic", "Eastside clinic"])
    no_sideways_scroll(page, PHONE["width"])
    assert_accessible(page)
    page.screenshot(path=tmp_path / "visit-list-320.png", full_page=True)

    page.get_by_role("link", name="Eastside clinic", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Eastside clinic")
    hours = page.locator(".opening-hours > div")
    expect(hours).to_have_text(["Monday to WednesdayClosed", "ThursdayNoon to 7 pm", "Friday to SundayClosed"])
    expect(page.locator(".visit-card").get_by_role("link", name="(217) 555-0142")).to_have_attribute(
        "href", "tel:2175550142"
    )
    no_sideways_scroll(page, PHONE["width"])
    assert_accessible(page)
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Visiting us").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Visiting us")
    assert_no_foreign_requests()
