"""Staff sign-in: password and authenticator code for every staff account, lockout, sessions, passwords."""

import re
from io import StringIO

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.asserts import assertContains, assertNotContains

from staff.admin_site import needs_two_factor
from tests.factories import current_totp, enroll_totp, make_editor, make_staff

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
INDEX = reverse("admin:index")
ARTICLES = reverse("admin:articles_article_changelist")
CONSULTATIONS = reverse("admin:consultations_consultationrequest_changelist")
PASSWORD = "correct-horse-battery"
SIGN_IN_FAILED = (
    "The username, password or code is not right. "
    "If you have lost both your authenticator app and your recovery codes, ask an administrator."
)


def log_in(client, username, password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password, "next": INDEX, **extra})


def test_every_staff_account_needs_two_factor_unless_it_is_turned_off(settings):
    staff = [make_staff(), make_editor(), make_staff(username="nopermissions", superuser=False)]
    assert all(needs_two_factor(user) for user in staff)
    assert not needs_two_factor(get_user_model().objects.create_user(username="visitor"))
    settings.CLINIC_REQUIRE_2FA = False  # local development (DEBUG, `make run`)
    assert not any(needs_two_factor(user) for user in staff)


@pytest.mark.parametrize("make_user", [make_staff, make_editor], ids=["superuser", "editor"])
def test_staff_sign_in_with_password_and_code_together(client, make_user):
    device = enroll_totp(make_user())
    form = client.get(LOGIN)
    assertContains(form, 'name="otp_token"')  # asked for from the start, before any password is checked
    assertContains(form, "Code from your authenticator app, or a recovery code")
    response = log_in(client, device.user.username, otp_token=current_totp(device))
    assert response.status_code == 302 and response["Location"] == INDEX
    assert client.get(ARTICLES).status_code == 200


def test_editors_need_a_code_too(client):
    device = enroll_totp(make_editor())
    assertContains(log_in(client, "editor"), SIGN_IN_FAILED)
    assert client.get(ARTICLES)["Location"].startswith(LOGIN)  # not signed in
    assert log_in(client, "editor", otp_token=current_totp(device)).status_code == 302
    assert client.get(ARTICLES).status_code == 200
    assert client.get(CONSULTATIONS).status_code == 403


def test_without_two_factor_required_a_password_is_enough(client, settings):
    settings.CLINIC_REQUIRE_2FA = False
    make_editor()
    assertNotContains(client.get(LOGIN), "otp_token")
    assertContains(
        log_in(client, "editor", password="wrong-password"), "Please enter the correct username and password"
    )
    assert log_in(client, "editor").status_code == 302
    assert client.get(ARTICLES).status_code == 200
    assert client.get(CONSULTATIONS).status_code == 403
    client.force_login(make_staff())  # a superuser, no authenticator
    assert client.get(CONSULTATIONS).status_code == 200


FAILURES = {
    "unknown user": {"username": "nobody"},
    "wrong password": {"password": "wrong-password"},
    "not staff": {"username": "patient"},
    "only an unconfirmed authenticator, wrong password": {"username": "newnurse", "password": "wrong-password"},
    "no code": {"otp_token": ""},
    "wrong code": {"otp_token": "000000"},
    "code while throttled": {"throttled": True},
}


@pytest.mark.parametrize("failure", FAILURES.values(), ids=FAILURES.keys())
def test_every_failed_sign_in_gets_the_same_message(client, failure):
    device = enroll_totp(make_staff(username="nurse"))
    TOTPDevice.objects.create(user=make_staff(username="newnurse"), confirmed=False)  # enrolment left half-way
    get_user_model().objects.create_user(username="patient", password=PASSWORD)
    failure = dict(failure)
    if failure.pop("throttled", False):
        device.throttle_increment()  # after a wrong code, django-otp refuses even the right one for a while
    response = log_in(client, **{"username": "nurse", "otp_token": current_totp(device), **failure})
    assertContains(response, SIGN_IN_FAILED, count=1)
    assertContains(response, 'class="errornote"', count=1)
    assertNotContains(response, "otp_device")
    assert client.get(INDEX)["Location"].startswith(LOGIN)  # not signed in


def test_a_wrong_code_gets_the_very_page_a_wrong_password_gets(client):
    enroll_totp(make_staff(username="nurse"))

    def page(password, code):
        content = log_in(client, "nurse", password=password, otp_token=code).content
        return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", content)

    for code in ("000000", ""):
        assert page("wrong-password", code) == page(PASSWORD, code)


def test_wrong_or_missing_codes_count_as_failed_sign_ins_and_lock_the_account(client):
    device = enroll_totp(make_staff(username="nurse"))
    for code in ("000000", "", "123456", ""):
        assert log_in(client, "nurse", otp_token=code).status_code == 200
    assert AccessAttempt.objects.get(username="nurse").failures_since_start == 4
    assert log_in(client, "nurse", otp_token="000000").status_code == 429  # the fifth locks
    device.refresh_from_db()
    device.throttle_reset()
    assert log_in(client, "nurse", otp_token=current_totp(device)).status_code == 429  # even the right code, now
    assert AccessAttempt.objects.get(username="nurse").failures_since_start >= 5


def test_repeated_failures_lock_the_account_out_from_that_address(client):
    make_editor()
    for _ in range(4):
        assert log_in(client, "editor", password="wrong-password").status_code == 200
    assert log_in(client, "editor", password="wrong-password").status_code == 429  # the fifth locks
    locked = log_in(client, "editor")  # even the right password, now
    assert locked.status_code == 429
    assertContains(locked, "Too many failed sign-in attempts", status_code=429)
    # Stored in the database, so every process and server sees the same count.
    assert AccessAttempt.objects.get(username="editor").failures_since_start >= 5


def test_staff_sessions_end_after_thirty_idle_minutes_and_with_the_browser(settings, staff_client):
    assert settings.SESSION_COOKIE_AGE == 1800
    assert settings.SESSION_SAVE_EVERY_REQUEST and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert 1790 <= staff_client.session.get_expiry_age() <= 1800


def test_weak_passwords_are_refused():
    for weak in ("short1", "password1234", "123456789012"):
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("a calm river at dawn 7")


def test_enroll_totp_prints_a_qr_code_once_per_account():
    nurse = make_staff(username="nurse")
    out = StringIO()
    call_command("enroll_totp", "nurse", stdout=out)
    assert "otpauth://totp/" in out.getvalue() and "Authenticator enrolled for nurse." in out.getvalue()
    assert TOTPDevice.objects.filter(user=nurse, confirmed=True).count() == 1
    with pytest.raises(CommandError, match="already has an authenticator"):
        call_command("enroll_totp", "nurse", stdout=StringIO())
    call_command("enroll_totp", "nurse", "--replace", stdout=StringIO())
    assert TOTPDevice.objects.filter(user=nurse).count() == 1
    with pytest.raises(CommandError, match="No user named"):
        call_command("enroll_totp", "nobody", stdout=StringIO())
