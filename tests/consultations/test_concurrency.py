"""Requests sent at the same moment are all saved, against a running server and its real database.

Each visitor gets the form (cookie, CSRF token, signed start time) on its own, then all send at once.

On SQLite, pytest-django's test database is in memory, and its session-wide live server hands that one
connection to every request thread: concurrent writes on it fail with "database table is locked"
(SQLITE_LOCKED, which the busy timeout does not cover) and visitors get the 503 page. That is the test
harness, not the site: in production each worker has its own connection to a database file. So here
the server runs against a file copy of the test database, one connection per request thread, with the
settings' IMMEDIATE transactions and 20 s timeout, as in production.
"""

import os
import sqlite3
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from http.cookiejar import CookieJar, DefaultCookiePolicy
from urllib.parse import urlencode

import pytest
from django.db import connections
from django.urls import reverse
from pytest_django.live_server_helper import LiveServer

from consultations.models import ConsultationRequest
from consultations.views import read_thanks_token

URL = reverse("consultations:request")
TIMEOUT = 60


@pytest.fixture
def live_server(tmp_path):
    """pytest-django's live server, started for this test, on a database file when SQLite is in memory."""
    connection = connections["default"]
    in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()
    if in_memory:
        connection.ensure_connection()
        copy = sqlite3.connect(tmp_path / "db.sqlite3")
        connection.connection.backup(copy)
        copy.close()
        memory, memory_name = connection.connection, connection.settings_dict["NAME"]
        connection.connection = None  # set aside, not closed: closing would drop the in-memory database
        connection.settings_dict["NAME"] = str(tmp_path / "db.sqlite3")  # shared with new threads' connections
    server = LiveServer(os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost")
    yield server
    server.stop()
    if in_memory:
        connection.close()
        connection.settings_dict["NAME"] = memory_name
        connection.connection = memory


class HiddenInputs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.values = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") == "hidden":
            self.values[attrs["name"]] = attrs.get("value", "")


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the 302 itself is the answer we check


def visitor_opener() -> urllib.request.OpenerDirector:
    # The CSRF cookie is marked Secure (as in production); the live server speaks plain HTTP.
    jar = CookieJar(DefaultCookiePolicy(secure_protocols=("https", "wss", "http")))
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirects)


def reference_in(location: str) -> str | None:
    """The reference in a redirect to /consultation/thanks/<signed reference>/."""
    prefix = reverse("consultations:thanks")
    assert location.startswith(prefix), location
    return read_thanks_token(location.removeprefix(prefix).rstrip("/"))


def visit(base_url: str) -> tuple[urllib.request.OpenerDirector, dict]:
    """Get the form as a browser does: its cookies, and the hidden inputs (CSRF token, signed start time)."""
    opener = visitor_opener()
    with opener.open(base_url + URL, timeout=TIMEOUT) as response:
        parser = HiddenInputs()
        parser.feed(response.read().decode())
    return opener, parser.values


def form_data(hidden: dict, number: int) -> dict:
    return {
        "csrfmiddlewaretoken": hidden["csrfmiddlewaretoken"],
        "started": hidden["started"],
        "who_for": "self",
        "name": f"Concurrent Visitor {number}",
        "email": f"visitor{number}@example.com",
        "phone": "(202) 555-0123",
        "contact_method": "phone",
        "contact_time": "any",
        "concerns": ["depression"],
        "seeing_clinician": "no",
        "is_adult": "on",
        "consent": "on",
        "website": "",
    }


def send(base_url: str, opener, data: dict, barrier: threading.Barrier) -> dict:
    request = urllib.request.Request(base_url + URL, data=urlencode(data, doseq=True).encode(), method="POST")
    barrier.wait(timeout=TIMEOUT)
    sent = time.perf_counter()
    try:
        with opener.open(request, timeout=TIMEOUT) as response:
            status, location = response.status, response.headers.get("Location")
    except urllib.error.HTTPError as error:  # 3xx (redirects are not followed), 4xx and 5xx
        status, location = error.code, error.headers.get("Location")
    return {"status": status, "location": location, "sent": sent, "answered": time.perf_counter()}


def visit_then_send(base_url: str, number: int, barrier: threading.Barrier) -> dict:
    opener, hidden = visit(base_url)
    return send(base_url, opener, form_data(hidden, number), barrier)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("threads", [2, 10])
def test_requests_sent_at_the_same_moment_are_all_saved(live_server, settings, record_property, threads):
    settings.CLINIC_FORM_MIN_SECONDS = 0
    settings.CLINIC_FORM_RATE = "1000/h"
    barrier = threading.Barrier(threads)
    with ThreadPoolExecutor(max_workers=threads) as pool:
        futures = [pool.submit(visit_then_send, live_server.url, number, barrier) for number in range(threads)]
        results = [future.result(timeout=TIMEOUT * 2) for future in futures]

    burst = max(result["answered"] for result in results) - min(result["sent"] for result in results)
    saved = ConsultationRequest.objects.count()
    print(f"{threads} concurrent posts on {settings.DATABASES['default']['ENGINE']}: {burst:.3f} s, {saved} saved")
    record_property(f"burst_seconds_{threads}_threads", round(burst, 3))
    record_property(f"rows_saved_{threads}_threads", saved)

    assert [result["status"] for result in results] == [302] * threads
    assert saved == threads
    names = set(ConsultationRequest.objects.values_list("name", flat=True))
    assert names == {f"Concurrent Visitor {number}" for number in range(threads)}
    # Each visitor is thanked with their own request's reference.
    assert {reference_in(result["location"]) for result in results} == set(
        ConsultationRequest.objects.values_list("reference", flat=True)
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("threads", [2, 10])
def test_one_form_sent_many_times_at_the_same_moment_saves_one_request(live_server, settings, queued, threads):
    """A double click, or a bot replaying one token: every post sees the thank-you page, one request is saved."""
    settings.CLINIC_FORM_MIN_SECONDS = 0
    settings.CLINIC_FORM_RATE = "1000/h"
    opener, hidden = visit(live_server.url)
    data = form_data(hidden, 1)
    barrier = threading.Barrier(threads)
    with ThreadPoolExecutor(max_workers=threads) as pool:
        futures = [pool.submit(send, live_server.url, opener, data, barrier) for _ in range(threads)]
        results = [future.result(timeout=TIMEOUT * 2) for future in futures]

    assert [result["status"] for result in results] == [302] * threads
    consultation = ConsultationRequest.objects.get()
    assert consultation.name == "Concurrent Visitor 1"
    assert {reference_in(result["location"]) for result in results} == {consultation.reference}
    assert queued == [consultation.pk]
