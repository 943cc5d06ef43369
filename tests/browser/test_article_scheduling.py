"""Scheduling that cannot surprise: staff see Live and Scheduled apart, and a save that would take a live
article off the site asks first, with the choice to keep it live."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from articles.admin import NOTHING_SAVED
from articles.models import State, Status
from staff.history import clinic_datetime
from tests.articles.test_history import LONG_BODY
from tests.browser.conftest import sign_in_to_admin
from tests.conftest import DESKTOP, PHONE
from tests.factories import enroll_totp, make_article, make_editor

pytestmark = pytest.mark.browser


def sign_in(page: Page, live_server) -> None:
    """Sign in as an editor through admin's own form: password and authenticator code."""
    sign_in_to_admin(page, live_server, "editor", enroll_totp(make_editor()))


def visitor_status(browser: Browser, url: str) -> int:
    context = browser.new_context()  # no staff cookies
    try:
        return context.new_page().goto(url).status
    finally:
        context.close()


def state_cell(page: Page, title: str):
    return page.get_by_role("row").filter(has=page.get_by_role("link", name=title, exact=True)).locator(".field-state")


def test_changelist_tells_live_and_scheduled_apart(
    page: Page, live_server, assert_accessible, assert_no_foreign_requests
):
    soon = timezone.now() + dt.timedelta(days=20)
    make_article(title="Already live", published_at=timezone.now() - dt.timedelta(days=3))
    make_article(title="Coming soon", published_at=soon)
    make_article(title="Not ready", status=Status.DRAFT)
    sign_in(page, live_server)

    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/admin/articles/article/")
    expect(state_cell(page, "Already live")).to_have_text("Live")
    expect(state_cell(page, "Coming soon")).to_have_text(f"Scheduled · {clinic_datetime(soon)}")
    expect(state_cell(page, "Not ready")).to_have_text("Draft")
    assert_accessible(page)

    page.get_by_role("link", name="Scheduled", exact=True).click()  # the State filter
    expect(page.get_by_role("link", name="Coming soon", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Already live", exact=True)).to_have_count(0)
    assert_no_foreign_requests()


def test_taking_a_live_article_down_asks_first(
    page: Page, browser: Browser, live_server, assert_accessible, assert_no_foreign_requests
):
    article = make_article(title="Getting home safely", published_at=timezone.now() - dt.timedelta(days=3))
    public_url = live_server.url + article.get_absolute_url()
    later = timezone.localtime() + dt.timedelta(days=30)
    later = later.replace(hour=9, minute=0, second=0, microsecond=0)
    sign_in(page, live_server)
    change_url = live_server.url + f"/admin/articles/article/{article.pk}/change/"

    def give_it_a_future_time(title: str):
        page.goto(change_url)
        expect(page.get_by_text("On the site now:")).to_be_visible()
        page.locator("#id_title").fill(title)
        page.locator("#id_published_at_0").fill(later.strftime("%Y-%m-%d"))
        page.locator("#id_published_at_1").fill("09:00:00")
        page.get_by_role("button", name="Save", exact=True).click()

    # The save comes back with the question, at the top and under Publishing, and saves nothing.
    page.set_viewport_size(DESKTOP)
    give_it_a_future_time("Getting home safely after treatment")
    warning = f"This article is live now. Saving will take it off the site until {clinic_datetime(later)}"
    top = page.get_by_role("group", name="Nothing is saved yet: take this article off the site?")
    expect(top).to_contain_text(warning)
    expect(page.get_by_role("group", name="Take this article off the site?", exact=True)).to_be_visible()
    expect(page.locator(".field-published_at .errorlist")).to_contain_text(warning)
    expect(page.locator("#id_title")).to_have_value("Getting home safely after treatment")  # kept as typed
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    assert_accessible(page)
    page.set_viewport_size(DESKTOP)
    article.refresh_from_db()
    assert article.title == "Getting home safely"
    assert visitor_status(browser, public_url) == 200

    # "Keep it live" saves the new title and keeps the article on the site.
    top.get_by_role("button", name="Keep it live").click()
    expect(page.locator(".messagelist")).to_contain_text("is still live: its status and publish time were kept.")
    article.refresh_from_db()
    assert (article.title, article.state) == ("Getting home safely after treatment", State.LIVE)
    assert visitor_status(browser, public_url) == 200
    expect(state_cell(page, "Getting home safely after treatment")).to_have_text("Live")

    # "Take it off the site" schedules it for the time typed.
    give_it_a_future_time("Getting home safely")
    page.get_by_role("group", name="Take this article off the site?", exact=True).get_by_role(
        "button", name="Take it off the site"
    ).click()
    expect(page.locator(".messagelist")).to_contain_text(f"is off the site until {clinic_datetime(later)}")
    expect(state_cell(page, "Getting home safely")).to_have_text(f"Scheduled · {clinic_datetime(later)}")
    article.refresh_from_db()
    assert article.state == State.SCHEDULED
    assert visitor_status(browser, public_url) == 404
    assert_accessible(page)
    assert_no_foreign_requests()


def test_keep_it_live_after_save_and_continue_saves_nothing_and_returns_to_the_form(
    page: Page, live_server, tmp_path, assert_accessible, assert_no_foreign_requests
):
    article = make_article(title="Getting home safely", published_at=timezone.now() - dt.timedelta(days=3))
    versions = article.history.count()
    sign_in(page, live_server)
    change_url = live_server.url + f"/admin/articles/article/{article.pk}/change/"
    page.goto(change_url)
    page.locator("#id_status").select_option(Status.DRAFT)
    page.get_by_role("button", name="Save and continue editing").click()

    top = page.get_by_role("group", name="Nothing is saved yet: take this article off the site?")
    keep = top.get_by_role("button", name="Keep it live")
    for viewport in (PHONE, DESKTOP):  # the answers are admin's usual buttons, not small ones
        page.set_viewport_size(viewport)
        for button in (keep, top.get_by_role("button", name="Take it off the site")):
            style = button.evaluate("b => [getComputedStyle(b).paddingTop, getComputedStyle(b).fontSize]")
            assert style == ["10px", "14px"]
            assert button.bounding_box()["width"] <= viewport["width"] - 40
        top.screenshot(path=tmp_path / f"takedown-{viewport['width']}.png")
        assert_accessible(page)

    keep.click()
    expect(page.locator(".messagelist")).to_have_text(NOTHING_SAVED)
    assert page.url == change_url  # "Save and continue editing" still holds
    article.refresh_from_db()
    assert (article.state, article.history.count()) == (State.LIVE, versions)
    assert_no_foreign_requests()


def test_history_shows_what_changed_in_the_words_of_a_body(
    page: Page, live_server, tmp_path, assert_accessible, assert_no_foreign_requests
):
    summary = "A step-by-step guide to what happens before, during and after your first visit to the clinic."
    article = make_article(title="Your first visit", body=LONG_BODY, summary=summary)
    article.body = LONG_BODY.replace("Before the first visit we will", "Before the first visit you will")
    article.summary = summary.replace("first visit", "first appointment")
    article.save()
    sign_in(page, live_server)

    for viewport in (DESKTOP, {"width": 390, "height": 844}):
        page.set_viewport_size(viewport)
        page.goto(live_server.url + f"/admin/articles/article/{article.pk}/history/")
        changes = page.locator(".history-changes").first
        expect(changes).to_contain_text(f"Summary: {summary} → {article.summary}")
        expect(changes.locator("del")).to_have_text("removed: we")  # "removed:" for screen readers only
        expect(changes.locator("ins")).to_have_text("added: you")
        assert changes.locator(".history-diff-label").first.bounding_box()["width"] <= 1
        expect(changes).to_contain_text("Before the first visit")
        page.locator(".history-table").evaluate("table => table.scrollBy(table.scrollWidth, 0)")  # on a phone
        changes.scroll_into_view_if_needed()
        page.screenshot(path=tmp_path / f"history-{viewport['width']}.png", full_page=True)
        assert_accessible(page)
    assert_no_foreign_requests()
