"""Self-service two-factor enrolment: a password sign-in without a device leads to the enrolment
page, which confirms an authenticator app with its code and gives recovery codes once."""

import datetime as dt
import logging
import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.asserts import assertContains, assertNotContains

from staff import enrolment
from staff.forms import THROTTLED, WRONG_CODE
from staff.views import TOO_LATE
from tests.factories import current_totp, enroll_totp, log_in_verified, make_editor, make_staff

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
INDEX = reverse("admin:index")
ENROL = reverse("admin:two_factor_enrol")
ARTICLES = reverse("admin:articles_article_changelist")
PASSWORD = "correct-horse-battery"
SECRET = re.compile(r"(?:[A-Z2-7]{4} ){7}[A-Z2-7]{4}")  # 20 bytes of base32, in groups of four
# Admin pages an unverified session must never reach, technical ones included.
ADMIN_PAGES = [
    INDEX,
    ARTICLES,
    reverse("admin:consultations_consultationrequest_changelist"),
    reverse("admin:auth_user_changelist"),
    reverse("admin:otp_totp_totpdevice_changelist"),
    reverse("admin:otp_static_staticdevice_changelist"),
    reverse("admin:password_change"),
]


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def log_in(client, username="nurse", password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password, "next": INDEX, **extra})


def signed_in_to_enrol(client, **staff):
    """A new staff member (no device) who has just signed in with their password."""
    user = make_staff(**{"username": "nurse", "superuser": False, **staff})
    response = log_in(client, user.username)
    assert response.status_code == 302 and response["Location"] == ENROL
    return user


def pending(user) -> TOTPDevice:
    return TOTPDevice.objects.get(user=user, confirmed=False)


def code_for(device, steps_ahead=0) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + steps_ahead):06d}"


def enrol(client, user) -> list[str]:
    """Open the enrolment page and confirm the app; returns the recovery codes shown."""
    client.get(ENROL)
    response = client.post(ENROL, {"otp_token": code_for(pending(user))})
    assert response.status_code == 200
    return re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())


# Signing in without a device -------------------------------------------------------------------


def test_a_password_without_a_device_signs_in_unverified_and_leads_to_enrolment(client):
    user = signed_in_to_enrol(client)
    assert client.session["_auth_user_id"] == str(user.pk)
    assert DEVICE_ID_SESSION_KEY not in client.session  # not verified
    assert not AccessAttempt.objects.exists()  # a success for django-axes
    for url in ADMIN_PAGES:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(LOGIN), url
    # Opening admin again mid-enrolment comes back to the enrolment page.
    response = client.get(INDEX, follow=True)
    assert response.redirect_chain[-1] == (ENROL, 302)


def test_a_code_typed_without_a_device_is_ignored(client):
    make_staff(username="nurse", superuser=False)
    assert log_in(client, otp_token="123456")["Location"] == ENROL


def test_an_account_with_a_device_still_needs_its_code(client):
    device = enroll_totp(make_editor(username="nurse"))
    assert log_in(client).status_code == 200  # the generic failure (tests/staff/test_staff_accounts.py)
    assert AccessAttempt.objects.get(username="nurse").failures_since_start == 1
    response = log_in(client, otp_token=current_totp(device))
    assert response["Location"] == INDEX
    assert client.get(ENROL)["Location"] == INDEX  # nothing to enrol


def test_without_two_factor_required_nobody_is_sent_to_enrol(client, settings):
    settings.CLINIC_REQUIRE_2FA = False
    make_editor(username="nurse")
    assert log_in(client)["Location"] == INDEX
    assert client.get(ARTICLES).status_code == 200
    assert client.get(ENROL)["Location"] == INDEX


def test_a_correct_password_resets_the_failures_and_brute_force_still_locks(client):
    make_staff(username="nurse", superuser=False)
    for _ in range(3):
        assert log_in(client, password="wrong-password").status_code == 200
    assert log_in(client)["Location"] == ENROL
    assert not AccessAttempt.objects.filter(username="nurse").exists()  # reset on success
    client.logout()
    for _ in range(4):
        assert log_in(client, password="wrong-password").status_code == 200
    assert log_in(client, password="wrong-password").status_code == 429  # the fifth locks
    assert log_in(client).status_code == 429  # even the right password: no enrolment while locked
    assert not TOTPDevice.objects.exists()


# The enrolment page ----------------------------------------------------------------------------


def test_the_enrolment_page_shows_the_qr_code_the_secret_and_the_code_form(client):
    user = signed_in_to_enrol(client)
    response = client.get(ENROL)
    device = pending(user)
    html = response.content.decode()
    assertContains(response, '<svg class="enrol-qr" viewBox="0 0 ')
    assertContains(response, "Install an authenticator app")
    assertContains(response, "Scan this QR code with the app")
    assertContains(response, "Type the 6-digit code the app shows")
    assertContains(response, "<dd>Clinic admin: nurse</dd>", html=False)  # the account name, as apps show it
    assertContains(response, 'name="otp_token"')
    secret = SECRET.search(html).group()
    assert secret.replace(" ", "") == enrolment.secret_for_typing(device).replace(" ", "")
    assert "Cache-Control" in response and "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    # A reload (or a wrong code) shows the same device: one unconfirmed device per account.
    assert SECRET.search(client.get(ENROL).content.decode()).group() == secret
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_the_page_has_no_style_attribute_inline_script_or_data_uri(client):
    signed_in_to_enrol(client)
    html = client.get(ENROL).content.decode()
    svg = re.search(r"<svg class=\"enrol-qr\".*?</svg>", html, re.S).group()
    assert '<path d="M' in svg and 'fill="#000000"' in svg
    for page in (html, client.post(ENROL, {"otp_token": "000000"}).content.decode()):
        assert not re.search(r"\sstyle=", page)
        assert not re.search(r"\son[a-z]+=", page)
        assert not re.search(r"<script(?![^>]*\bsrc=)", page)  # every script is a file
        assert "data:" not in page


def test_the_qr_code_holds_the_devices_address():
    device = TOTPDevice.objects.create(user=make_staff(), confirmed=False)
    qr = enrolment.qr_code(device.config_url)
    assert qr.size >= 21 + 8  # the smallest QR code and its quiet zone
    assert re.fullmatch(r"(M\d+,\d+H\d+V\d+H\d+z)+", qr.path)  # only squares: safe in an attribute


ENTRY_REFUSED = {
    "anonymous": ("anonymous", LOGIN),
    "verified": ("verified", INDEX),
    "not staff": ("not staff", LOGIN),
    "no password sign-in in this session": ("forced", LOGIN),
}


@pytest.mark.parametrize(("who", "destination"), ENTRY_REFUSED.values(), ids=ENTRY_REFUSED.keys())
def test_only_the_session_that_just_signed_in_without_a_device_may_enrol(client, who, destination):
    user = make_staff(username="nurse", superuser=False)
    if who == "verified":
        log_in_verified(client, user)
    elif who == "not staff":
        client.force_login(get_user_model().objects.create_user(username="patient", password=PASSWORD))
    elif who == "forced":
        client.force_login(user)  # e.g. a session from before the feature: the password was not just typed
    for response in (client.get(ENROL), client.post(ENROL, {"otp_token": "123456"})):
        assert response.status_code == 302 and response["Location"] == destination
    assert not TOTPDevice.objects.filter(confirmed=False).exists()


# Confirming the app ------------------------------------------------------------------------------


def test_a_wrong_code_is_refused_with_the_same_qr_code_and_slows_the_next_try(client):
    user = signed_in_to_enrol(client)
    secret = SECRET.search(client.get(ENROL).content.decode()).group()
    device = pending(user)
    response = client.post(ENROL, {"otp_token": code_for(device, steps_ahead=5)})
    assertContains(response, WRONG_CODE)
    assertContains(response, 'class="errornote"')
    assert SECRET.search(response.content.decode()).group() == secret
    device.refresh_from_db()
    assert not device.confirmed and device.throttling_failure_count == 1
    # django-otp refuses even the right code for a second after a wrong one.
    assertContains(client.post(ENROL, {"otp_token": code_for(device)}), THROTTLED)
    assertContains(client.post(ENROL, {"otp_token": ""}), "Type the 6-digit code from the app.")
    assert not TOTPDevice.objects.filter(confirmed=True).exists() and not StaticDevice.objects.exists()
    assert DEVICE_ID_SESSION_KEY not in client.session
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - dt.timedelta(minutes=1)
    )
    assert client.post(ENROL, {"otp_token": code_for(device)}).status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_the_right_code_confirms_the_app_gives_ten_recovery_codes_once_and_opens_admin(
    client, caplog, mailoutbox, django_capture_on_commit_callbacks
):
    user = signed_in_to_enrol(client, permissions=["articles.view_article"])
    client.get(ENROL)
    device = pending(user)
    with caplog.at_level(logging.INFO, logger="staff"), django_capture_on_commit_callbacks(execute=True):
        response = client.post(ENROL, {"otp_token": f" {code_for(device)[:3]} {code_for(device)[3:]} "})
    assertContains(response, "Your recovery codes")
    assertContains(response, "shown only now")
    assertContains(response, f'href="{INDEX}">Continue to admin</a>')
    assert "no-store" in response["Cache-Control"] and response["X-Robots-Tag"] == "noindex, nofollow"
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    assert len(set(codes)) == 10
    device.refresh_from_db()
    assert device.confirmed
    recovery = StaticDevice.objects.get(user=user)
    assert recovery.confirmed and sorted(recovery.token_set.values_list("token", flat=True)) == sorted(codes)
    # Verified: admin opens.
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get(INDEX).status_code == 200
    assert client.get(ARTICLES).status_code == 200
    # Never shown again: the page now leads to admin's home, which shows no code.
    assert client.get(ENROL)["Location"] == INDEX
    assert client.post(ENROL, {"otp_token": code_for(device)})["Location"] == INDEX
    assert not any(code in client.get(INDEX).content.decode() for code in codes)
    # One log line, with the user id only; one email, with neither secret nor codes.
    assert f"two-factor device enrolled for user id {user.pk}" in caplog.messages
    assert not any(device.key in message or codes[0] in message for message in caplog.messages)
    assert [mail.to for mail in mailoutbox] == [["nurse@example.com"]]
    body = mailoutbox[0].body
    assert "An authenticator app was set up" in body and "tell an administrator" in body
    assert not any(code in body for code in codes) and enrolment.secret_for_typing(device)[:9] not in body


def test_no_email_without_an_address(client, mailoutbox, django_capture_on_commit_callbacks):
    user = make_staff(username="nurse", superuser=False)
    get_user_model().objects.filter(pk=user.pk).update(email="")
    log_in(client)
    with django_capture_on_commit_callbacks(execute=True):
        assert len(enrol(client, user)) == 10
    assert mailoutbox == []


def test_recovery_codes_sign_in_once_each(client):
    user = signed_in_to_enrol(client)
    codes = enrol(client, user)
    client.logout()
    response = log_in(client, otp_token=codes[0].upper())  # capitals and spaces are forgiven
    assert response.status_code == 302 and response["Location"] == INDEX
    assert client.get(ARTICLES).status_code in (200, 403)  # verified; permissions decide the rest
    assert client.get(INDEX).status_code == 200
    client.logout()
    assertContains(log_in(client, otp_token=codes[0]), "The username, password or code is not right.")
    assert StaticToken.objects.filter(device__user=user).count() == 9
    StaticDevice.objects.filter(user=user).update(throttling_failure_count=0)  # past django-otp's pause
    assert log_in(client, otp_token=f"{codes[1][:4]} {codes[1][4:]}")["Location"] == INDEX


# Abandoned and expired enrolments --------------------------------------------------------------


def test_enrolment_runs_out_and_the_session_signs_in_again(client):
    user = signed_in_to_enrol(client)
    client.get(ENROL)
    session = client.session
    session[enrolment.STARTED_AT] -= enrolment.ENROLMENT_MINUTES * 60 + 1
    session.save()
    response = client.post(ENROL, {"otp_token": code_for(pending(user))})
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert "_auth_user_id" not in client.session  # signed out
    assertContains(client.get(LOGIN), TOO_LATE)
    assert not TOTPDevice.objects.filter(confirmed=True).exists()
    # Signing in again opens a new enrolment, with a new secret.
    old_key = pending(user).key
    assert log_in(client)["Location"] == ENROL
    client.get(ENROL)
    assert pending(user).key != old_key


def test_an_expired_login_page_visit_signs_the_half_enrolled_session_out(client):
    signed_in_to_enrol(client)
    session = client.session
    session[enrolment.STARTED_AT] -= enrolment.ENROLMENT_MINUTES * 60 + 1
    session.save()
    response = client.get(LOGIN)
    assert response.status_code == 200
    assertNotContains(response, "You are authenticated as")
    assert "_auth_user_id" not in client.session


def test_an_old_unconfirmed_device_is_replaced_with_a_new_secret(client):
    user = signed_in_to_enrol(client)
    client.get(ENROL)
    old = pending(user)
    TOTPDevice.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(minutes=16))
    response = client.post(ENROL, {"otp_token": code_for(old)})  # its code no longer counts
    assert response.status_code == 302 and response["Location"] == ENROL
    assertContains(client.get(ENROL), "That QR code has expired")
    assert pending(user).pk != old.pk and not TOTPDevice.objects.filter(pk=old.pk).exists()


def test_a_secret_seen_in_another_session_cannot_be_confirmed(client):
    """Someone with the password saw a QR code, then the owner signed in: the first secret is dead."""
    user = make_staff(username="nurse", superuser=False)
    other = type(client)()
    log_in(other)
    other.get(ENROL)
    seen = pending(user)
    log_in(client)
    client.get(ENROL)
    assert pending(user).pk != seen.pk  # the owner's page has a new secret; the old device is gone
    assert other.post(ENROL, {"otp_token": code_for(seen)})["Location"] == ENROL
    assert not TOTPDevice.objects.filter(confirmed=True).exists()


def test_after_another_session_enrolled_the_page_leads_to_admin(client):
    user = signed_in_to_enrol(client)
    client.get(ENROL)
    device = pending(user)
    enroll_totp(user)  # e.g. an administrator ran enroll_totp meanwhile
    assert client.post(ENROL, {"otp_token": code_for(device)})["Location"] == INDEX
    device.refresh_from_db()
    assert not device.confirmed and not StaticDevice.objects.exists()


def test_confirm_changes_nothing_if_the_account_gained_a_device_meanwhile(rf):
    from django.contrib.sessions.backends.db import SessionStore

    user = make_staff(username="nurse", superuser=False)
    request = rf.post(ENROL)
    request.user, request.session = user, SessionStore()
    device = TOTPDevice.objects.create(user=user, confirmed=False)
    enroll_totp(user)
    assert enrolment.confirm(request, device) is None
    device.refresh_from_db()
    assert not device.confirmed and not StaticDevice.objects.exists()
    assert DEVICE_ID_SESSION_KEY not in request.session


# The administrator's tool ----------------------------------------------------------------------


def test_enroll_totp_replaces_a_phone_or_removes_everything_for_self_enrolment(client):
    from io import StringIO

    from django.core.management import call_command

    user = signed_in_to_enrol(client)
    codes = enrol(client, user)
    call_command("enroll_totp", "nurse", "--replace", stdout=StringIO())
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1
    assert StaticToken.objects.filter(device__user=user).count() == len(codes)  # codes stay valid

    out = StringIO()
    call_command("enroll_totp", "nurse", "--remove", stdout=out)
    assert "sets up a new authenticator at their next sign-in" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=user).exists() and not StaticDevice.objects.filter(user=user).exists()
    client.logout()
    assert log_in(client)["Location"] == ENROL  # they enrol again themselves


def test_enroll_totp_ends_a_half_finished_enrolment(client):
    from io import StringIO

    from django.core.management import call_command

    user = signed_in_to_enrol(client)
    client.get(ENROL)
    call_command("enroll_totp", "nurse", stdout=StringIO())  # no --replace needed: nothing was confirmed
    assert list(TOTPDevice.objects.filter(user=user).values_list("confirmed", flat=True)) == [True]


def test_cancel_signs_out_and_leaves_no_secret_for_the_next_person(client, settings):
    """On a shared computer, whoever sits down next must not be able to finish someone's enrolment."""
    settings.CLINIC_REQUIRE_2FA = True
    user = signed_in_to_enrol(client)
    assertContains(client.get(ENROL), "Cancel and sign out")
    response = client.post(ENROL, {"cancel": "1"})
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert "_auth_user_id" not in client.session
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert client.get(ENROL)["Location"] == LOGIN  # nothing left open
