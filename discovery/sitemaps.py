"""/sitemap.xml (django.contrib.sitemaps): every public page, with its last change where one is known.
It is rendered on the first request after each change (then the page cache answers): at 500 articles,
rows rather than models, one reverse() for all articles and a template without per-URL filters keep
that render short.

Addresses come from CLINIC_SITE_URL, never from the request (see discovery/site.py). lastmod is given
only where a stored time says when the page changed: an article (its last save, or its publication if
later), and the home page and the article list (the newest of those). The other pages come from
templates and from clinic details that keep no time of change; a guessed date (the deploy, "now")
would teach search engines to ignore our dates, so they have none, which the protocol allows.
"""

from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from practice.models import Clinician, Location

from .site import article_path


class PublicAddressSitemap(Sitemap):
    """Items are (path, last change or None). Locations are on CLINIC_SITE_URL, whatever Host and
    scheme the request came with."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.CLINIC_SITE_URL).scheme

    def get_domain(self, site=None):
        address = urlsplit(settings.CLINIC_SITE_URL)
        return address.netloc + address.path

    def location(self, item):
        return item[0]

    def lastmod(self, item):
        # In the clinic's time zone, to the second: templates/discovery/sitemap.xml writes it as ISO 8601.
        return timezone.localtime(item[1]).replace(microsecond=0) if item[1] else None


class PageSitemap(PublicAddressSitemap):
    """Home, the article list, privacy, the team and each clinician, costs, visiting (and each location
    when there are several: with one, /visit/ is its page), the consultation form and the newsletter.
    Search results and the private pre-check are not pages to find (they are marked noindex)."""

    def items(self) -> list[tuple[str, datetime | None]]:
        newest = Article.objects.published().listed().aggregate(Max("updated_at"), Max("published_at"))
        newest_article = max(filter(None, newest.values()), default=None)
        # The placeholder reviewer of a fresh install is nobody: its page is not offered to search engines.
        clinicians = Clinician.objects.active().filter(is_placeholder=False).only("slug")
        locations = list(Location.objects.active().only("slug"))
        return [
            (reverse("pages:home"), newest_article),
            (reverse("articles:list"), newest_article),
            (reverse("pages:privacy"), None),
            (reverse("practice:team"), None),
            *((clinician.get_absolute_url(), None) for clinician in clinicians),
            (reverse("practice:costs"), None),
            (reverse("practice:visit"), None),
            *((location.get_absolute_url(), None) for location in locations if len(locations) > 1),
            (reverse("consultations:request"), None),
            (reverse("newsletter:newsletter"), None),
        ]


class ArticleSitemap(PublicAddressSitemap):
    """Every published article, site pages (about us, our policies) included; no draft, nothing scheduled."""

    def items(self) -> list[tuple[str, datetime]]:
        # Rows, not models, and a list: the paginator counts it without a second query.
        rows = Article.objects.published().order_by("pk").values_list("slug", "updated_at", "published_at")
        return [(article_path(slug), max(updated_at, published_at)) for slug, updated_at, published_at in rows]


SITEMAPS = {"pages": PageSitemap, "articles": ArticleSitemap}
