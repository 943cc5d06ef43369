"""Admin for articles: review dates flagged, Markdown previewed with the public template, history kept."""

from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import normalize_newlines

from staff.history import HistoryAdmin, clinic_datetime

from .markdown import find_unclosed_tags
from .models import REVIEW_DUE_SOON_DAYS, Article, Reference, State, Status


class ReviewFilter(admin.SimpleListFilter):
    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("overdue", "Overdue"), ("soon", f"Due within {REVIEW_DUE_SOON_DAYS} days"), ("ok", "Up to date")]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        soon = today + timedelta(days=REVIEW_DUE_SOON_DAYS)
        if self.value() == "overdue":
            return queryset.overdue_for_review(today)
        if self.value() == "soon":
            return queryset.filter(next_review_due__gte=today, next_review_due__lte=soon)
        if self.value() == "ok":
            return queryset.filter(next_review_due__gt=soon)
        return queryset


class StateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return State.choices

    def queryset(self, request, queryset):
        return queryset.in_state(self.value()) if self.value() in State.values else queryset


class ReferenceFormSet(BaseInlineFormSet):
    def add_fields(self, form, index):
        """Name every box of the references table for screen readers: a table row's boxes have no <label>."""
        super().add_fields(form, index)
        reference = "New reference" if index is None else f"Reference {index + 1}"
        for field in form.fields.values():
            field.widget.attrs.setdefault("aria-label", f"{reference}: {field.label}")


class ReferenceInline(admin.TabularInline):
    model = Reference
    formset = ReferenceFormSet
    extra = 1
    fields = ["position", *Reference.CONTENT_FIELDS]


# The two answers to "this save takes a live article off the site": the names of their submit buttons.
TAKE_DOWN = "_confirm_unpublish"
KEEP_LIVE = "_keep_live"
PUBLISHING_FIELDS = ("status", "published_at")
# Where admin goes after a save ("Save and continue editing", "Save and add another", "Save as new"): the
# question's buttons carry the one staff first pressed, so either answer goes where they meant to go.
AFTER_SAVING = ("_continue", "_addanother", "_saveasnew")
NOTHING_SAVED = "No changes were saved; the article stays live."
KEPT_LIVE = "“{}” is still live: its status and publish time were kept."


def off_the_site_until(status: str, published_at) -> str:
    """'off the site until November 30, 2026, 9:00 a.m.', as a sentence's end (the time may end in a full stop)."""
    until = "you publish it again." if status == Status.DRAFT else clinic_datetime(published_at)
    return f"off the site until {until}" + ("" if until.endswith(".") else ".")


class ArticleForm(forms.ModelForm):
    # A save that would take a live article off the site comes back with a warning and two choices,
    # saving nothing. The preview saves nothing either, so it turns the warning off.
    warns_before_taking_down = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "published_at" in self.fields:
            # Django compares a field with a callable default (timezone.now) to a hidden copy of the value
            # first shown; a split date and time box copies the typed value instead when the form comes
            # back, so a changed time would read as unchanged. The saved value is the one to compare with.
            self.fields["published_at"].show_hidden_initial = False
        self.takedown_warning = ""  # set when the form comes back to ask
        self.kept_live = False  # set when staff chose "Keep it live"
        self.took_down = False  # set when staff chose "Take it off the site"

    def clean_body(self):
        """Refuse a tag left open, which would hide the rest of the article, naming its line."""
        body = self.cleaned_data["body"]
        unclosed = find_unclosed_tags(body)
        if unclosed:
            raise ValidationError([f"Line {tag.line}: {tag.problem}" for tag in unclosed])
        return body

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk and "published_at" in cleaned_data and "published_at" not in self.changed_data:
            # The time box shows whole seconds: an untouched time keeps the fraction it was saved with,
            # or the save would change it and History would show "9:00 a.m. → 9:00 a.m.".
            cleaned_data["published_at"] = self.instance.published_at
        status, published_at = cleaned_data.get("status"), cleaned_data.get("published_at")
        if not (self.warns_before_taking_down and status and published_at):
            return cleaned_data
        saved = self.saved_article()
        if saved is None or saved.state != State.LIVE:
            return cleaned_data
        if Article(status=status, published_at=published_at).state == State.LIVE:
            return cleaned_data
        if KEEP_LIVE in self.data:
            cleaned_data["status"], cleaned_data["published_at"] = saved.status, saved.published_at
            self.kept_live = True
        elif TAKE_DOWN in self.data:
            self.took_down = True
        else:
            self.takedown_warning = (
                f"This article is live now. Saving will take it {off_the_site_until(status, published_at)}"
            )
            self.add_error("status" if status == Status.DRAFT else "published_at", self.takedown_warning)
        return cleaned_data

    def saved_article(self) -> Article | None:
        """The article as visitors see it now, from the database: in History's revert form the form's
        instance is an old version."""
        if self.instance.pk is None:
            return None
        return Article.objects.filter(pk=self.instance.pk).only(*PUBLISHING_FIELDS).first()

    @property
    def after_saving(self) -> list[str]:
        """The names of the "Save and …" buttons this post came from, for the question's buttons to carry."""
        return [name for name in AFTER_SAVING if name in self.data]

    @property
    def changed_data(self):
        """What the save changes: after "Keep it live", not the publishing fields staff had typed."""
        changed = super().changed_data
        return [name for name in changed if name not in PUBLISHING_FIELDS] if self.kept_live else changed


def differs_from_saved(article: Article) -> bool:
    """Whether saving `article` would change what is stored in any field staff edit. Compared with the
    database: in History's revert form the form's own comparison is with an old version."""
    saved = Article.objects.filter(pk=article.pk).first()
    if saved is None:
        return True

    def stored(value):
        return normalize_newlines(value) if isinstance(value, str) else value  # a browser's CRLFs are not an edit

    return any(
        stored(field.value_from_object(article)) != stored(field.value_from_object(saved))
        for field in Article._meta.concrete_fields
        if field.editable and not field.primary_key  # not the derived HTML, nor the times of saving
    )


def us_date(value) -> str:
    return date_format(value, "F j, Y")  # "November 1, 2026", as the public pages write it


def describe_state(article: Article) -> str:
    """The article's state as a sentence, times on the clinic's clock."""
    if article.state == State.LIVE:
        return f"Live since {clinic_datetime(article.published_at)}"
    if article.state == State.SCHEDULED:
        return f"Scheduled: goes live on {clinic_datetime(article.published_at)}"
    return "Draft: not on the site"


@admin.register(Article)
class ArticleAdmin(HistoryAdmin):
    form = ArticleForm
    change_form_template = "admin/articles/article/change_form.html"
    object_history_form_template = "admin/articles/article/object_history_form.html"
    date_hierarchy = "published_at"
    inlines = [ReferenceInline]
    list_display = ["title", "state", "topic", "featured", "last_reviewed", "review_due"]
    list_filter = [StateFilter, ReviewFilter, "topic", "is_featured"]
    ordering = ["topic", "order", "title"]
    search_fields = ["title", "body"]
    view_on_site = True
    readonly_fields = ["site_state"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body"]}),
        ("Placement", {"fields": ["topic", "kind", "order", "is_featured"]}),
        ("Publishing", {"fields": ["site_state", "status", "published_at"]}),
        ("Medical review", {"fields": ["reviewer", "last_reviewed", "next_review_due"]}),
    ]

    class Media:
        css = {"all": ["css/admin.css"]}

    @admin.display(description="State")
    def state(self, article):
        if article.state == State.SCHEDULED:
            # A narrow column: the lines may break within the date, never between "Scheduled" and its dot
            # or within the time.
            day, _, time = clinic_datetime(article.published_at).rpartition(", ")
            return format_html(
                '<span class="article-state article-state-scheduled">Scheduled\u00a0· {}, {}</span>',
                day,
                time.replace(" ", "\u00a0"),
            )
        return format_html('<span class="article-state article-state-{}">{}</span>', article.state, article.state.label)

    @admin.display(boolean=True, description="Featured", ordering="is_featured")
    def featured(self, article):
        return article.is_featured  # a short heading keeps the list within 1280 px

    @admin.display(description="On the site now")
    def site_state(self, article):
        """As saved, never as typed: the form's instance carries the edits of a form that comes back."""
        saved = Article.objects.filter(pk=article.pk).only(*PUBLISHING_FIELDS).first() if article.pk else None
        return describe_state(saved) if saved else "Not saved yet"

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
        form = context["adminform"].form
        if form.takedown_warning:
            # The warning is a question, not a mistake: it gets its own box with the two answers
            # (templates/admin/articles/article/_takedown_choices.html), not "Please correct the error".
            asking = form.errors["status"] if "status" in form.errors else form.errors["published_at"]
            context["errors"] = [errors for errors in context["errors"] if errors is not asking]
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        if form.kept_live and not differs_from_saved(obj):
            # "Keep it live" undid the only change: saving would write a version and a log entry that
            # change nothing. log_change and response_change read the mark.
            obj.saved_nothing = True
            return
        super().save_model(request, obj, form, change)
        if form.kept_live:
            self.message_user(request, KEPT_LIVE.format(obj))
        elif form.took_down:
            self.message_user(
                request, f"“{obj}” is {off_the_site_until(obj.status, obj.published_at)}", messages.WARNING
            )

    def log_change(self, request, obj, message):
        if getattr(obj, "saved_nothing", False):
            if not message:  # nor did the references change
                return None
            obj.saved_nothing = False  # the references were saved: admin's answer is right again
            self.message_user(request, KEPT_LIVE.format(obj))
        return super().log_change(request, obj, message)

    def response_change(self, request, obj):
        if not getattr(obj, "saved_nothing", False):
            return super().response_change(request, obj)
        # Admin's own answer would say "was changed successfully".
        self.message_user(request, NOTHING_SAVED)
        if "_addanother" in request.POST:
            url = reverse("admin:articles_article_add")
        elif "_continue" in request.POST or "_saveasnew" in request.POST:
            url = reverse("admin:articles_article_change", args=[obj.pk])
        else:
            return self.response_post_save_change(request, obj)
        preserved_filters = self.get_preserved_filters(request)
        return HttpResponseRedirect(
            add_preserved_filters({"preserved_filters": preserved_filters, "opts": self.opts}, url)
        )

    def preview_view(self, request, object_id=None):
        """Render the unsaved form with the public article template, so staff see the real page."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self.get_object(request, object_id) if object_id else None
        allowed = self.has_change_permission(request, obj) if obj else self.has_add_permission(request)
        if not allowed:
            raise PermissionDenied
        form = self.get_form(request, obj, change=obj is not None)(request.POST, instance=obj)
        form.warns_before_taking_down = False  # a preview saves nothing, so takes nothing down
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
