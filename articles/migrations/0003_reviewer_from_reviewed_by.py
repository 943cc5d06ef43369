"""Each article's reviewer becomes a clinician: the placeholder of a fresh install, or a clinician
made from the name and credentials the article named. Articles that were in step with their
content file stay in step (their checksum is worked out again with the clinician's slug)."""

import hashlib
import json
from datetime import UTC

from django.db import migrations
from django.utils.text import slugify

PLACEHOLDER = {"slug": "medical-reviewer", "name": "Medical reviewer", "credentials": "MD"}
OLD_FIELDS = (
    "title", "slug", "summary", "topic", "kind", "is_featured", "order", "status", "published_at",
    "reviewed_by", "last_reviewed", "next_review_due", "body",
)  # fmt: skip
REFERENCE_FIELDS = ("title", "publisher", "year", "url")


def checksum(article, fields, values) -> str:
    """Article.content_checksum() as it stood when this migration was written."""
    data = {field: values.get(field, getattr(article, field, None)) for field in fields}
    data["published_at"] = article.published_at.astimezone(UTC)
    data["references"] = [
        {field: getattr(ref, field) for field in REFERENCE_FIELDS}
        for ref in article.references.order_by("position", "pk")
    ]
    encoded = json.dumps(data, sort_keys=True, default=lambda value: value.isoformat()).encode()
    return hashlib.sha256(encoded).hexdigest()


def clinician_for(Clinician, reviewed_by: str):
    name, _, credentials = reviewed_by.rpartition(",")
    name, credentials = (name.strip(), credentials.strip()) if name else (reviewed_by.strip(), "")
    if (name, credentials) == (PLACEHOLDER["name"], PLACEHOLDER["credentials"]) or not name:
        return Clinician.objects.get(slug=PLACEHOLDER["slug"])
    slug = slugify(f"{name} {credentials}")[:80] or "reviewer"
    clinician, _ = Clinician.objects.get_or_create(
        slug=slug, defaults={"name": name, "credentials": credentials, "role": "Medical reviewer", "reviews_content": True}
    )
    return clinician


def forwards(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Clinician = apps.get_model("practice", "Clinician")
    Clinician.objects.get_or_create(
        slug=PLACEHOLDER["slug"],
        defaults={**PLACEHOLDER, "role": "Medical reviewer", "reviews_content": True, "is_placeholder": True},
    )
    new_fields = tuple("reviewer" if field == "reviewed_by" else field for field in OLD_FIELDS)
    for article in Article.objects.all():
        in_step = article.synced_checksum == checksum(article, OLD_FIELDS, {})
        article.reviewer = clinician_for(Clinician, article.reviewed_by)
        if in_step:
            article.synced_checksum = checksum(article, new_fields, {"reviewer": article.reviewer.slug})
        article.save(update_fields=["reviewer", "synced_checksum"])


def backwards(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    for article in Article.objects.select_related("reviewer"):
        reviewer = article.reviewer
        article.reviewed_by = f"{reviewer.name}, {reviewer.credentials}" if reviewer.credentials else reviewer.name
        article.save(update_fields=["reviewed_by"])


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_article_reviewer_historicalarticle_reviewer"),
        ("practice", "0003_clinician_historicalclinician"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
