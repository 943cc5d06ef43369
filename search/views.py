"""The search page: /search/?q=words&page=2. Never cached, never indexed, never logged."""

from urllib.parse import quote, urlencode

from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from articles.models import Article
from web.pagination import neighbour_urls

from .parsing import MAX_QUERY_LENGTH, clean_query
from .query import search_articles

SUGGESTED_COUNT = 4
LAST_PAGE = 1000  # any page number above this is past the end anyway; keeps SQL numbers small


def page_number(value: str | None) -> int:
    """The page asked for: a missing or unreadable number ("abc", "-1") is the first page."""
    try:
        return min(max(int(value or 1), 1), LAST_PAGE)
    except ValueError:
        return 1


@never_cache  # Cache-Control: no-store (and private): what someone searched for stays off shared and local caches
@require_safe
def search(request):
    # Not @cache_public_page: results are never stored (the page cache keys on the path alone anyway).
    # The query is only read here and shown back, escaped: it is not logged (web/middleware.py logs
    # paths without query strings), stored or put in a cache key.
    query, cut = clean_query(request.GET.get("q", ""))
    page = search_articles(query, page_number(request.GET.get("page"))) if query else None
    context = {"query": query, "cut": cut, "max_length": MAX_QUERY_LENGTH, "page": page}
    if page is not None:
        context.update(
            neighbour_urls(
                page.number, page.num_pages, lambda n: "?" + urlencode({"q": query, "page": n}, quote_via=quote)
            )
        )
    if page is None or not page.total:  # somewhere to start instead
        context["suggested"] = Article.objects.featured()[:SUGGESTED_COUNT]
    response = render(request, "search/search.html", context)
    response["X-Robots-Tag"] = "noindex"
    # Links from results send no Referer at all, so the query does not travel on, even to our own pages.
    response["Referrer-Policy"] = "no-referrer"
    return response
