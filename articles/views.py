"""Article list and article page. Staff may also see drafts, never cached."""

from contextlib import suppress

from django.contrib import admin
from django.db.models import BooleanField, Case, ExpressionWrapper, Q, When
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.views.generic import DetailView, ListView

from web.page_cache import cache_public_page
from web.pagination import neighbour_urls

from .models import Article, Kind, Topic

RELATED_COUNT = 3


def related_articles(article: Article):
    """Up to three other published articles, those on the same topic first; never a site page (cards())."""
    # A comparison, true first: the same order as a CASE, for less work building the query on every view.
    same_topic = ExpressionWrapper(Q(topic=article.topic), output_field=BooleanField())
    return (
        Article.objects.published()
        .exclude(pk=article.pk)
        .cards()
        .order_by(same_topic.desc(), "-is_featured", "order", "title")[:RELATED_COUNT]
    )


def list_page_url(number: int) -> str:
    return reverse("articles:list") if number == 1 else reverse("articles:list_page", args=[number])


@method_decorator(cache_public_page, name="dispatch")
class ArticleListView(ListView):
    """The articles by topic, PER_PAGE at a time: /articles/, then /articles/page/2/ ... The page number is
    in the path, never the query string, because the page cache keys on the path alone."""

    template_name = "articles/article_list.html"
    paginate_by = PER_PAGE = 20

    def get(self, request, *args, **kwargs):
        if kwargs.get("page") == 1:  # one address for the first page
            return redirect("articles:list", permanent=True)
        if kwargs.get("page") == 0:
            raise Http404("No such page")
        # Always from the path: ListView would otherwise read ?page=, a page the cache would store as /articles/.
        self.kwargs.setdefault("page", 1)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        # "published" means now, at each request; cards() leaves out site pages (about us, our policies).
        # In the order the page shows them, topics as Topic lists them (the model orders them by their stored
        # values, alphabetically), so each page takes up where the one before left off.
        topic_position = Case(*(When(topic=value, then=position) for position, value in enumerate(Topic.values)))
        return Article.objects.published().cards().order_by(topic_position, "order", "title", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if context["is_paginated"]:
            context.update(neighbour_urls(context["page_obj"].number, context["paginator"].num_pages, list_page_url))
        articles = list(context["object_list"])
        context["topics"] = [
            {"label": label, "articles": [a for a in articles if a.topic == value]}
            for value, label in Topic.choices
            if any(a.topic == value for a in articles)
        ]
        return context


@method_decorator(cache_public_page, name="dispatch")
class ArticleDetailView(DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_object(self, queryset=None):
        # The slug is unique: get() leaves out the ORDER BY (and its compiling) that first() adds.
        slug = self.kwargs["slug"]
        with suppress(Article.DoesNotExist):
            return Article.objects.published().select_related("reviewer").get(slug=slug)
        # Only a miss touches the session, so reading a published article never does. Drafts are for
        # staff who may use admin: signed in with their code too where two-factor is on.
        if admin.site.has_permission(self.request):
            with suppress(Article.DoesNotExist):
                return Article.objects.select_related("reviewer").get(slug=slug)
        raise Http404("No such article")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # One article's references, in their order: the model's default ordering starts with the
        # article, which would join the article table (and follow its ordering) for nothing.
        context["references"] = self.object.references.order_by("position", "pk")
        # A site page (about us, a policy) is not a place to suggest reading.
        context["related"] = [] if self.object.kind == Kind.PAGE else related_articles(self.object)
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if not self.object.is_published:
            add_never_cache_headers(response)  # a staff preview of a draft
            response["X-Robots-Tag"] = "noindex"
        return response
