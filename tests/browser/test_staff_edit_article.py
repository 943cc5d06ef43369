"""A staff member edits a draft in admin, previews it in a new tab, publishes it; visitors then see it."""

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.factories import current_totp, enroll_totp, make_article, make_editor

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
