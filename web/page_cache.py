"""Whole-page caching for pages every visitor sees the same way (home, articles, newsletter).

Views marked @public_page store what they render; PageCacheMiddleware, early in the chain, serves
it on the next request with one cache round trip (the page and the current version together), so
a hit skips sessions, authentication and the view. A hit still checks the Host header, and goes
back out through the same header middleware as a rendered page.

Versions. Every stored page carries the version that was current *before* its view ran, so a page
rendered while a save was committing is stored under the old version and never served. The
version lives in the database (PageVersion): saving a model registered with `watch()` adds one to
it in the same transaction, then, once committed, the new version is written to the cache. The
cache keeps it for at most VERSION_CHECK_SECONDS before reading the database again, so a change
saved while the cache was unreachable reaches visitors within that time of the cache answering
again. A version also ends when a registered schedule says the pages change by themselves (the
next scheduled article is due). With the cache unreachable, pages are rendered from the database.
"""

import logging
from collections.abc import Callable
from datetime import datetime
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control, set_response_etag
from django.utils.http import http_date

from .models import PageVersion

logger = logging.getLogger(__name__)

VERSION_KEY = "pages:version"
VERSION_CHECK_SECONDS = 60  # how stale a version in the cache may be, at most
PAGE_TIMEOUT = 24 * 3600  # a new version replaces pages long before this
BROWSER_MAX_AGE = 60  # what browsers and proxies may reuse without asking again
STORED_HEADERS = ("Content-Type", "Cache-Control", "Last-Modified", "ETag", "Content-Language")

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


def publish_version() -> None:
    try:
        refresh_version(replace=True)
    except Exception:  # the version is safe in the database; the cache catches up by itself
        logger.warning("Page cache unreachable; its version catches up within %s s", VERSION_CHECK_SECONDS)


def invalidate_pages() -> None:
    """Start a new version of every public page: call after saving anything they show."""
    if not PageVersion.objects.filter(pk=1).update(counter=F("counter") + 1):
        PageVersion.objects.get_or_create(pk=1)
    transaction.on_commit(publish_version)


def page_key(request) -> str:
    # The path only: query strings cannot fill the cache with copies.
    return f"page:{request.method}:{request.path}"


def is_anonymous(request) -> bool:
    """No session and no pending messages: the page cannot contain anything personal."""
    return not ({settings.SESSION_COOKIE_NAME, settings.MESSAGE_COOKIE_NAME} & set(request.COOKIES))


def cacheable(request, response) -> bool:
    control = response.get("Cache-Control", "")
    return (
        is_anonymous(request)
        and response.status_code == 200
        and not response.cookies
        and "no-cache" not in control
        and "private" not in control
        and not response.has_header("Vary")
    )


def store(request, response) -> None:
    version = getattr(request, "page_version", None)  # read by the middleware before the view ran
    if version is None:
        return
    headers = {name: response[name] for name in STORED_HEADERS if response.has_header(name)}
    try:
        cache.set(page_key(request), (version, response.content, headers), PAGE_TIMEOUT)
    except Exception:
        logger.warning("Page cache unreachable; page not stored")


def public_page(view):
    """Mark a view's page as the same for every visitor, to be cached after rendering."""

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
            set_response_etag(response)  # once, here, rather than on every cached hit
            store(request, response)
        return response

    return wrapped


class PageCacheMiddleware:
    """Serve a stored public page before sessions, authentication and the view run."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and is_anonymous(request):
            cached = self.lookup(request)
            if cached is not None:
                return cached
        return self.get_response(request)

    @staticmethod
    def lookup(request) -> HttpResponse | None:
        """The stored page if it is current; otherwise None, with request.page_version set."""
        key = page_key(request)
        try:
            found = cache.get_many([VERSION_KEY, key])
            version = found.get(VERSION_KEY) or refresh_version()
        except Exception:
            logger.warning("Page cache unreachable; rendering from the database")
            return None
        entry = found.get(key)
        if entry is None or entry[0] != version:
            request.page_version = version
            return None  # never stored, or stored before the latest change
        request.get_host()  # a hit answers only the site's own hosts, like a rendered page
        _, content, headers = entry
        response = HttpResponse(content)
        for name, value in headers.items():
            response[name] = value
        response["Content-Length"] = str(len(content))  # as CommonMiddleware adds to a rendered page
        return response


def invalidate_pages_on_save(sender, **kwargs) -> None:
    """Signal receiver for models shown on public pages."""
    invalidate_pages()


def watch(*models) -> None:
    """Start a new page version whenever one of these models is saved or deleted."""
    for model in models:
        post_save.connect(invalidate_pages_on_save, sender=model, dispatch_uid=f"pages-{model.__name__}-save")
        post_delete.connect(invalidate_pages_on_save, sender=model, dispatch_uid=f"pages-{model.__name__}-delete")
