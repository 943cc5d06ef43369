"""History in admin: times on the clinic's clock, and no change recorded where nothing changed."""

import datetime as dt
import shutil
from pathlib import Path

import pytest
import time_machine
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains
from simple_history.admin import SimpleHistoryAdmin

from articles.loading import sync_content
from articles.models import Article, Status
from staff.history import DIFF_MAX_PLACES, HistoryAdmin, TextareaField, clinic_datetime, same_text, word_diff
from tests.articles.test_admin import browser_post_data
from tests.factories import make_article, placeholder_reviewer

pytestmark = pytest.mark.django_db

REPO_CONTENT = Path(__file__).resolve().parents[2] / "content"
TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "simple_history"


def load_from_content(directory: Path, slug: str) -> Article:
    """The article as `sync_content` loads it from content/<slug>.md: its body ends with a newline."""
    directory.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO_CONTENT / f"{slug}.md", directory)
    placeholder_reviewer()
    sync_content(directory)
    return Article.objects.get(slug=slug)


def history_page(client, article) -> str:
    return client.get(reverse("admin:articles_article_history", args=[article.pk])).content.decode()


def test_saving_a_loaded_article_unchanged_in_admin_records_no_change(staff_client, tmp_path):
    content = tmp_path / "content"
    article = load_from_content(content, "between-sessions")
    body = article.body
    assert body.endswith("\n") and "\r" not in body
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = browser_post_data(staff_client.get(url))
    assert data["body"] == [body.replace("\n", "\r\n")]  # what a browser sends back

    response = staff_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert LogEntry.objects.get(object_id=str(article.pk)).get_change_message() == "No fields changed."
    article.refresh_from_db()
    assert article.body == body
    latest, previous = article.history.all()[:2]
    assert latest.diff_against(previous).changed_fields == []
    assertNotContains(staff_client.get(reverse("admin:articles_article_history", args=[article.pk])), "Body:")
    assert sync_content(content).unchanged == ["between-sessions"]  # still the file's text, not "edited by staff"


def test_an_edit_of_the_body_is_still_recorded(staff_client, tmp_path):
    article = load_from_content(tmp_path / "content", "between-sessions")
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = browser_post_data(staff_client.get(url))
    data["body"] = [data["body"][0] + "\r\nOne more line.\r\n"]

    assert staff_client.post(url, data).status_code == 302

    assert LogEntry.objects.get(object_id=str(article.pk)).get_change_message() == "Changed Body."
    article.refresh_from_db()
    assert article.body.endswith("help.\n\nOne more line.\n")
    assertContains(staff_client.get(reverse("admin:articles_article_history", args=[article.pk])), "Body:")


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("One\r\ntwo\r\n", "One\ntwo\n"),  # a browser's line endings
        ("One\rtwo", "One\ntwo"),
        ("  indented code\n", "  indented code\n"),  # kept as typed, ends included
    ],
)
def test_textarea_field_keeps_the_text_with_plain_newlines(sent, stored):
    assert TextareaField().clean(sent) == stored


def test_textarea_field_is_unchanged_by_line_endings_alone():
    field = TextareaField()
    assert not field.has_changed("One\ntwo\n", "One\r\ntwo\r\n")
    assert not field.has_changed("One\r\ntwo", "One\r\ntwo")  # a text saved with CRLFs before the fix
    assert field.has_changed("One\ntwo\n", "One\r\nthree\r\n")


def test_textarea_field_still_requires_words():
    with pytest.raises(Exception, match="required"):
        TextareaField().clean(" \r\n ")
    assert TextareaField(required=False).clean(" \r\n ") == ""


def test_same_text_ignores_line_endings_and_space_at_the_ends_only():
    assert same_text("A\nB\n", "A\r\nB")
    assert not same_text("A\nB", "A\n\nB")
    assert not same_text(None, "")


def test_history_shows_every_time_on_the_clinic_clock(staff_client, settings):
    settings.TIME_ZONE = "America/New_York"
    with time_machine.travel(dt.datetime(2026, 11, 2, 15, 0, tzinfo=dt.UTC), tick=False):
        article = make_article(published_at=dt.datetime(2026, 11, 1, 14, 0, tzinfo=dt.UTC), status=Status.DRAFT)
    with time_machine.travel(dt.datetime(2026, 11, 2, 15, 30, tzinfo=dt.UTC), tick=False):
        article.published_at = dt.datetime(2026, 11, 30, 17, 0, tzinfo=dt.UTC)
        article.save()

    html = history_page(staff_client, article)

    assert '<time datetime="2026-11-02T10:30:00-05:00">November 2, 2026, 10:30 a.m.</time>' in html
    assert (
        "Published at:</strong> November 1, 2026, 9:00 a.m.&nbsp;&rarr;&nbsp;&nbsp;November 30, 2026, 12:00 p.m."
        in html
    )
    assert "+00:00" not in html


def test_history_shows_dates_choices_and_flags_as_staff_read_them(staff_client):
    article = make_article(status=Status.DRAFT, next_review_due=dt.date(2027, 5, 1))
    article.status, article.is_featured, article.next_review_due = Status.PUBLISHED, True, dt.date(2027, 6, 1)
    article.save()

    html = history_page(staff_client, article)

    assert "Status:</strong> Draft&nbsp;&rarr;&nbsp;&nbsp;Published" in html
    assert "Featured on the home page:</strong> No&nbsp;&rarr;&nbsp;&nbsp;Yes" in html
    assert "Next review due:</strong> May 1, 2027&nbsp;&rarr;&nbsp;&nbsp;June 1, 2027" in html


def test_history_leaves_out_versions_that_differ_only_in_line_endings_or_a_last_newline(staff_client):
    article = make_article(body="## Part\n\nText.\n")
    article.body = "## Part\r\n\r\nText."  # as a save before the fix stored it: no final newline
    article.save_base()  # not save(): render(), which would fold the CRLFs
    article.title = "Renamed"
    article.save()

    html = history_page(staff_client, article)

    assert "Body:" not in html
    assert "Title:</strong> " in html


def test_an_untouched_publish_time_keeps_its_fraction_of_a_second(staff_client):
    article = make_article(published_at=dt.datetime(2026, 11, 1, 14, 0, 0, 123456, tzinfo=dt.UTC))
    url = reverse("admin:articles_article_change", args=[article.pk])

    assert staff_client.post(url, browser_post_data(staff_client.get(url), title="Renamed")).status_code == 302

    article.refresh_from_db()
    assert article.published_at.microsecond == 123456  # the time box shows whole seconds only
    assert article.history.latest().diff_against(article.history.all()[1]).changed_fields == ["title"]


def test_history_leaves_out_changes_that_read_the_same(staff_client):
    article = make_article(published_at=dt.datetime(2026, 11, 1, 14, 0, 0, 123456, tzinfo=dt.UTC))
    article.published_at = article.published_at.replace(microsecond=0)  # as a save before the fix did
    article.save()
    assert "Published at:" not in history_page(staff_client, article)


# Changes that staff can read -------------------------------------------------------------------------

LONG_BODY = (
    "## Your first visit\n\nA staff member calls you within two working days. "
    + "They ask about your health, your medicines and what you hope treatment will do. " * 6
    + "Before the first visit we will send you a short form to fill in at home.\n\n"
    + "## Afterwards\n\n"
    + "Someone must drive you home, because ketamine affects how you see and move for some hours. " * 6
)


def test_a_short_text_change_is_shown_in_full(staff_client):
    old = "A step-by-step guide to what happens before, during and after your first visit to the clinic, " * 2
    new = old.replace("first visit", "first appointment")
    article = make_article(summary=old.strip())
    article.summary = new.strip()
    article.save()

    html = history_page(staff_client, article)

    assert f"Summary:</strong> {old.strip()}&nbsp;&rarr;&nbsp;&nbsp;{new.strip()}</li>" in html
    assert "chars]" not in html


def test_a_body_change_shows_the_words_removed_and_added_with_a_few_around_them(staff_client):
    article = make_article(body=LONG_BODY)
    article.body = LONG_BODY.replace("Before the first visit we will", "Before the first visit you will")
    article.save()

    html = history_page(staff_client, article)

    assert (
        '<li class="history-change-diff"><strong>Body:</strong> <span class="history-diff-place">'
        "… hope treatment will do. Before the first visit "
        '<del><span class="history-diff-label">removed: </span>we</del> '
        '<ins><span class="history-diff-label">added: </span>you</ins> '
        "will send you a short form to fill …</span></li>"  # eight words either side
    ) in html
    assert "Someone must drive you home" not in html  # far from the change
    assert "chars]" not in html


def test_a_body_change_is_escaped(staff_client):
    article = make_article(body="Text.\n")
    article.body = 'Text <b onclick="x()">bold</b>.\n'
    article.save()
    html = history_page(staff_client, article)
    assert "&lt;b onclick=&quot;x()&quot;&gt;bold&lt;/b&gt;." in html
    assert "<b onclick" not in html


def test_word_diff_cuts_long_runs_and_many_places_short():
    old = " ".join(f"w{i}" for i in range(400))
    rewritten = word_diff(old, "all new " * 60)
    assert "(80 more words)" in rewritten and "(360 more words)" in rewritten
    many = word_diff(old, " ".join(f"w{i}" if i % 40 else "changed" for i in range(400)))
    assert many.count('class="history-diff-place"') == DIFF_MAX_PLACES
    assert "and 6 more places" in many


def test_word_diff_says_when_only_spacing_changed():
    assert "Only line breaks or spacing changed." in word_diff("One two.\n\nThree.", "One two.\nThree.")


def test_every_admin_with_history_records_it_honestly():
    """One base class gives every history the clinic's clock and no false changes (staff/history.py)."""
    plain = [
        type(model_admin).__name__
        for model_admin in admin.site._registry.values()
        if isinstance(model_admin, SimpleHistoryAdmin) and not isinstance(model_admin, HistoryAdmin)
    ]
    assert plain == []


def test_history_templates_have_no_style_attribute():
    for path in TEMPLATES.glob("*.html"):
        assert "style=" not in path.read_text(), path


def test_clinic_datetime_reads_as_the_site_writes_times(settings):
    settings.TIME_ZONE = "America/New_York"
    assert clinic_datetime(dt.datetime(2026, 7, 1, 13, 5, tzinfo=dt.UTC)) == "July 1, 2026, 9:05 a.m."
