"""Article: rendering on save, publishing rules, review dates, history."""

import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError
from django.utils import timezone

from articles.models import Article, Kind, Reference, Status
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_saving_renders_the_body_once_into_html_toc_and_reading_time():
    article = make_article(body="## One\n\nA.\n\n## Two\n\nB.\n\n## Three\n\n<script>x()</script>C.\n")
    stored = Article.objects.get(pk=article.pk)
    assert '<h2 id="one">One</h2>' in stored.body_html
    assert "<script" not in stored.body_html
    assert [item["id"] for item in stored.toc] == ["one", "two", "three"]
    assert stored.shows_toc
    assert stored.reading_minutes == 1


def test_toc_is_shown_only_for_three_or_more_sections():
    assert not make_article(body="## One\n\n## Two\n").shows_toc


def test_windows_line_endings_from_the_admin_textarea_are_normalised():
    assert make_article(body="## One\r\n\r\nText.\r\n").body == "## One\n\nText.\n"


def test_faq_kind_renders_questions_as_disclosures():
    article = make_article(kind=Kind.FAQ, body="## Group\n\n### Can I drive?\n\nNot that day.\n")
    assert '<details class="faq" id="can-i-drive">' in article.body_html


def test_published_excludes_drafts_and_future_articles():
    live = make_article()
    make_article(status=Status.DRAFT)
    make_article(published_at=timezone.now() + dt.timedelta(hours=1))
    assert list(Article.objects.published()) == [live]


def test_a_scheduled_article_appears_by_itself_when_its_time_comes():
    publish_at = timezone.now() + dt.timedelta(days=2)
    article = make_article(published_at=publish_at)
    assert not article.is_published
    with time_machine.travel(publish_at + dt.timedelta(seconds=1)):
        assert article.is_published
        assert list(Article.objects.published()) == [article]


def test_overdue_for_review_is_flagged_but_still_published():
    today = timezone.localdate()
    overdue = make_article(last_reviewed=today - dt.timedelta(days=400), next_review_due=today - dt.timedelta(days=1))
    current = make_article()
    assert overdue.is_overdue_for_review and not current.is_overdue_for_review
    assert list(Article.objects.overdue_for_review()) == [overdue]
    assert overdue in Article.objects.published()


def test_next_review_cannot_be_before_the_last_review():
    today = timezone.localdate()
    with pytest.raises(IntegrityError):
        make_article(last_reviewed=today, next_review_due=today - dt.timedelta(days=1))


def test_absolute_url_uses_the_slug():
    assert make_article(slug="what-to-expect").get_absolute_url() == "/articles/what-to-expect/"


def test_every_change_is_kept_in_history():
    article = make_article(title="First title")
    article.title = "Second title"
    article.save()
    titles = list(article.history.order_by("history_date").values_list("title", flat=True))
    assert titles == ["First title", "Second title"]
    assert article.history.first().diff_against(article.history.last()).changed_fields == ["title"]


def test_checksum_changes_with_content_and_references():
    article = make_article()
    before = article.content_checksum()
    assert before == Article.objects.get(pk=article.pk).content_checksum()  # stable across a reload
    article.references.first().delete()
    assert Article.objects.get(pk=article.pk).content_checksum() != before


def editable_fields(model) -> set[str]:
    return {field.name for field in model._meta.concrete_fields if field.editable and not field.primary_key}


def test_synced_fields_are_every_field_staff_can_edit():
    """A new editable field must join Article.SYNCED_FIELDS, or files, export and checksum would all miss it."""
    assert len(Article.SYNCED_FIELDS) == len(set(Article.SYNCED_FIELDS))
    assert set(Article.SYNCED_FIELDS) == editable_fields(Article)


def test_reference_content_fields_are_every_field_staff_can_edit_but_its_place():
    """Likewise for references; the article and position are where a reference sits, not what it says."""
    assert set(Reference.CONTENT_FIELDS) == editable_fields(Reference) - {"article", "position"}
    reference = Reference(title="A source", publisher="NIMH", year=2024, url="https://www.nimh.nih.gov/")
    assert list(reference.as_dict().items()) == [
        ("title", "A source"), ("publisher", "NIMH"), ("year", 2024), ("url", "https://www.nimh.nih.gov/"),
    ]  # fmt: skip
