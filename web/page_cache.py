"""The page cache: pages that are the same for every visitor, answered in front of Django.

What is cached. GET responses of views decorated with @cache_public_page (home, the article list,
articles, the newsletter and privacy pages), when the request carries no session or messages
cookie and the response is a 200 that sets no cookie, has no Vary and is not marked private or
no-cache. Each page is stored as the response left Django (every header: security headers, CSP,
Cache-Control ...), three times: plain, brotli and gzip, compressed once when stored, each with
its own ETag.

Key. "page:<encoding>:<path>": the path only, never the query string, so query strings cannot
fill the cache with copies (and a page whose view is not decorated, such as search results, is
never stored, whatever its query).

Served. PageCache is a WSGI layer in front of Django, as whitenoise is for static files. A hit
costs at most one cache round trip (the version and the page in one get_many) and no query, and
skips Django's handler and middleware. Each worker also keeps the pages it served, with the version
it last read, for WORKER_SECONDS: within that time a hit needs no round trip at all. So a save made
in another process reaches a worker within WORKER_SECONDS (one made in the same process at once),
well inside the BROWSER_MAX_AGE that browsers and proxies may keep a page anyway. A hit still
checks the Host header against ALLOWED_HOSTS (a wrong host goes on to Django for its 400), picks
the encoding from Accept-Encoding (Vary: Accept-Encoding), answers If-None-Match and
If-Modified-Since with a 304, and writes the access log line with a request id, as a rendered page
does.

Invalidated. Every stored page carries the version that was current *before* its view ran, so a
page rendered while a save was committing is stored under the old version and never served. The
version lives in the database (web.models.PageVersion): saving a model an app registered with
`watch()` adds one to it in the same transaction, then, once committed, the new version is
written to the cache. The cache keeps it for at most VERSION_CHECK_SECONDS before reading the
database again, so a change saved while the cache was unreachable reaches visitors within that
time of the cache answering again. A version also ends when a function registered with
`add_schedule()` says the pages change by themselves (the next scheduled article is due). With
the cache unreachable, pages are rendered from the database. Apps register in their
AppConfig.ready(); this module imports no app.

Why not Django's cache middleware (UpdateCacheMiddleware and FetchFromCacheMiddleware)? It keys
on the full URL, query string included, so every "?x=1" is a new entry; it forgets pages only when
they time out, so a staff correction would wait out the timeout instead of showing at once; a
page rendered during a save can be stored after the save and served stale; a hit still runs
Django's handler and every middleware above it; and it stores one body, not one per encoding.
"""

import hashlib
import logging
import time
from collections.abc import Callable
from datetime import datetime
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest
from django.http.cookie import parse_cookie
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import http_date, parse_etags, parse_http_date_safe

from .compression import call_holding_back, compress, header, is_html, negotiate, read_body, trim_html, without
from .middleware import log_access, request_id
from .models import PageVersion

logger = logging.getLogger(__name__)

VERSION_KEY = "pages:version"
VERSION_CHECK_SECONDS = 60  # how stale a version in the cache may be, at most
PAGE_TIMEOUT = 24 * 3600  # a new version replaces pages long before this
BROWSER_MAX_AGE = 60  # what browsers and proxies may reuse without asking again
WORKER_SECONDS = 1  # how long a worker trusts the version it last read from the cache
WORKER_PAGES = 200  # pages a worker keeps (three encodings of each page count three)
ENCODINGS = ("br", "gzip", "identity")
# Set by @cache_public_page on a page that may be stored; never leaves the site.
STORE_HEADER = "X-Page-Cache-Store"
# Where PageCache leaves the version it read for the page being rendered.
VERSION_ENVIRON_KEY = "web.page_cache.version"
# Per-request or per-encoding headers, made again for each answer rather than stored.
NOT_STORED = ("X-Request-ID", "Content-Length", "Content-Encoding", "ETag", "Vary", STORE_HEADER)


# Functions returning when public pages next change without a save (or None): see add_schedule().
_schedules: list[Callable[[], datetime | None]] = []


def add_schedule(next_change: Callable[[], datetime | None]) -> None:
    """Register a function that says when pages next change by themselves (a scheduled article)."""
    if next_change not in _schedules:
        _schedules.append(next_change)


def next_scheduled_change() -> datetime | None:
    return min(filter(None, (next_change() for next_change in _schedules)), default=None)


def version_from_database() -> tuple[str, int]:
    """The current version, and for how many seconds the cache may keep it."""
    stored, _ = PageVersion.objects.get_or_create(pk=1)
    timeout = VERSION_CHECK_SECONDS
    upcoming = next_scheduled_change()
    if upcoming is not None:
        timeout = max(1, min(timeout, int((upcoming - timezone.now()).total_seconds()) + 1))
    return f"{stored}.{upcoming.timestamp() if upcoming else ''}", timeout


def refresh_version(*, replace: bool = False) -> str:
    """Read the version from the database into the cache. Without `replace`, a version another
    process wrote meanwhile (after a save) is kept rather than overwritten with an older read."""
    version, timeout = version_from_database()
    if replace:
        cache.set(VERSION_KEY, version, timeout)
    elif not cache.add(VERSION_KEY, version, timeout):
        version = cache.get(VERSION_KEY) or version
    return version


class WorkerCopies:
    """The pages this worker served, valid while the version it last read is fresh (module notes)."""

    def __init__(self):
        self.forget()

    def forget(self) -> None:
        self.version, self.until, self.pages = None, 0.0, {}

    def page(self, key: str, now: float) -> tuple | None:
        page = self.pages.get(key) if now < self.until else None
        return page if page is not None and page[0] == self.version else None

    def trust(self, version: str, now: float) -> None:
        """The version just read from the cache: trusted for WORKER_SECONDS."""
        if version != self.version:
            self.pages = {}
        self.version, self.until = version, now + WORKER_SECONDS

    def keep(self, key: str, page: tuple) -> None:
        if page[0] == self.version:  # never a page older than what this worker trusts
            if len(self.pages) >= WORKER_PAGES:
                self.pages = {}
            self.pages[key] = page


worker_copies = WorkerCopies()


def publish_version() -> None:
    worker_copies.forget()  # this process's saves show at once
    try:
        refresh_version(replace=True)
    except Exception:  # the version is safe in the database; the cache catches up by itself
        logger.warning("Page cache unreachable; its version catches up within %s s", VERSION_CHECK_SECONDS)


def invalidate_pages() -> None:
    """Start a new version of every public page: call after saving anything they show."""
    if not PageVersion.objects.filter(pk=1).update(counter=F("counter") + 1):
        PageVersion.objects.get_or_create(pk=1)
    transaction.on_commit(publish_version)


def page_key(environ, encoding: str) -> str:
    return f"page:{encoding}:{raw_path(environ)}"


def raw_path(environ) -> str:
    return environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "/")


def is_anonymous(cookies: dict) -> bool:
    """No session and no pending messages: the page cannot contain anything personal."""
    return settings.SESSION_COOKIE_NAME not in cookies and settings.MESSAGE_COOKIE_NAME not in cookies


def cacheable(request, response) -> bool:
    control = response.get("Cache-Control", "")
    return (
        is_anonymous(request.COOKIES)
        and response.status_code == 200
        and not response.cookies
        and "no-cache" not in control
        and "private" not in control
        and not response.has_header("Vary")
    )


def cache_public_page(view):
    """Mark a view's page as the same for every visitor: browsers may keep it a minute, and the
    page cache stores it (see the module notes)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method not in ("GET", "HEAD"):
            return response
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if cacheable(request, response):
            patch_cache_control(response, public=True, max_age=BROWSER_MAX_AGE)
            response["Last-Modified"] = http_date()
            response[STORE_HEADER] = "1"
        return response

    return wrapped


def host_is_allowed(environ) -> bool:
    """Django's own Host check (ALLOWED_HOSTS, USE_X_FORWARDED_HOST), without building a request."""
    request = HttpRequest()
    request.META = environ
    try:
        request.get_host()
    except DisallowedHost:
        return False
    return True


def stored_copies(version: str, headers: list[tuple[str, str]], body: bytes) -> dict[str, tuple]:
    """(version, headers, body) for each encoding: compressed as hard as it goes, once."""
    if is_html(headers):
        body = trim_html(body)
    digest = hashlib.md5(body, usedforsecurity=False).hexdigest()
    kept = without(headers, *NOT_STORED)
    copies = {}
    for encoding in ENCODINGS:
        content = compress(body, encoding, effort="best")
        extra = [("Content-Encoding", encoding)] if encoding != "identity" else []
        etag = f'"{digest}"' if encoding == "identity" else f'"{digest}-{encoding}"'
        extra += [("Vary", "Accept-Encoding"), ("ETag", etag), ("Content-Length", str(len(content)))]
        copies[encoding] = (version, kept + extra, content)
    return copies


def not_modified(environ, headers: list[tuple[str, str]]) -> bool:
    if_none_match = environ.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:  # it wins over If-Modified-Since (RFC 9110, 13.2.2)
        etag = header(headers, "ETag")
        return if_none_match.strip() == "*" or etag in {tag.removeprefix("W/") for tag in parse_etags(if_none_match)}
    if "HTTP_IF_MODIFIED_SINCE" not in environ:
        return False
    since = parse_http_date_safe(environ["HTTP_IF_MODIFIED_SINCE"])
    modified = parse_http_date_safe(header(headers, "Last-Modified") or "")
    return since is not None and modified is not None and modified <= since


class PageCache:
    """WSGI layer: answer stored pages before Django runs, and store the pages Django marks."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        method = environ.get("REQUEST_METHOD")
        cookies = parse_cookie(environ["HTTP_COOKIE"]) if "HTTP_COOKIE" in environ else {}
        if method not in ("GET", "HEAD") or not is_anonymous(cookies):
            return self.application(environ, start_response)
        encoding = negotiate(environ.get("HTTP_ACCEPT_ENCODING", ""))
        key, now = page_key(environ, encoding), time.time()
        page = worker_copies.page(key, now)
        if page is None:
            try:
                found = cache.get_many([VERSION_KEY, key])
                version = found.get(VERSION_KEY) or refresh_version()
            except Exception:
                logger.warning("Page cache unreachable; rendering from the database")
                return self.application(environ, self.without_store_header(start_response))
            worker_copies.trust(version, now)
            page = found.get(key)
            if page is not None and page[0] != version:
                page = None  # stored before the latest change
            if page is not None:
                worker_copies.keep(key, page)
        if page is not None and host_is_allowed(environ):
            return self.answer(environ, start_response, page, started)
        return self.render(environ, start_response, page[0] if page else worker_copies.version, encoding)

    @staticmethod
    def without_store_header(start_response):
        def forward(status, headers, exc_info=None):
            return start_response(status, without(headers, STORE_HEADER), exc_info)

        return forward

    def render(self, environ, start_response, version: str | None, encoding: str):
        """Let Django render the page; store it if its view marked it, under the version read before."""
        if version is None:  # forgotten meanwhile by a save in another thread: render, store nothing
            return self.application(environ, self.without_store_header(start_response))
        environ[VERSION_ENVIRON_KEY] = version
        status, headers, exc_info, result = call_holding_back(self.application, environ)
        if not storable(environ, status, headers):
            start_response(status, without(headers, STORE_HEADER), exc_info)
            return result
        copies = stored_copies(version, headers, read_body(result))
        try:
            cache.set_many({page_key(environ, name): copy for name, copy in copies.items()}, PAGE_TIMEOUT)
        except Exception:
            logger.warning("Page cache unreachable; page not stored")
        for name, copy in copies.items():
            worker_copies.keep(page_key(environ, name), copy)
        request_id_header = [(name, value) for name, value in headers if name.lower() == "x-request-id"]
        _, stored_headers, content = copies[encoding]
        start_response(status, stored_headers + request_id_header)
        return [content] if environ["REQUEST_METHOD"] != "HEAD" else [b""]

    @staticmethod
    def answer(environ, start_response, page: tuple, started: float):
        _, headers, content = page
        status = "200 OK"
        if not_modified(environ, headers):
            status, content = "304 Not Modified", b""
            headers = without(headers, "Content-Length", "Content-Type", "Content-Encoding")
        rid = request_id(environ)
        start_response(status, [*headers, ("X-Request-ID", rid)])
        path = raw_path(environ).encode("latin-1").decode(errors="replace")  # WSGI strings carry bytes as latin-1
        log_access(rid, environ["REQUEST_METHOD"], path, int(status[:3]), started)
        return [content] if environ["REQUEST_METHOD"] != "HEAD" else [b""]


def storable(environ, status: str, headers: list[tuple[str, str]]) -> bool:
    """Marked by its view, and nothing below the view (sessions, CSRF) made it personal since."""
    return (
        header(headers, STORE_HEADER) is not None
        and environ["REQUEST_METHOD"] == "GET"
        and status.startswith("200 ")
        and header(headers, "Set-Cookie") is None
        and header(headers, "Vary") is None
        and header(headers, "Content-Encoding") is None
    )


def leaves_compression_to_the_page_cache(environ, status: str, headers: list[tuple[str, str]]) -> bool:
    """For CompressedResponses: a page PageCache is about to store, it compresses itself."""
    return VERSION_ENVIRON_KEY in environ and storable(environ, status, headers)


def invalidate_pages_on_save(sender, **kwargs) -> None:
    """Signal receiver for models shown on public pages."""
    invalidate_pages()


def watch(*models) -> None:
    """Start a new page version whenever one of these models is saved or deleted."""
    for model in models:
        post_save.connect(invalidate_pages_on_save, sender=model, dispatch_uid=f"pages-{model.__name__}-save")
        post_delete.connect(invalidate_pages_on_save, sender=model, dispatch_uid=f"pages-{model.__name__}-delete")
