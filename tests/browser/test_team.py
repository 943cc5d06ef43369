"""A patient checks who reviewed what they read: from an article's byline to the clinician's page and the team."""

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_from_an_articles_byline_to_its_reviewer_and_the_team(
    page: Page, live_server, content, viewport, assert_accessible, assert_no_foreign_requests
):
    page.set_viewport_size(viewport)
    page.goto(live_server.url + "/articles/how-ketamine-works/")
    page.get_by_role("link", name="Medical reviewer, MD").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Medical reviewer, MD")
    expect(page.get_by_role("link", name="How ketamine works for depression")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Our team").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Our team")
    expect(page.get_by_role("link", name="Medical reviewer, MD")).to_be_visible()
    assert_accessible(page)
    assert_no_foreign_requests()
