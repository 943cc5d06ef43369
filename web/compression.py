"""Compressed HTML: brotli or gzip, chosen from the request's Accept-Encoding.

`CompressedResponses` is a WSGI layer just in front of Django. It compresses HTML (and the other
text types below) that Django rendered, except for signed-in staff: a request with a session
cookie may get pages that show health data, and those are sent as they are. Pages the page cache
is about to store are left alone here; the page cache keeps a brotli, a gzip and a plain copy of
each, made once (page_cache.py).
Static files are not touched: whitenoise serves its own precompressed copies.

BREACH (guessing a secret in a compressed HTTPS response from its length) needs a secret that is
the same in every response. The only one on our public pages is the CSRF token, and Django masks
it with a fresh random value in every response, which is the standard mitigation. A page that
repeats what a visitor typed (a form with errors) repeats it only to that visitor. Staff pages,
which hold other people's details beside text anyone could have submitted, are not compressed.
"""

import gzip
import re

import brotli
from django.conf import settings
from django.http.cookie import parse_cookie

# Compressing fewer bytes than this saves less than the Content-Encoding header costs.
MIN_SIZE = 512
COMPRESSIBLE_TYPES = {
    "application/atom+xml",
    "application/json",
    "application/ld+json",
    "application/xml",
    "image/svg+xml",
    "text/css",
    "text/html",
    "text/plain",
    "text/xml",
}
# Lines of HTML lose their indentation and blank lines (about 4 % of an article, before compression),
# except inside the elements where whitespace is content.
KEEPS_WHITESPACE = re.compile(r"(<(pre|textarea)\b.*?</\2>)", re.IGNORECASE | re.DOTALL)
LINE_BREAK_AND_INDENT = re.compile(r"[ \t]*\n\s*")
BROTLI_QUALITY = {"best": 11, "fast": 5}  # 5 costs about 0.2 ms on an 18 KB page and saves ~75 %
GZIP_LEVEL = {"best": 9, "fast": 6}


def negotiate(accept_encoding: str) -> str:
    """ "br", "gzip" or "identity": the best encoding the client accepts (a q of 0 refuses)."""
    accepted = {}
    for item in accept_encoding.lower().split(","):
        name, _, params = item.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        accepted[name.strip()] = quality
    wildcard = accepted.get("*", 0.0)
    for encoding in ("br", "gzip"):
        if accepted.get(encoding, wildcard) > 0:
            return encoding
    return "identity"


def trim_html(body: bytes) -> bytes:
    """HTML without indentation or blank lines: rendered the same, as a newline is whitespace too."""
    parts = KEEPS_WHITESPACE.split(body.decode(errors="surrogateescape"))
    # split() returns text, then each kept element and its tag name, in turn.
    trimmed = [LINE_BREAK_AND_INDENT.sub("\n", part) if index % 3 == 0 else part for index, part in enumerate(parts)]
    return "".join(part for index, part in enumerate(trimmed) if index % 3 != 2).encode(errors="surrogateescape")


def is_html(headers: list[tuple[str, str]]) -> bool:
    return (header(headers, "Content-Type") or "").startswith("text/html")


def compress(body: bytes, encoding: str, effort: str = "fast") -> bytes:
    if encoding == "br":
        return brotli.compress(body, quality=BROTLI_QUALITY[effort], mode=brotli.MODE_TEXT)
    if encoding == "gzip":
        return gzip.compress(body, compresslevel=GZIP_LEVEL[effort], mtime=0)
    return body


def header(headers: list[tuple[str, str]], name: str) -> str | None:
    name = name.lower()
    return next((value for key, value in headers if key.lower() == name), None)


def without(headers: list[tuple[str, str]], *names: str) -> list[tuple[str, str]]:
    names = {name.lower() for name in names}
    return [(key, value) for key, value in headers if key.lower() not in names]


def vary_on_encoding(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    vary = header(headers, "Vary")
    if vary is None:
        return [*headers, ("Vary", "Accept-Encoding")]
    if "accept-encoding" in {field.strip().lower() for field in vary.split(",")}:
        return headers
    return [*without(headers, "Vary"), ("Vary", f"{vary}, Accept-Encoding")]


def is_compressible(headers: list[tuple[str, str]]) -> bool:
    content_type = (header(headers, "Content-Type") or "").split(";")[0].strip().lower()
    return (
        content_type in COMPRESSIBLE_TYPES
        and header(headers, "Content-Encoding") is None
        and "no-transform" not in (header(headers, "Cache-Control") or "").lower()
    )


def is_signed_in(environ) -> bool:
    return "HTTP_COOKIE" in environ and settings.SESSION_COOKIE_NAME in parse_cookie(environ["HTTP_COOKIE"])


def call_holding_back(application, environ):
    """Run a WSGI application without passing its start_response on yet, so the caller can change
    the status line and headers first: (status, headers, exc_info, the body iterable)."""
    answer = {}

    def capture(status, headers, exc_info=None):
        answer.update(status=status, headers=headers, exc_info=exc_info)

    result = application(environ, capture)
    return answer["status"], answer["headers"], answer["exc_info"], result


def read_body(result) -> bytes:
    try:
        return b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()


class CompressedResponses:
    """WSGI layer: compress what Django rendered, when the client accepts it (see the module notes)."""

    def __init__(self, application, *, skip=lambda environ, status, headers: False):
        self.application = application
        self.skip = skip  # the page cache's test for pages it compresses itself

    def __call__(self, environ, start_response):
        if is_signed_in(environ):
            return self.application(environ, start_response)
        status, headers, exc_info, result = call_holding_back(self.application, environ)
        if (
            getattr(result, "streaming", True)
            or status[:3] in ("204", "304")  # no body to compress, and no Content-Length to add
            or not is_compressible(headers)
            or self.skip(environ, status, headers)
        ):
            start_response(status, headers, exc_info)
            return result
        body = read_body(result)
        headers = vary_on_encoding(headers)
        if is_html(headers):
            body = trim_html(body)
        encoding = negotiate(environ.get("HTTP_ACCEPT_ENCODING", ""))
        if encoding != "identity" and len(body) >= MIN_SIZE:
            body = compress(body, encoding)
            headers = [*without(headers, "Content-Encoding"), ("Content-Encoding", encoding)]
        etag = header(headers, "ETag")
        headers = [*without(headers, "Content-Length", "ETag"), ("Content-Length", str(len(body)))]
        if etag:  # the same page, not the same bytes as those Django's ETag was made from (as GZipMiddleware)
            headers.append(("ETag", etag if etag.startswith("W/") else f"W/{etag}"))
        start_response(status, headers, exc_info)
        return [body]
