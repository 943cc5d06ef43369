"""Whole-page caching for pages every visitor sees the same way (home, articles, newsletter).

Cached pages are keyed by a site-wide content version. Saving anything a page shows (an article,
its references, the clinic's details) starts a new version, so staff see their change at once.
The version also expires when the next scheduled article is due, so it appears on time. With the
cache unreachable, pages are simply rendered from the database.
"""

import logging
import uuid
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import http_date

logger = logging.getLogger(__name__)

VERSION_KEY = "pages:version"
PAGE_TIMEOUT = 24 * 3600  # a new version replaces pages long before this
BROWSER_MAX_AGE = 60  # what browsers and proxies may reuse without asking again


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
        logger.warning("Page cache unreachable; pages were not invalidated", exc_info=False)


def page_key(request) -> str:
    version = cache.get(VERSION_KEY) or new_version()
    # The path only: query strings cannot fill the cache with copies.
    return f"page:{version}:{request.method}:{request.path}"


def cacheable(request, response) -> bool:
    """Only a page rendered for nobody in particular: no session, no pending messages."""
    control = response.get("Cache-Control", "")
    personal_cookies = {settings.SESSION_COOKIE_NAME, settings.MESSAGE_COOKIE_NAME} & set(request.COOKIES)
    return (
        not personal_cookies
        and response.status_code == 200
        and not response.cookies
        and "no-cache" not in control
        and "private" not in control
        and not response.has_header("Vary")
    )


def public_page(view):
    """Serve the page from the cache when possible; cache it after rendering when it is public."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        try:
            key = page_key(request)
            cached = cache.get(key)
        except Exception:
            logger.warning("Page cache unreachable; rendering from the database")
            key = cached = None
        if cached is not None:
            return cached
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if cacheable(request, response):
            patch_cache_control(response, public=True, max_age=BROWSER_MAX_AGE)
            response["Last-Modified"] = http_date()
            if key is not None:
                try:
                    cache.set(key, response, PAGE_TIMEOUT)
                except Exception:
                    logger.warning("Page cache unreachable; page not stored")
        return response

    return wrapped


def invalidate_pages_on_commit(sender, **kwargs) -> None:
    """Signal receiver for models shown on public pages: invalidate once the change is committed."""
    from django.db import transaction

    transaction.on_commit(invalidate_pages)


def invalidate_pages_when_saved(*models) -> None:
    from django.db.models.signals import post_delete, post_save

    for model in models:
        post_save.connect(invalidate_pages_on_commit, sender=model, dispatch_uid=f"pages-{model.__name__}-save")
        post_delete.connect(invalidate_pages_on_commit, sender=model, dispatch_uid=f"pages-{model.__name__}-delete")
