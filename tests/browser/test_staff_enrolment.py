"""A new staff member signs in with their password, sets up their authenticator app, keeps the
recovery codes, and later signs in with one of them."""

import os
import re
from pathlib import Path

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from tests.conftest import DESKTOP, PHONE
from tests.factories import current_totp, make_editor

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery"
SHOTS = Path(os.environ.get("STAFF_SHOTS", "/tmp/shots_staff"))
TABLET = {"width": 390, "height": 844}


def sign_in(page: Page, live_server, code: str | None = None):
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("nurse")
    page.get_by_label("Password").fill(PASSWORD)
    if code is not None:
        page.get_by_label("Code from your authenticator app, or a recovery code").fill(code)
    page.get_by_role("button", name="Log in").click()


def shoot(page: Page, name: str):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def test_a_new_staff_member_enrols_their_app_and_later_uses_a_recovery_code(
    page: Page, live_server, settings, assert_accessible, assert_no_foreign_requests
):
    settings.CLINIC_REQUIRE_2FA = True
    make_editor(username="nurse", password=PASSWORD)

    # The password alone leads to the enrolment page.
    sign_in(page, live_server)
    expect(page).to_have_url(live_server.url + "/admin/two-factor/enrol/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    qr = page.get_by_role("img", name="QR code that sets up your authenticator app")
    expect(qr).to_be_visible()
    assert_accessible(page)

    # The QR code is big enough to scan, and the secret wraps between its groups at 320 px.
    for name, viewport in (("phone-320", PHONE), ("phone-390", TABLET), ("desktop-1280", DESKTOP)):
        page.set_viewport_size(viewport)
        box = qr.bounding_box()
        assert box["width"] >= 200 and box["height"] >= 200, (name, box)
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], name
        shoot(page, f"enrol-{name}")
    page.set_viewport_size(PHONE)
    secret = page.locator(".enrol-secret")
    assert re.fullmatch(r"(?:[A-Z2-7]{4} ){7}[A-Z2-7]{4}", secret.inner_text())
    assert secret.bounding_box()["width"] <= PHONE["width"]

    # A wrong code first: a clear error, the same QR code.
    device = TOTPDevice.objects.get(user__username="nurse", confirmed=False)
    field = page.get_by_label("Type the 6-digit code the app shows")
    field.fill("000000")
    page.get_by_role("button", name="Confirm and finish").click()
    expect(page.get_by_text("That code is not right.")).to_be_visible()
    shoot(page, "enrol-wrong-code-phone-320")
    assert_accessible(page)
    page.set_viewport_size(DESKTOP)
    shoot(page, "enrol-wrong-code-desktop-1280")
    assert TOTPDevice.objects.get(pk=device.pk).confirmed is False
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)  # past django-otp's pause

    # The app's code (computed here as the app would) confirms it; the codes are shown once.
    page.get_by_label("Type the 6-digit code the app shows").fill(current_totp(device))
    page.get_by_role("button", name="Confirm and finish").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    codes = page.locator(".recovery-codes li").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-7]{8}", code) for code in codes)
    shoot(page, "recovery-codes-desktop-1280")
    page.set_viewport_size(PHONE)
    shoot(page, "recovery-codes-phone-320")
    assert_accessible(page)
    page.get_by_role("link", name="Continue to admin").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()

    # Signed out, and in again with a recovery code in place of the app's code.
    page.get_by_role("button", name="Log out").click()
    sign_in(page, live_server, code=codes[0])
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
    page.get_by_role("button", name="Log out").click()
    sign_in(page, live_server, code=codes[0])  # used once already
    expect(page.get_by_text("The username, password or code is not right.")).to_be_visible()
    assert_no_foreign_requests()
