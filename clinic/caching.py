"""Whole-page caching for pages every visitor sees the same way (home, articles, newsletter).

Views marked @public_page store what they render; PageCacheMiddleware, early in the chain, serves
it on the next request with one cache round trip (the page and the current version together), so
a hit skips sessions, authentication and the view. Saving anything a page shows (an article, its
references, the clinic's details) starts a new version, so staff see their change at once. The
version also expires when the next scheduled article is due, so it appears on time. With the cache
unreachable, pages are simply rendered from the database.
"""

import logging
import uuid
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control, set_response_etag
from django.utils.http import http_date

logger = logging.getLogger(__name__)

VERSION_KEY = "pages:version"
PAGE_TIMEOUT = 24 * 3600  # a new version replaces pages long before this
BROWSER_MAX_AGE = 60  # what browsers and proxies may reuse without asking again
STORED_HEADERS = ("Content-Type", "Cache-Control", "Last-Modified", "ETag", "Content-Language")


def seconds_until_next_publication() -> int | None:
    from articles.models import Article, Status

    upcoming = (
        Article.objects.filter(status=Status.PUBLISHED, published_at__gt=timezone.now())
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    return None if upcoming is None else max(1, int((upcoming - timezone.now()).total_seconds()) + 1)


def new_version() -> str:
    version = uuid.uuid4().hex
    cache.set(VERSION_KEY, version, timeout=seconds_until_next_publication())
    return version


def invalidate_pages() -> None:
    """Call after saving anything that appears on public pages."""
    try:
        new_version()
    except Exception:  # the cache is down: there is nothing cached to go stale either
        logger.warning("Page cache unreachable; pages were not invalidated")


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
    try:
        version = cache.get(VERSION_KEY) or new_version()
        headers = {name: response[name] for name in STORED_HEADERS if response.has_header(name)}
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
        if request.method in ("GET", "HEAD"):
            cached = self.lookup(request)
            if cached is not None:
                return cached
        return self.get_response(request)

    @staticmethod
    def lookup(request) -> HttpResponse | None:
        key = page_key(request)
        try:
            found = cache.get_many([VERSION_KEY, key])
        except Exception:
            logger.warning("Page cache unreachable; rendering from the database")
            return None
        entry = found.get(key)
        if entry is None or entry[0] != found.get(VERSION_KEY):
            return None  # never stored, or stored before the latest change
        _, content, headers = entry
        response = HttpResponse(content)
        for name, value in headers.items():
            response[name] = value
        return response


def invalidate_pages_on_commit(sender, **kwargs) -> None:
    """Signal receiver for models shown on public pages: invalidate once the change is committed."""
    transaction.on_commit(invalidate_pages)


def invalidate_pages_when_saved(*models) -> None:
    for model in models:
        post_save.connect(invalidate_pages_on_commit, sender=model, dispatch_uid=f"pages-{model.__name__}-save")
        post_delete.connect(invalidate_pages_on_commit, sender=model, dispatch_uid=f"pages-{model.__name__}-delete")
