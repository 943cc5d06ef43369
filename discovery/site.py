"""The site as the outside world sees it: its public address, and when an article last changed.

Every absolute URL comes from CLINIC_SITE_URL, never from the request's Host header: pages are
cached by path for everyone (web/page_cache.py), so a page must not depend on the Host a request
carried, and a forged Host must not put another site's address into the sitemap or the feed.
"""

from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import iri_to_uri

from web.templatetags.chrome import fixed


def absolute_url(path: str) -> str:
    """`path` (from reverse(), get_absolute_url() or request.path) on the site's public address."""
    if urlsplit(path).scheme:  # already absolute: a static URL on another host, say
        return path
    return settings.CLINIC_SITE_URL + iri_to_uri(path)


# The URLs below are the same for every request, so worked out once per process (a hashed static name
# costs a manifest lookup, a reverse() a resolver walk), with {% fixed_url %}'s memo (web/templatetags/chrome.py).


def fixed_reverse(name: str) -> str:
    """reverse() of a URL without arguments, once per process."""
    return fixed(("url", name, (), None), lambda: reverse(name))


def absolute_static(name: str) -> str:
    return fixed(("absolute static", name), lambda: absolute_url(static(name)))


def last_changed(article) -> datetime:
    """When the article as visitors see it last changed: its last save, or its publication if that came
    later (a scheduled article appears after its last edit)."""
    return max(article.updated_at, article.published_at)


def iso(moment: datetime) -> str:
    """A time as schema.org and Open Graph want it: ISO 8601 with the offset, in the clinic's time zone."""
    return timezone.localtime(moment).isoformat(timespec="seconds")


def article_path(slug: str) -> str:
    """The article's path, as get_absolute_url() gives it, from one reverse() per process: the sitemap
    and the feed list every article, and a reverse() each was most of their cost at 500 articles."""
    example = fixed(("example", "articles:detail"), lambda: reverse("articles:detail", kwargs={"slug": "slug"}))
    head, _, tail = example.rpartition("slug")
    return f"{head}{slug}{tail}"
