"""Fixtures for the browser journeys: the site's real articles, loaded into the live server's database."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from articles.loading import sync_content
from tests.factories import current_totp, placeholder_reviewer

CONTENT_DIR = Path(__file__).resolve().parents[2] / "content"
CONTENT_SLUGS = sorted(path.stem for path in CONTENT_DIR.glob("*.md"))


@pytest.fixture
def content(live_server):
    """Every article in content/, as patients would find it (live_server tests get a transactional DB,
    emptied after each test, so the reviewer a migration made is made again)."""
    placeholder_reviewer()
    report = sync_content(CONTENT_DIR)
    assert sorted(report.created) == CONTENT_SLUGS, report
    return report


def sign_in_to_admin(page: Page, live_server, username: str, device, password: str = "correct-horse-battery"):
    """Sign in through the admin's own form: username, password and the authenticator app's code."""
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_label("Code from your authenticator app").fill(current_totp(device))
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
