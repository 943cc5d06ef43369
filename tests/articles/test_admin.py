"""Article admin: staff only, review flags, preview with the public template, history."""

import datetime as dt
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from articles.models import Article, Status
from tests.factories import log_in_verified, make_article, make_staff, placeholder_reviewer

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")


def form_data(article: Article, **changes) -> dict:
    data = {
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "body": article.body,
        "topic": article.topic,
        "kind": article.kind,
        "order": article.order,
        "status": article.status,
        "published_at_0": timezone.localtime(article.published_at).strftime("%Y-%m-%d"),
        "published_at_1": timezone.localtime(article.published_at).strftime("%H:%M:%S"),
        "reviewer": article.reviewer_id,
        "last_reviewed": article.last_reviewed.isoformat(),
        "next_review_due": article.next_review_due.isoformat(),
        "references-TOTAL_FORMS": "1",
        "references-INITIAL_FORMS": "0",
        "references-MIN_NUM_FORMS": "0",
        "references-MAX_NUM_FORMS": "1000",
        "references-0-position": "0",
        "references-0-title": "Preview source",
        "references-0-publisher": "NIMH",
        "references-0-year": "2024",
        "references-0-url": "https://www.nimh.nih.gov/",
        **changes,
    }
    return data


class _BrowserForm(HTMLParser):
    """The fields of one <form> as a browser sends them: hidden inputs too (the admin's `initial-`
    copies among them), checked boxes only, and textareas with the CRLF line endings browsers send."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside, self.fields = form_id, False, []
        self.select = self.textarea = self.option = None
        self.options = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "disabled" in attrs:
            return
        if tag == "input" and attrs.get("name") and attrs.get("type", "text") not in ("submit", "button", "file"):
            if attrs.get("type") not in ("checkbox", "radio") or "checked" in attrs:
                default = "on" if attrs.get("type") in ("checkbox", "radio") else ""
                self.fields.append((attrs["name"], attrs.get("value", default)))
        elif tag == "select":
            self.select, self.options = attrs["name"], []
        elif tag == "option" and self.select:
            self.options.append([attrs.get("value"), "selected" in attrs, ""])
            self.option = self.options[-1]
        elif tag == "textarea":
            self.textarea = [attrs["name"], ""]

    def handle_data(self, data):
        if self.textarea:
            self.textarea[1] += data
        elif self.option:
            self.option[2] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "option":
            self.option = None
        elif tag == "select" and self.select:
            chosen = [option for option in self.options if option[1]] or self.options[:1]
            self.fields += [(self.select, value if value is not None else text) for value, _, text in chosen]
            self.select = None
        elif tag == "textarea" and self.textarea:
            name, text = self.textarea
            text = text.replace("\r\n", "\n").replace("\r", "\n")  # as HTML parsing does
            text = text[1:] if text.startswith("\n") else text  # HTML drops the newline after <textarea>
            self.fields.append((name, text.replace("\n", "\r\n")))
            self.textarea = None


def browser_post_data(response, form_id: str = "article_form", **changes) -> dict[str, list[str]]:
    """What a browser posts from the form on a page, unchanged but for `changes` (name: value)."""
    parser = _BrowserForm(form_id)
    parser.feed(response.content.decode())
    data: dict[str, list[str]] = {}
    for name, value in parser.fields:
        data.setdefault(name, []).append(value)
    return {**data, **{name: [value] for name, value in changes.items()}}


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    article = make_article()
    for url in (CHANGELIST, reverse("admin:articles_article_change", args=[article.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    assert client.post(reverse("admin:articles_article_preview"), {}).status_code == 302


def test_staff_without_article_permission_are_refused(client):
    log_in_verified(client, make_staff(username="nopes", superuser=False))
    assert client.get(CHANGELIST).status_code == 403


def test_changelist_shows_status_topic_and_flags_overdue_reviews(staff_client, django_assert_max_num_queries):
    today = timezone.localdate()
    make_article(
        title="Overdue one", last_reviewed=today - dt.timedelta(days=400), next_review_due=today - dt.timedelta(days=2)
    )
    make_article(title="Fine one")
    make_article(title="Draft one", status=Status.DRAFT)
    with django_assert_max_num_queries(11):  # incl. the sliding session (2) and the OTP device (1)
        response = staff_client.get(CHANGELIST)
    assertContains(response, "Overdue one")
    assertContains(response, 'class="review-overdue"', count=1)
    assertContains(response, "About ketamine treatment")

    overdue = staff_client.get(CHANGELIST, {"review": "overdue"})
    assertContains(overdue, "Overdue one")
    assertNotContains(overdue, "Fine one")


def test_search_covers_title_and_body(staff_client):
    make_article(title="Alpha", body="## Section\n\nmentions dissociation here")
    make_article(title="Beta")
    response = staff_client.get(CHANGELIST, {"q": "dissociation"})
    assertContains(response, "Alpha")
    assertNotContains(response, ">Beta<")


def test_change_form_offers_a_preview_button(staff_client):
    article = make_article()
    response = staff_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    preview_url = reverse("admin:articles_article_preview", args=[article.pk])
    assertContains(response, f'formaction="{preview_url}"')
    assertContains(response, 'formtarget="_blank"')


def test_preview_renders_unsaved_changes_with_the_public_template(staff_client):
    article = make_article(title="Saved title", status=Status.DRAFT)
    url = reverse("admin:articles_article_preview", args=[article.pk])
    response = staff_client.post(
        url, form_data(article, title="Unsaved title", body="## New\n\n<script>x()</script>Fresh words.")
    )
    assertTemplateUsed(response, "articles/article_detail.html")
    assertContains(response, "Unsaved title")
    assertContains(response, "Fresh words.")
    assertContains(response, "Preview: not saved.")
    assertContains(response, "Preview source. NIMH, 2024.")
    assertNotContains(response, "<script>x()")
    assert "no-store" in response["Cache-Control"]
    assert Article.objects.get(pk=article.pk).title == "Saved title"


def test_preview_of_a_new_article(staff_client):
    template = Article(
        title="Brand new", slug="brand-new", summary="S.", body="Hello.", topic="care", kind="guide",
        status="draft", published_at=timezone.now(), reviewer=placeholder_reviewer(),
        last_reviewed=dt.date(2026, 1, 1), next_review_due=dt.date(2026, 6, 1),
    )  # fmt: skip
    response = staff_client.post(reverse("admin:articles_article_preview"), form_data(template))
    assertContains(response, "Brand new")
    assert not Article.objects.exists()


def test_preview_of_an_invalid_form_lists_the_problems(staff_client):
    article = make_article()
    response = staff_client.post(
        reverse("admin:articles_article_preview", args=[article.pk]), form_data(article, title="")
    )
    assertContains(response, "cannot be previewed yet", status_code=400)
    assertContains(response, "Title: This field is required.", status_code=400)


def test_preview_needs_post(staff_client):
    assert staff_client.get(reverse("admin:articles_article_preview")).status_code == 405


def test_saving_in_admin_records_who_changed_what(staff_client):
    article = make_article(title="Before")
    response = staff_client.post(
        reverse("admin:articles_article_change", args=[article.pk]), form_data(article, title="After")
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    latest = article.history.latest()
    assert latest.title == "After"
    assert latest.history_user.username == "staff"
    history = staff_client.get(reverse("admin:articles_article_history", args=[article.pk]))
    assertContains(history, "After")
    assertContains(history, "staff")


def test_publishing_from_admin_makes_the_article_live(staff_client):
    client = Client()  # an anonymous visitor, apart from the logged-in staff client
    article = make_article(status=Status.DRAFT)
    assert client.get(article.get_absolute_url()).status_code == 404
    staff_client.post(
        reverse("admin:articles_article_change", args=[article.pk]), form_data(article, status="published")
    )
    assert client.get(article.get_absolute_url()).status_code == 200


def test_admin_rejects_a_next_review_before_the_last(staff_client):
    article = make_article()
    response = staff_client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        form_data(article, next_review_due="2000-01-01"),
    )
    assertContains(response, "The next review must be on or after the last review.")


def test_admin_refuses_a_body_with_an_unclosed_tag_and_names_its_line(staff_client):
    article = make_article(body="## Part\n\nSaved text.\n")
    body = "## Part\r\n\r\nIntro.\r\n\r\n<style>\r\n\r\n## The rest\r\n\r\nWould vanish.\r\n"  # as browsers send it
    response = staff_client.post(
        reverse("admin:articles_article_change", args=[article.pk]), form_data(article, body=body)
    )
    assert response.status_code == 200  # the form again, not a redirect after saving
    assert response.context["adminform"].form.errors["body"] == [
        "Line 5: <style> is never closed, so it would hide or garble everything after it. "
        "Close it, remove it, or write it between backticks (`<style>`) to show it as code."
    ]
    assert Article.objects.get(pk=article.pk).body == "## Part\n\nSaved text.\n"

    preview = staff_client.post(
        reverse("admin:articles_article_preview", args=[article.pk]), form_data(article, body=body)
    )
    assertContains(preview, "Body: Line 5: &lt;style&gt; is never closed", status_code=400)


def test_admin_saves_a_body_that_shows_a_tag_as_code(staff_client):
    article = make_article()
    body = "## Part\n\nA `<style>` tag holds CSS:\n\n    <style>\n    p { color: red }\n"
    response = staff_client.post(
        reverse("admin:articles_article_change", args=[article.pk]), form_data(article, body=body)
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert "<code>&lt;style&gt;</code>" in Article.objects.get(pk=article.pk).body_html
