"""Admin for articles: review dates flagged, Markdown previewed with the public template, history kept."""

from datetime import timedelta

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.formats import date_format
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from .markdown import find_unclosed_tags
from .models import Article, Reference

DUE_SOON_DAYS = 30


class ReviewFilter(admin.SimpleListFilter):
    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("overdue", "Overdue"), ("soon", f"Due within {DUE_SOON_DAYS} days"), ("ok", "Up to date")]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        soon = today + timedelta(days=DUE_SOON_DAYS)
        if self.value() == "overdue":
            return queryset.overdue_for_review(today)
        if self.value() == "soon":
            return queryset.filter(next_review_due__gte=today, next_review_due__lte=soon)
        if self.value() == "ok":
            return queryset.filter(next_review_due__gt=soon)
        return queryset


class ReferenceInline(admin.TabularInline):
    model = Reference
    extra = 1
    fields = ["position", *Reference.CONTENT_FIELDS]


class ArticleForm(forms.ModelForm):
    def clean_body(self):
        """Refuse a tag left open, which would hide the rest of the article, naming its line."""
        body = self.cleaned_data["body"]
        unclosed = find_unclosed_tags(body)
        if unclosed:
            raise ValidationError([f"Line {tag.line}: {tag.problem}" for tag in unclosed])
        return body


def us_date(value) -> str:
    return date_format(value, "F j, Y")  # "November 1, 2026", as the public pages write it


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    form = ArticleForm
    change_form_template = "admin/articles/article/change_form.html"
    date_hierarchy = "published_at"
    inlines = [ReferenceInline]
    list_display = ["title", "status", "live", "topic", "is_featured", "last_reviewed", "review_due"]
    list_filter = [ReviewFilter, "status", "topic", "is_featured"]
    ordering = ["topic", "order", "title"]
    search_fields = ["title", "body"]
    view_on_site = True
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body"]}),
        ("Placement", {"fields": ["topic", "kind", "order", "is_featured"]}),
        ("Publishing", {"fields": ["status", "published_at"]}),
        ("Medical review", {"fields": ["reviewer", "last_reviewed", "next_review_due"]}),
    ]

    class Media:
        css = {"all": ["css/admin.css"]}

    @admin.display(boolean=True, description="Live now")
    def live(self, article):
        return article.is_published

    @admin.display(description="Next review due", ordering="next_review_due")
    def review_due(self, article):
        if article.is_overdue_for_review:
            return format_html('<strong class="review-overdue">{} · overdue</strong>', us_date(article.next_review_due))
        return us_date(article.next_review_due)

    def get_urls(self):
        preview = self.admin_site.admin_view(self.preview_view)
        return [
            path("preview/", preview, name="articles_article_preview"),
            path("<path:object_id>/preview/", preview, name="articles_article_preview"),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        args = [obj.pk] if obj and obj.pk else []
        context["preview_url"] = reverse("admin:articles_article_preview", args=args)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def preview_view(self, request, object_id=None):
        """Render the unsaved form with the public article template, so staff see the real page."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self.get_object(request, object_id) if object_id else None
        allowed = self.has_change_permission(request, obj) if obj else self.has_add_permission(request)
        if not allowed:
            raise PermissionDenied
        form = self.get_form(request, obj, change=obj is not None)(request.POST, instance=obj)
        if not form.is_valid():
            context = {**self.admin_site.each_context(request), "form": form, "opts": self.opts, "title": "Preview"}
            return TemplateResponse(request, "admin/articles/article/preview_invalid.html", context, status=400)
        article = form.save(commit=False)
        article.render()
        formset = ReferenceInline(self.model, self.admin_site).get_formset(request, obj)(
            request.POST, instance=article, prefix="references"
        )
        references = [
            Reference(**{name: f.cleaned_data[name] for name in Reference.CONTENT_FIELDS})
            for f in (formset.forms if formset.is_valid() else [])
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        context = {"article": article, "references": references, "related": [], "is_preview": True}
        response = render(request, "articles/article_detail.html", context)
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex"
        return response
