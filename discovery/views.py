"""robots.txt, the sitemap and the feed: the same for every visitor, so cached with the other public pages
(saving an article or the clinic's details forgets them; a scheduled article's time does too)."""

from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from web.page_cache import cache_public_page

from .feeds import ArticleFeed
from .site import absolute_url
from .sitemaps import SITEMAPS


@cache_public_page
@require_safe
def robots_txt(request):
    """Every page may be crawled: pages not to be indexed say so themselves (noindex), which a crawler
    can only read on a page robots.txt lets it fetch. The staff sign-in address is never named here."""
    sitemap_url = absolute_url(reverse("discovery:sitemap"))
    return render(request, "discovery/robots.txt", {"sitemap_url": sitemap_url}, content_type="text/plain")


@cache_public_page
@require_safe
def sitemap(request):
    return sitemap_view(request, sitemaps=SITEMAPS, template_name="discovery/sitemap.xml")


feed = cache_public_page(require_safe(ArticleFeed()))
