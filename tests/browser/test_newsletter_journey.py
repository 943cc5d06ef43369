"""The newsletter journey's rough edges, in the browser: a footer signup that needs another try, the
answer that names the address, room around the confirm button, and admin's preview of an issue."""

import re

import pytest
from playwright.sync_api import Page, expect

from newsletter.models import Issue, Subscriber
from newsletter.tokens import make_confirm_token, make_unsubscribe_token
from tests.browser.conftest import sign_in_to_admin
from tests.conftest import DESKTOP, PHONE
from tests.factories import enroll_totp, make_article, make_staff, make_subscriber

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
EMAIL = "reader@example.com"


@pytest.fixture(autouse=True)
def _newsletter_settings(settings, live_server):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.CLINIC_SITE_URL = live_server.url


@VIEWPORTS
def test_footer_signup_with_a_mistake_comes_back_as_one_form_then_names_the_address(
    page: Page, live_server, viewport, mailoutbox, assert_accessible, assert_no_foreign_requests
):
    page.set_viewport_size(viewport)
    article = make_article(title="Getting home safely")
    page.goto(live_server.url + article.get_absolute_url())
    footer = page.get_by_role("contentinfo")
    footer.get_by_label("Email address").fill("reader@")
    footer.get_by_role("button", name="Subscribe").click()

    # One signup form, the footer's one field, with what was typed and its error, and a summary first.
    expect(page.get_by_role("heading", level=1)).to_have_text("Subscribe to our newsletter")
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator('form[action="/newsletter/signup/"]')).to_have_count(1)
    expect(page.get_by_role("contentinfo").get_by_role("textbox")).to_have_count(0)
    expect(page.get_by_role("main")).to_contain_text(
        "You started this signup at the bottom of the page you were reading."
    )
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    field = page.get_by_role("main").get_by_label("Email address")
    expect(field).to_have_value("reader@")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_accessible_description(re.compile("Enter an email address like name@example.com."))
    expect(page.get_by_role("main").get_by_label("First name (optional)")).to_have_count(0)
    summary.get_by_role("link").click()
    expect(field).to_be_focused()
    assert_accessible(page)
    assert not Subscriber.objects.exists() and not mailoutbox

    # Put right and sent again: the answer names the address, sets no cookie, and leads back.
    field.fill(EMAIL)
    page.get_by_role("main").get_by_role("button", name="Subscribe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    expect(page.locator(".typed-address")).to_have_text(EMAIL)
    expect(page.locator("form[action='/newsletter/signup/']")).to_have_count(0)
    assert EMAIL not in page.url and EMAIL not in page.title()
    assert page.context.cookies() == []
    assert_accessible(page)
    assert Subscriber.objects.get().source_page == article.get_absolute_url()
    assert len(mailoutbox) == 1
    page.get_by_role("link", name="Back to the page you were reading").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Getting home safely")
    assert_no_foreign_requests()


def gap_below(page: Page, upper, lower) -> float:
    return lower.bounding_box()["y"] - (upper.bounding_box()["y"] + upper.bounding_box()["height"])


@VIEWPORTS
def test_confirm_and_unsubscribe_buttons_have_room_around_them(page: Page, live_server, viewport, assert_accessible):
    page.set_viewport_size(viewport)
    pending, confirmed = make_subscriber(status="pending"), make_subscriber()

    page.goto(f"{live_server.url}/newsletter/confirm/{make_confirm_token(pending)}/")
    main = page.get_by_role("main")
    button = main.get_by_role("button", name="Yes, subscribe me")
    assert gap_below(page, main.locator(".lead"), button) >= 12
    assert gap_below(page, button, main.get_by_text("If you did not ask for this")) >= 12
    assert_accessible(page)

    page.goto(f"{live_server.url}/newsletter/unsubscribe/{make_unsubscribe_token(confirmed)}/")
    main = page.get_by_role("main")
    button = main.get_by_role("button", name="Unsubscribe")
    assert gap_below(page, main.locator(".lead"), button) >= 12
    assert gap_below(page, button, page.get_by_role("contentinfo")) >= 12
    assert_accessible(page)


def test_staff_preview_shows_the_styled_email_in_a_sandboxed_frame_under_one_title(
    page: Page, live_server, assert_accessible, assert_no_foreign_requests
):
    issue = Issue.objects.create(subject='Spring "update" & news', body='## Sleep\n\nRest helps, and so does "light".')
    issue.featured_articles.add(make_article(title="Between sessions"))
    sign_in_to_admin(page, live_server, "staff", enroll_totp(make_staff()))

    page.goto(f"{live_server.url}/admin/newsletter/issue/{issue.pk}/change/")
    page.get_by_role("link", name="Preview email").click()
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    expect(page.get_by_role("heading", level=1)).to_have_text('Preview: Spring "update" & news')
    frame_element = page.locator("iframe.email-preview")
    expect(frame_element).to_have_attribute("sandbox", "")
    frame = page.frame_locator("iframe.email-preview")
    expect(frame.get_by_role("heading", level=1)).to_have_text('Spring "update" & news')
    expect(frame.get_by_text('Rest helps, and so does "light".')).to_be_visible()
    expect(frame.get_by_role("link", name="Between sessions")).to_be_visible()
    expect(frame.get_by_role("link", name="988")).to_have_attribute("href", "tel:988")
    # Styled as sent: the frame's own policy lets the email's inline styles apply.
    header = frame.get_by_text("Riverside Ketamine Clinic").first
    expect(header).to_have_css("background-color", "rgb(0, 90, 82)")
    expect(frame.get_by_text("Rest helps")).to_have_css("font-family", re.compile(r"sans-serif$"))
    assert frame_element.bounding_box()["height"] >= 500
    assert_accessible(page)
    assert_no_foreign_requests()


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, DESKTOP], ids=["phone-390", "desktop"])
def test_staff_preview_shows_the_email_down_to_its_footer_without_sideways_scroll(
    page: Page, live_server, viewport, assert_accessible
):
    page.set_viewport_size(viewport)
    issue = Issue.objects.create(
        subject="Looking after yourself this winter",
        body="## Between sessions\n\nShort days are hard. Our [guide to the days between sessions]"
        "(/articles/between-sessions/) has ideas that patients tell us help.\n\n"
        "- Keep a simple routine.\n- Get outside in daylight.\n- Tell us how you are doing.",
    )
    issue.featured_articles.add(make_article(title="Between sessions", summary="Looking after yourself."))
    sign_in_to_admin(page, live_server, "staff", enroll_totp(make_staff()))
    page.goto(f"{live_server.url}/admin/newsletter/issue/{issue.pk}/preview/")

    # The long List-Unsubscribe header wraps: the page never scrolls sideways.
    expect(page.locator(".email-preview-headers code").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    frame = page.frame_locator("iframe.email-preview")
    guide = frame.get_by_role("link", name="guide to the days between sessions")
    expect(guide).to_have_attribute("href", f"{live_server.url}/articles/between-sessions/")
    expect(guide).to_have_css("color", "rgb(0, 90, 82)")
    unsubscribe = frame.get_by_role("link", name="Unsubscribe")
    expect(unsubscribe).to_be_visible()
    page.screenshot(path=f"/tmp/shots_news2/preview-{viewport['width']}.png", full_page=True)
    # The whole email fits the frame: its footer's unsubscribe link shows without scrolling inside it.
    box, link = page.locator("iframe.email-preview").bounding_box(), unsubscribe.bounding_box()
    assert box["y"] <= link["y"] and link["y"] + link["height"] <= box["y"] + box["height"], (box, link)
    assert frame.locator("html").evaluate("element => element.scrollTop") == 0
    assert_accessible(page)
