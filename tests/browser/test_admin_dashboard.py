"""The dashboard on admin's home page, in chromium: a superuser with data on a desktop and a phone, in
light and dark mode, and a member of staff who may only see articles; axe on each."""

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Page, expect

from consultations.models import Status
from newsletter.models import Delivery, Issue
from tests.conftest import DESKTOP
from tests.factories import (
    log_in_verified,
    make_article,
    make_consultation,
    make_staff,
    make_subscriber,
    placeholder_reviewer,
)

pytestmark = pytest.mark.browser
PHONE_390 = {"width": 390, "height": 844}


def sign_in(page: Page, live_server, user) -> None:
    """Sign in as if with password and authenticator code, by handing the browser a session."""
    client = Client()
    log_in_verified(client, user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


@pytest.fixture
def clinic_with_data(live_server):
    placeholder_reviewer()  # what migrations made may be gone: earlier live-server tests empty the database
    now = timezone.now()
    for days in (0, 0, 1, 3, 8, 9, 15, 30, 31, 50, 70):
        make_consultation(created_at=now - dt.timedelta(days=days))
    make_consultation(status=Status.CONTACTED, created_at=now - dt.timedelta(days=2))
    make_article(title="Ketamine and sleep: what to expect", published_at=now + dt.timedelta(days=2, hours=3))
    make_article(title="Overdue guide", next_review_due=timezone.localdate() - dt.timedelta(days=3))
    make_article(title="Due soon guide", next_review_due=timezone.localdate() + dt.timedelta(days=12))
    issue = Issue.objects.create(subject="Winter news", body="Hello.", status="sending", send_started_at=now)
    for status in ("sent", "sent", "sent", "failed", "pending"):
        Delivery.objects.create(issue=issue, subscriber=make_subscriber(), status=status)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE_390], ids=["1280", "390"])
def test_a_superuser_sees_the_dashboard_light_and_dark(
    page: Page, live_server, clinic_with_data, viewport, assert_accessible, assert_no_foreign_requests
):
    page.set_viewport_size(viewport)
    sign_in(page, live_server, make_staff(username="admin"))
    page.goto(live_server.url + "/admin/")

    requests = page.get_by_role("region", name="Consultation requests")
    expect(requests.get_by_role("link", name="11 new", exact=True)).to_be_visible()
    expect(requests.get_by_role("link", name="12 not assigned to anyone")).to_be_visible()
    chart = page.get_by_role("img", name="Consultation requests per week over the last 12 weeks")
    expect(chart).to_be_visible()
    expect(page.get_by_role("table", name="Consultation requests per week")).to_have_count(1)
    articles = page.get_by_role("region", name="Articles")
    expect(articles.get_by_role("link", name="Ketamine and sleep: what to expect")).to_be_visible()
    expect(articles.get_by_role("link", name="1 overdue for review")).to_be_visible()
    newsletter = page.get_by_role("region", name="Newsletter")
    expect(newsletter).to_contain_text("Winter news")
    expect(newsletter).to_contain_text("3 sent")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], "scrolls sideways"
    box = chart.bounding_box()
    assert box["width"] > 250 and box["height"] > 80  # drawn at a readable size
    assert_accessible(page)
    bar = page.locator(".dashboard-chart-bar").first
    light_fill = bar.evaluate("bar => getComputedStyle(bar).fill")

    page.emulate_media(color_scheme="dark")
    dark_fill = bar.evaluate("bar => getComputedStyle(bar).fill")
    assert "rgb(0, 0, 0)" not in (light_fill, dark_fill), "bars take admin's link colour, not SVG's default black"
    assert dark_fill != light_fill, "the chart follows admin's dark mode"
    assert_accessible(page)

    requests.get_by_role("link", name="11 new", exact=True).click()
    expect(page.get_by_text("11 results")).to_be_visible()
    assert_no_foreign_requests()


def test_staff_who_may_only_view_articles_see_only_the_articles_card(
    page: Page, live_server, clinic_with_data, assert_accessible
):
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server, make_staff(username="editor", superuser=False, permissions=["articles.view_article"]))
    page.goto(live_server.url + "/admin/")

    expect(page.get_by_role("region", name="Articles")).to_be_visible()
    expect(page.get_by_role("region", name="Consultation requests")).to_have_count(0)
    expect(page.get_by_role("img", name="Consultation requests per week over the last 12 weeks")).to_have_count(0)
    expect(page.get_by_role("region", name="Newsletter")).to_have_count(0)
    assert_accessible(page)


def test_staff_with_no_permission_see_a_short_message(page: Page, live_server, assert_accessible):
    placeholder_reviewer()
    page.set_viewport_size(PHONE_390)
    sign_in(page, live_server, make_staff(username="newcomer", superuser=False))
    page.goto(live_server.url + "/admin/")
    expect(
        page.get_by_text("Your account cannot see consultation requests, articles or the newsletter yet.")
    ).to_be_visible()
    assert_accessible(page)
