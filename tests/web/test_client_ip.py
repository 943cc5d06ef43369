"""The visitor's address behind a proxy: one setting, used by the sign-in lockout and the form limits."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from tests.factories import make_editor
from web.client_ip import client_ip

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"  # the TLS proxy in front of the site: every request arrives from it
LOGIN = reverse("admin:login")
SIGNUP = reverse("newsletter:signup")


def via(address: str, *, spoofed: str = "") -> dict:
    """Request headers as the proxy passes them on: it appends the address it saw the request from."""
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"{spoofed}, {address}" if spoofed else address}


def bad_password(client, **meta):
    return client.post(LOGIN, {"username": "editor", "password": "not-the-password", "next": "/admin/"}, **meta)


@pytest.mark.parametrize(
    ("forwarded", "count", "expected"),
    [
        ("203.0.113.9", 0, PROXY),  # not configured: forwarded headers are ignored
        ("203.0.113.9", 1, "203.0.113.9"),
        ("6.6.6.6, 203.0.113.9", 1, "203.0.113.9"),  # what the client wrote itself is skipped
        ("6.6.6.6, 203.0.113.9, 10.0.0.1", 2, "203.0.113.9"),  # a CDN, then the proxy
        ("203.0.113.9", 2, "203.0.113.9"),  # came in through the inner proxy only
        ("not-an-address", 1, PROXY),
        ("", 1, PROXY),
    ],
)
def test_the_address_is_read_from_the_trusted_hops_only(settings, forwarded, count, expected):
    settings.CLINIC_TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_a_header_the_proxy_overwrites_can_be_named_instead(settings):
    settings.CLINIC_CLIENT_IP_HEADER = "X-Real-IP"
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_REAL_IP="203.0.113.9", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert client_ip(request) == "203.0.113.9"
    assert client_ip(RequestFactory().get("/", REMOTE_ADDR=PROXY)) == PROXY


def test_behind_the_proxy_an_attacker_cannot_lock_staff_out(client, settings):
    settings.CLINIC_TRUSTED_PROXY_COUNT = 1
    settings.CLINIC_REQUIRE_2FA = False  # this test is about the lockout, not the code
    make_editor()
    for _ in range(5):
        locked = bad_password(client, **via("203.0.113.66"))
    assert locked.status_code == 429  # the attacker's address is locked out...
    signed_in = client.post(
        LOGIN, {"username": "editor", "password": "correct-horse-battery", "next": "/admin/"}, **via("198.51.100.7")
    )
    assert signed_in.status_code == 302  # ...and the real member of staff still signs in


def test_without_proxy_settings_a_forged_forwarded_header_does_not_dodge_the_lockout(client):
    make_editor()
    for number in range(5):
        response = bad_password(client, REMOTE_ADDR="203.0.113.66", HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")
    assert response.status_code == 429


def test_behind_the_proxy_each_visitor_has_their_own_form_limit(client, settings):
    settings.CLINIC_TRUSTED_PROXY_COUNT = 1
    settings.CLINIC_FORM_RATE = "2/h"
    for _ in range(2):
        assert client.post(SIGNUP, {"email": "a@example.com"}, **via("203.0.113.1")).status_code == 200
    assert client.post(SIGNUP, {"email": "a@example.com"}, **via("203.0.113.1")).status_code == 429
    assert client.post(SIGNUP, {"email": "b@example.com"}, **via("203.0.113.2")).status_code == 200
    # The client's own X-Forwarded-For entry is not a way round the limit.
    spoofed = via("203.0.113.1", spoofed="192.0.2.50")
    assert client.post(SIGNUP, {"email": "a@example.com"}, **spoofed).status_code == 429


def test_without_proxy_settings_a_forged_forwarded_header_does_not_dodge_the_form_limit(client, settings):
    settings.CLINIC_FORM_RATE = "2/h"
    statuses = [
        client.post(SIGNUP, {"email": "a@example.com"}, HTTP_X_FORWARDED_FOR=f"192.0.2.{number}").status_code
        for number in range(3)
    ]
    assert statuses == [200, 200, 429]
