"""A reader signs up from the footer, confirms from the email, and later unsubscribes from an issue.

The journey runs axe on every newsletter page it passes through, then on the pages for a form error
and for broken links, so one browser page serves every check.
"""

import datetime as dt
import re

import pytest
import time_machine
from playwright.sync_api import Page, expect

from newsletter.models import Issue, Subscriber
from newsletter.services import start_sending
from newsletter.tokens import make_confirm_token
from tests.conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "reader@example.com"


@pytest.fixture(autouse=True)
def _newsletter_settings(settings, live_server):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.CLINIC_SITE_URL = live_server.url  # so the links in emails open the live server


def link_in(message, kind: str) -> str:
    """The confirm or unsubscribe link in an email's text."""
    links = re.findall(rf"https?://\S+/newsletter/{kind}/[^/\s]+/", message.body)
    assert len(links) == 1, message.body
    return links[0]


def status() -> str:
    return Subscriber.objects.get(email=EMAIL).status


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_reader_subscribes_confirms_and_unsubscribes(
    page: Page, live_server, viewport, mailoutbox, assert_accessible, assert_no_foreign_requests
):
    page.set_viewport_size(viewport)

    # Sign up with the form in the home page's footer.
    page.goto(live_server.url + "/")
    footer = page.get_by_role("contentinfo")
    footer.get_by_label("Email address").fill(EMAIL)
    footer.get_by_role("button", name="Subscribe").click()
    expect(page).to_have_url(live_server.url + "/newsletter/signup/")  # the answer to the post: no address in a URL
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    expect(page.get_by_role("main")).to_contain_text(
        f"We have sent a link to {EMAIL} if it can receive our newsletter."
    )
    assert_accessible(page)
    subscriber = Subscriber.objects.get(email=EMAIL)
    assert (subscriber.status, subscriber.source_page, subscriber.confirmed_at) == ("pending", "/", None)

    # The confirmation email's link asks first: opening it (as a mail scanner would) confirms nothing.
    (confirmation,) = mailoutbox
    assert confirmation.to == [EMAIL]
    page.goto(link_in(confirmation, "confirm"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your subscription")
    assert_accessible(page)
    assert status() == "pending"
    page.get_by_role("button", name="Yes, subscribe me").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You are subscribed")
    assert_accessible(page)
    subscriber.refresh_from_db()
    assert subscriber.status == "confirmed" and subscriber.confirmed_at

    # An issue goes out; its unsubscribe link, too, asks before it acts.
    issue = Issue.objects.create(subject="Spring update", body="## News\n\nLonger opening hours.")
    assert start_sending(issue) == 1
    (issue_email,) = mailoutbox[1:]
    assert issue_email.to == [EMAIL] and issue_email.subject == "Spring update"
    unsubscribe_url = link_in(issue_email, "unsubscribe")
    assert issue_email.extra_headers["List-Unsubscribe"] == f"<{unsubscribe_url}>"
    page.goto(unsubscribe_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Unsubscribe from the newsletter")
    assert_accessible(page)
    assert status() == "confirmed"
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You are unsubscribed")
    assert_accessible(page)
    subscriber.refresh_from_db()
    assert subscriber.status == "unsubscribed" and subscriber.unsubscribed_at

    # The newsletter page, and its form with a mistake in it.
    page.goto(live_server.url + "/newsletter/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Our newsletter")
    assert_accessible(page)
    form = page.locator("#newsletter-form")
    form.get_by_label("Email address").fill("reader@")
    form.get_by_role("button", name="Subscribe").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    expect(summary.get_by_role("link")).to_have_text(["Enter an email address like name@example.com."])
    expect(page).to_have_title(re.compile(r"^Error: Subscribe to our newsletter"))
    assert_accessible(page)
    assert Subscriber.objects.count() == 1 and len(mailoutbox) == 2

    # Links that no longer work say so, and offer a way forward.
    with time_machine.travel(dt.datetime.now(dt.UTC) - dt.timedelta(days=8), tick=False):
        expired = make_confirm_token(Subscriber.objects.create(email="late@example.com", consented_at=issue.created_at))
    response = page.goto(f"{live_server.url}/newsletter/confirm/{expired}/")
    assert response.status == 410
    expect(page.get_by_role("heading", level=1)).to_have_text("This link has expired")
    assert_accessible(page)
    response = page.goto(live_server.url + "/newsletter/unsubscribe/not-a-real-token/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("This link does not work")
    expect(page.get_by_role("main").get_by_role("link", name="Sign up again")).to_be_visible()
    assert_accessible(page)

    assert_no_foreign_requests()
