"""Shared fixtures: test settings, a cold cache per test, the browser and its checks."""

import gzip
import os
import shutil
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import brotli
import pytest
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.test import Client, RequestFactory
from django.utils.datastructures import CaseInsensitiveMapping

from tests.factories import log_in_verified, make_staff

# Playwright's sync API runs an event loop in the test thread: without this, pytest-django's
# database setup and ORM calls in browser tests raise SynchronousOnlyOperation.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    # Any host but the live server fails at once (net::ERR_NAME_NOT_RESOLVED).
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]  # fmt: skip
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PHONE = {"width": 320, "height": 700}
DESKTOP = {"width": 1280, "height": 900}


class FormClient(Client):
    """Posts forms as browsers do, URL-encoded: the site refuses multipart bodies (no form takes files)."""

    def post(self, path, data=None, content_type="application/x-www-form-urlencoded", **extra):
        if content_type == "application/x-www-form-urlencoded" and isinstance(data, dict):
            data = urlencode(data, doseq=True)
        return super().post(path, data, content_type, **extra)


@pytest.fixture
def client():
    return FormClient()


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Templates need no collectstatic run; one test checks the manifest storage on its own.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.CLINIC_CONTENT_DIR = tmp_path / "content"


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    from practice.models import forget_cached_details
    from web.page_cache import worker_copies

    cache.clear()
    worker_copies.forget()
    forget_cached_details()
    yield
    cache.clear()
    worker_copies.forget()
    forget_cached_details()


@pytest.fixture
def unreachable_cache(settings):
    """Redis that does not answer (nothing listens on port 1)."""
    original = settings.CACHES
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    yield
    settings.CACHES = original  # before the shared fixture clears the cache at teardown


@pytest.fixture
def warm_site_state(db):
    """What every page reads first and keeps in the cache: the clinic's details and the page version."""
    from practice.models import ClinicDetails
    from web.page_cache import refresh_version

    ClinicDetails.load()
    refresh_version()


@pytest.fixture
def staff_client(client, db):
    """A superuser, signed in with password and authenticator code."""
    log_in_verified(client, make_staff())
    return client


# Browser tests -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        message = f"chromium not found at {CHROMIUM} (apt-get install -y chromium)"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)  # in CI a missing browser is an error, never a skip
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def requested_urls(page):
    urls = []
    page.on("request", lambda request: urls.append(request.url))
    return urls


@pytest.fixture
def assert_no_foreign_requests(requested_urls, live_server):
    def check():
        own = urlsplit(live_server.url).netloc
        foreign = [
            url for url in requested_urls
            if urlsplit(url).scheme in ("http", "https", "ws", "wss") and urlsplit(url).netloc != own
        ]  # fmt: skip
        assert not foreign, "requests to other hosts:\n  " + "\n  ".join(foreign)
        assert requested_urls, "the request listener saw nothing"

    return check


@pytest.fixture
def assert_accessible():
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page):
        results = axe.run(
            page,
            options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]},
        )
        assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"

    return check


# The WSGI stack -------------------------------------------------------------------------------


@dataclass
class WSGIResponse:
    status_code: int
    headers: CaseInsensitiveMapping
    content: bytes

    def __getitem__(self, name):
        return self.headers[name]

    def text(self) -> str:
        encoding = self.headers.get("Content-Encoding", "identity")
        body = {"br": brotli.decompress, "gzip": gzip.decompress}.get(encoding, bytes)(self.content)
        return body.decode()


class WSGIClient:
    """Requests through the site's whole WSGI stack (web/wsgi.py), as gunicorn sends them; the
    Django test client starts below it, so it never meets the page cache or compression."""

    def __init__(self):
        from web.wsgi import in_front_of_django

        self.application = in_front_of_django(WSGIHandler())
        self.factory = RequestFactory()

    def request(self, method: str, path: str, **extra) -> WSGIResponse:
        """`extra` as for Django's test client: environ keys such as HTTP_ACCEPT_ENCODING."""
        environ = self.factory.generic(method, path, **extra).environ
        answer = {}

        def start_response(status, headers, exc_info=None):
            answer.update(status=int(status[:3]), headers=CaseInsensitiveMapping(dict(headers)))

        # As Django's test client does: a request must not close the test's database connection.
        signals.request_started.disconnect(close_old_connections)
        signals.request_finished.disconnect(close_old_connections)
        try:
            result = self.application(environ, start_response)
            try:
                content = b"".join(result)
            finally:
                getattr(result, "close", lambda: None)()
        finally:
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)
        return WSGIResponse(answer["status"], answer["headers"], content)

    def get(self, path: str, **extra) -> WSGIResponse:
        return self.request("GET", path, **extra)

    def head(self, path: str, **extra) -> WSGIResponse:
        return self.request("HEAD", path, **extra)


@pytest.fixture
def wsgi_client(db):
    return WSGIClient()
