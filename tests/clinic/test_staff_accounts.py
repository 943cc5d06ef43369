"""Staff sign-in: two-factor for those who can see consultation requests, lockout, sessions, passwords."""

from io import StringIO

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.asserts import assertContains

from tests.factories import current_totp, enroll_totp, make_editor, make_staff

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
INDEX = reverse("admin:index")
CONSULTATIONS = reverse("admin:consultations_consultationrequest_changelist")
PASSWORD = "correct-horse-battery"


def log_in(client, username, password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password, "next": INDEX, **extra})


def test_staff_who_see_consultations_need_a_code_as_well_as_the_password(client):
    device = enroll_totp(make_staff(username="nurse"))
    response = log_in(client, "nurse")
    assert response.status_code == 200
    assertContains(response, "otp_token")
    assert client.get(INDEX).status_code == 302  # not signed in

    assertContains(log_in(client, "nurse"), "Enter the six-digit code from your authenticator app.")
    assertContains(log_in(client, "nurse", otp_token="000000"), "That code is not right")
    device.refresh_from_db()
    device.throttle_reset()  # django-otp makes each wrong code slow the next attempt down
    response = log_in(client, "nurse", otp_token=current_totp(device))
    assert response.status_code == 302 and response["Location"] == INDEX
    assert client.get(CONSULTATIONS).status_code == 200


def test_a_password_alone_never_reaches_consultation_requests(client):
    nurse = make_staff(username="nurse")
    client.force_login(nurse)  # password checked, no second factor
    response = client.get(CONSULTATIONS)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_without_an_authenticator_the_message_says_what_to_do(client):
    make_staff(username="newnurse")
    assertContains(log_in(client, "newnurse"), "no authenticator is set up yet")


def test_editors_who_cannot_see_requests_sign_in_with_a_password(client):
    make_editor()
    response = log_in(client, "editor")
    assert response.status_code == 302
    assert client.get(reverse("admin:articles_article_changelist")).status_code == 200
    assert client.get(CONSULTATIONS).status_code == 403


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
