"""Article and Reference: what patients read, as staff edit it in admin."""

import hashlib
import json
from datetime import UTC, date, datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .markdown import render_markdown


class Topic(models.TextChoices):
    TREATMENT = "treatment", "About ketamine treatment"
    CARE = "care", "Your care, step by step"
    SUPPORT = "support", "Depression and getting support"


class Kind(models.TextChoices):
    GUIDE = "guide", "Guide"
    FAQ = "faq", "Questions and answers (each ### question becomes a disclosure)"
    CRISIS = "crisis", "Crisis support (urgent layout: no consultation box, reading time or contents)"
    PAGE = "page", "Site page (about the clinic or this website; not listed among articles)"


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class State(models.TextChoices):
    """Where an article stands for visitors now, from its status and publish time together: a published
    article whose time has not come is not on the site yet, and staff must not read it as live."""

    LIVE = "live", "Live"
    SCHEDULED = "scheduled", "Scheduled"
    DRAFT = "draft", "Draft"


REVIEW_DUE_SOON_DAYS = 30  # a review due within this many days is "due soon" (admin's filter, the dashboard)


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED, published_at__lte=timezone.now())

    def scheduled(self):
        """Published, with a publish time still to come: these go live on their own at that time."""
        return self.filter(status=Status.PUBLISHED, published_at__gt=timezone.now())

    def in_state(self, state: str):
        if state == State.LIVE:
            return self.published()
        if state == State.SCHEDULED:
            return self.scheduled()
        return self.filter(status=Status.DRAFT)

    def next_publication(self) -> datetime | None:
        """When the next scheduled article is due, if any."""
        return self.scheduled().order_by("published_at").values_list("published_at", flat=True).first()

    def listed(self):
        """What lists of articles may show: site pages (about us, our policies) are served, never listed."""
        return self.exclude(kind=Kind.PAGE)

    def cards(self):
        """Listed articles, with only what an article card shows (see articles/_article_card.html): the
        article list, related articles and the home page's cards all build on it."""
        return self.listed().only("title", "slug", "summary", "topic", "reading_minutes")

    def featured(self):
        """The published articles staff chose for the home page: the home page and an empty search show them."""
        return self.published().cards().filter(is_featured=True)

    def overdue_for_review(self, today: date | None = None):
        return self.filter(next_review_due__lt=today or timezone.localdate())


class Article(models.Model):
    # What content/<slug>.md carries besides references: these fields as front matter, then the body.
    # articles/loading.py derives the front matter keys from it; content_checksum() fingerprints it.
    SYNCED_FIELDS = (
        "title", "slug", "summary", "topic", "kind", "is_featured", "order", "status", "published_at",
        "reviewer", "last_reviewed", "next_review_due", "body",
    )  # fmt: skip

    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=100,
        unique=True,
        help_text="The last part of the article's address, as in /articles/what-to-expect/. "
        "Change with care once published: links to the old address stop working.",
    )
    summary = models.CharField(max_length=300, help_text="One plain sentence, shown on cards and to search engines.")
    topic = models.CharField(max_length=20, choices=Topic.choices)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.GUIDE)
    body = models.TextField(
        help_text="Markdown. Start sections with '## Heading'; no '# ' title (the page shows it). "
        "Use 'Preview' to see the page before saving."
    )
    is_featured = models.BooleanField("featured on the home page", default=False)
    order = models.PositiveSmallIntegerField(default=0, help_text="Position within its topic; lower first.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        default=timezone.now,
        help_text="A published article appears at this time; set a future time to schedule it.",
    )
    reviewer = models.ForeignKey(
        "practice.Clinician",
        on_delete=models.PROTECT,
        related_name="reviewed_articles",
        limit_choices_to={"reviews_content": True},
        help_text="The clinician who checked this article. Add clinicians under Clinic details > Clinicians.",
    )
    last_reviewed = models.DateField()
    next_review_due = models.DateField(help_text="Overdue articles are flagged to staff, never hidden.")

    # Derived when saved: never edited by hand.
    body_html = models.TextField(editable=False, default="")
    toc = models.JSONField(editable=False, default=list)
    reading_minutes = models.PositiveSmallIntegerField(editable=False, default=1)
    plain_text = models.TextField(editable=False, default="")  # the body's words, for site search
    # Checksum of the content as last synced with content/<slug>.md; see articles/loading.py.
    synced_checksum = models.CharField(max_length=64, editable=False, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(
        excluded_fields=["body_html", "toc", "reading_minutes", "plain_text", "synced_checksum"]
    )
    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["topic", "order", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(next_review_due__gte=models.F("last_reviewed")),
                name="article_review_due_after_last_review",
            )
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.render()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    def clean(self):
        dates = (self.last_reviewed, self.next_review_due)
        if all(isinstance(value, date) for value in dates) and dates[1] < dates[0]:
            raise ValidationError({"next_review_due": "The next review must be on or after the last review."})

    def render(self) -> None:
        """Render the Markdown body once, here, so page views never run the renderer."""
        self.body = self.body.replace("\r\n", "\n")  # browsers send textarea lines with CRLF
        rendered = render_markdown(self.body, faq=self.kind == Kind.FAQ)
        self.body_html, self.toc, self.reading_minutes = rendered.html, rendered.toc, rendered.reading_minutes
        self.plain_text = rendered.text

    @property
    def is_published(self) -> bool:
        return self.state == State.LIVE

    @property
    def state(self) -> State:
        if self.status != Status.PUBLISHED:
            return State.DRAFT
        return State.LIVE if self.published_at <= timezone.now() else State.SCHEDULED

    @property
    def is_overdue_for_review(self) -> bool:
        return self.next_review_due < timezone.localdate()

    @property
    def shows_toc(self) -> bool:
        return len(self.toc) >= 3

    def content_checksum(self, references: list[dict] | None = None) -> str:
        """A fingerprint of everything content/<slug>.md holds, to tell whether staff edited it."""
        if references is None:
            references = [ref.as_dict() for ref in self.references.all()]
        data = {field: getattr(self, field) for field in self.SYNCED_FIELDS}
        data["reviewer"] = self.reviewer.slug  # as content files name the clinician
        data["published_at"] = self.published_at.astimezone(UTC)
        data["references"] = references
        encoded = json.dumps(data, sort_keys=True, default=lambda value: value.isoformat()).encode()
        return hashlib.sha256(encoded).hexdigest()


class Reference(models.Model):
    # What a reference is, in a file's front matter, in admin and in the checksum; position is its place in the list.
    CONTENT_FIELDS = ("title", "publisher", "year", "url")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="references")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=200, help_text="Journal or organisation.")
    year = models.PositiveSmallIntegerField()
    url = models.URLField(max_length=500)

    history = HistoricalRecords()

    class Meta:
        ordering = ["article", "position", "pk"]

    def __str__(self):
        return f"{self.title} ({self.publisher}, {self.year})"

    def as_dict(self) -> dict:
        """The reference as content/<slug>.md lists it, in CONTENT_FIELDS order."""
        return {name: getattr(self, name) for name in self.CONTENT_FIELDS}
