"""Requests no page accepts (other charsets, oversize bodies, files) get a calm page, never a 500.

Charset cases go through the production WSGI application (clinic_site.wsgi), because Django
decodes a request's query string with its charset while building it, before any middleware.
"""

import io
import sys
from urllib.parse import urlencode

import pytest
from django.core import signals
from django.db import close_old_connections
from django.test import Client

from consultations.models import ConsultationRequest
from newsletter.models import Subscriber

pytestmark = pytest.mark.django_db

HOSTILE_CHARSETS = ["latin-1", "rot13", "utf-16", "x-no-such-charset", "utf-7"]
URLS = [
    "/consultation/",
    "/newsletter/signup/",
    "/",
    "/articles/",
    "/admin/login/",
    "/newsletter/confirm/abc/",
    "/nope/",
]


class Unreadable(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def read(self, size=-1):
        raise AssertionError("the body was read")

    readline = read


def call_site(method, path, *, query="", body=b"", content_type="", stream=None, length=None) -> tuple[int, bytes]:
    from clinic_site.wsgi import application

    environ = {
        "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query, "SCRIPT_NAME": "",
        "SERVER_NAME": "testserver", "SERVER_PORT": "80", "REMOTE_ADDR": "203.0.113.9", "HTTP_HOST": "testserver",
        "CONTENT_TYPE": content_type, "CONTENT_LENGTH": str(len(body) if length is None else length),
        "wsgi.input": stream or io.BytesIO(body), "wsgi.errors": sys.stderr, "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0), "wsgi.multithread": False, "wsgi.multiprocess": False, "wsgi.run_once": False,
    }  # fmt: skip
    started = []
    # As Django's test client does: the test's transaction must outlive the request.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        content = b"".join(application(environ, lambda status, headers, exc=None: started.append(status)))
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    return int(started[0].split()[0]), content


@pytest.mark.parametrize("charset", HOSTILE_CHARSETS)
@pytest.mark.parametrize("url", URLS)
def test_a_post_in_another_charset_gets_the_400_page_on_every_url(url, charset):
    body = urlencode({"email": "someone@example.com", "name": "Robin"}).encode()
    status, content = call_site(
        "POST", url, body=body, content_type=f"application/x-www-form-urlencoded; charset={charset}"
    )
    assert status == 400
    assert b"We could not read that request" in content and b'href="tel:988"' in content
    assert not Subscriber.objects.exists() and not ConsultationRequest.objects.exists()


@pytest.mark.parametrize("charset", HOSTILE_CHARSETS)
def test_a_get_with_a_query_string_in_another_charset_gets_the_400_page(charset):
    status, content = call_site("GET", "/articles/", query="q=%E9t%E9", content_type=f"text/plain; charset={charset}")
    assert status == 400 and b'href="tel:988"' in content


def test_utf8_and_no_charset_are_read_as_usual():
    for content_type in ("", "text/plain; charset=utf-8", "text/plain; charset=UTF8", "text/plain; charset=us-ascii"):
        status, content = call_site("GET", "/articles/", query="q=%C3%A9", content_type=content_type)
        assert status == 200, content_type


def test_an_oversize_body_is_refused_with_413_before_it_is_read():
    status, content = call_site(
        "POST", "/newsletter/signup/", stream=Unreadable(), length=300 * 1024 * 1024,
        content_type="application/x-www-form-urlencoded",
    )  # fmt: skip
    assert status == 413 and b'href="tel:988"' in content


@pytest.mark.parametrize("url", ["/newsletter/signup/", "/consultation/"])
def test_multipart_bodies_are_refused_with_415_before_they_are_read(url):
    status, content = call_site(
        "POST", url, stream=Unreadable(), length=8 * 1024 * 1024, content_type="multipart/form-data; boundary=x"
    )
    assert status == 413  # too large, whatever it is
    status, content = call_site(
        "POST", url, stream=Unreadable(), length=2000, content_type="multipart/form-data; boundary=x"
    )
    assert status == 415 and b"We could not read that request" in content
    assert not Subscriber.objects.exists() and not ConsultationRequest.objects.exists()


def test_a_small_file_upload_saves_nothing():
    upload = io.BytesIO(b"%PDF-1.4 medical history")
    upload.name = "history.pdf"
    response = Client().post("/newsletter/signup/", {"email": "f@example.com", "file": upload})  # multipart
    assert response.status_code == 415
    assert not Subscriber.objects.exists()


def test_no_upload_handler_is_left_to_spool_files(settings):
    assert settings.FILE_UPLOAD_HANDLERS == []


def test_a_body_django_itself_refuses_gets_the_400_page_not_a_500(client):
    """Django raises a 400 for too many fields; its own 400 page read the body again and failed."""
    body = "&".join(f"f{number}=x" for number in range(2000))
    strict = Client(raise_request_exception=False)
    response = strict.post("/consultation/", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert b"We could not read that request" in response.content and b'href="tel:988"' in response.content


def test_the_error_pages_render_even_when_their_template_fails(monkeypatch):
    from web import error_pages

    def broken(*args, **kwargs):
        raise RuntimeError("template engine down")

    monkeypatch.setattr(error_pages, "render_to_string", broken)
    for response in (error_pages.bad_request(None), error_pages.server_error(None)):
        assert response.status_code in (400, 500) and b'href="tel:988"' in response.content
