"""A staff member edits a draft in admin, previews it in a new tab, publishes it; visitors then see it."""

import shutil

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from articles.loading import sync_content
from articles.models import Article
from staff.history import clinic_datetime
from tests.browser.conftest import CONTENT_DIR
from tests.browser.test_article_scheduling import sign_in
from tests.factories import current_totp, enroll_totp, make_article, make_editor, placeholder_reviewer

pytestmark = pytest.mark.browser

NEW_TEXT = "Bring someone who can drive you home after each session."


def visitor_sees(browser: Browser, url: str):
    """Open url as an anonymous visitor, in a browser context that shares no cookies with staff."""
    context = browser.new_context()
    try:
        visitor = context.new_page()
        response = visitor.goto(url)
        return response.status, visitor.locator("main").inner_text()
    finally:
        context.close()


def test_staff_previews_and_publishes_an_edited_draft(
    page: Page, browser: Browser, live_server, requested_urls, assert_no_foreign_requests, assert_accessible
):
    page.context.on("request", lambda request: requested_urls.append(request.url))  # the preview tab's too
    article = make_article(title="Getting home safely", status="draft", references=1)
    device = enroll_totp(make_editor(password="correct-horse-battery"))  # every staff account needs a code
    public_url = live_server.url + article.get_absolute_url()

    status, _ = visitor_sees(browser, public_url)
    assert status == 404, "a draft must not be visible to visitors"

    # Log in through the admin's own form: a mistake first, which gets the one generic message.
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_label("Code from your authenticator app").fill("123456")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("The username, password or code is not right.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_label("Code from your authenticator app").fill(current_totp(device))
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()

    # Open the draft from the changelist and edit its body.
    page.goto(live_server.url + "/admin/articles/article/")
    page.get_by_role("link", name="Getting home safely").click()
    expect(page).to_have_url(live_server.url + f"/admin/articles/article/{article.pk}/change/")
    body = page.get_by_label("Body")
    body.fill(body.input_value() + f"\n## Going home\n\n{NEW_TEXT}\n")

    # Preview opens the real public page in a new tab, from the unsaved form.
    with page.context.expect_page() as popup_info:
        page.get_by_role("button", name="Preview page (opens a new tab, saves nothing)").click()
    preview = popup_info.value
    preview.wait_for_load_state()
    expect(preview.get_by_role("note")).to_contain_text("Preview: not saved.")
    expect(preview.get_by_role("heading", level=1)).to_have_text("Getting home safely")
    expect(preview.get_by_role("heading", level=2, name="Going home")).to_be_visible()
    expect(preview.get_by_text(NEW_TEXT)).to_be_visible()
    assert_accessible(preview)
    preview.close()

    article.refresh_from_db()
    assert NEW_TEXT not in article.body, "preview must save nothing"
    status, _ = visitor_sees(browser, public_url)
    assert status == 404

    # Publish and save.
    page.get_by_label("Status").select_option(label="Published")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    article.refresh_from_db()
    assert article.status == "published"
    assert NEW_TEXT in article.body
    assert "\r" not in article.body

    status, text = visitor_sees(browser, public_url)
    assert status == 200
    assert NEW_TEXT in text
    assert "only staff can see this" not in text

    assert_no_foreign_requests()


def test_history_shows_clinic_time_and_no_change_staff_did_not_make(
    page: Page, live_server, tmp_path, assert_accessible, assert_no_foreign_requests
):
    shutil.copy(CONTENT_DIR / "between-sessions.md", tmp_path)  # its body ends with a newline, as files do
    placeholder_reviewer()
    sync_content(tmp_path)
    article = Article.objects.get(slug="between-sessions")
    body = article.body
    sign_in(page, live_server)
    change_url = live_server.url + f"/admin/articles/article/{article.pk}/change/"

    # Saved without touching anything: nothing changes.
    page.goto(change_url)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    article.refresh_from_db()
    assert article.body == body

    # A new publish time, the same day: a real change, shown on the clinic's clock.
    page.goto(change_url)
    page.locator("#id_published_at_1").fill("09:30:00")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.goto(change_url.replace("/change/", "/history/"))
    rows = page.locator("#change-history tbody tr")
    expect(rows).to_have_count(3)
    expect(page.locator("#change-history")).not_to_contain_text("Body:")
    expect(rows.nth(1).locator("td").last).to_have_text("")  # the untouched save
    day = timezone.localtime(article.published_at, timezone.get_default_timezone())
    expect(rows.nth(0)).to_contain_text(
        f"Published at: {clinic_datetime(article.published_at)} → {clinic_datetime(day.replace(hour=9, minute=30))}"
    )
    for row, version in zip(rows.all(), article.history.all(), strict=True):
        expect(row.locator("time")).to_have_text(clinic_datetime(version.history_date))
    assert_accessible(page)
    assert_no_foreign_requests()
