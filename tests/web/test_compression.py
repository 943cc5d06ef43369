"""Compressed HTML (web/compression.py): the encoding chosen, whitespace trimmed, bodies left alone."""

import gzip

import brotli
import pytest

from web.compression import negotiate, trim_html


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("gzip, deflate, br, zstd", "br"),
        ("gzip", "gzip"),
        ("br;q=0, gzip;q=0.5", "gzip"),
        ("*;q=0.1", "br"),
        ("*, br;q=0", "gzip"),
        ("identity", "identity"),
        ("", "identity"),
        ("gzip;q=nonsense, br;q=0", "identity"),
    ],
)
def test_the_best_accepted_encoding_is_chosen(accept, expected):
    assert negotiate(accept) == expected


def test_html_loses_indentation_and_blank_lines_but_not_where_whitespace_is_content():
    html = (
        b"<div>\n    <p>one\n\n   two</p>\n  <pre>\n  keep\n    this\n</pre>\n"
        b'<TEXTAREA name="m">\n  typed\n</TEXTAREA>\n  <p>caf\xc3\xa9</p>'
    )
    assert trim_html(html) == (
        b"<div>\n<p>one\ntwo</p>\n<pre>\n  keep\n    this\n</pre>\n"
        b'<TEXTAREA name="m">\n  typed\n</TEXTAREA>\n<p>caf\xc3\xa9</p>'
    )


def test_a_form_page_is_compressed_though_never_cached(wsgi_client):
    from django.urls import reverse

    response = wsgi_client.get(reverse("consultations:request"), HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200 and response["Content-Encoding"] == "gzip"
    assert "csrfmiddlewaretoken" in gzip.decompress(response.content).decode()  # masked afresh every time
    assert int(response["Content-Length"]) == len(response.content)


def test_a_304_from_django_goes_out_untouched(wsgi_client, monkeypatch):
    from web import page_cache

    monkeypatch.setattr(page_cache, "cache", None)  # page cache unreachable: Django answers the 304
    first = wsgi_client.get("/privacy/", HTTP_ACCEPT_ENCODING="br")
    assert first["ETag"].startswith('W/"') and brotli.decompress(first.content)
    again = wsgi_client.get("/privacy/", HTTP_ACCEPT_ENCODING="br", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert "Content-Length" not in again.headers and "Content-Encoding" not in again.headers
