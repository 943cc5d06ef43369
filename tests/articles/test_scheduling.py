"""Scheduling that cannot surprise: a distinct Scheduled state, and a question before a save takes a live
article off the site."""

import datetime as dt

import pytest
import time_machine
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles.admin import KEEP_LIVE, NOTHING_SAVED, TAKE_DOWN
from articles.models import Article, State, Status
from tests.articles.test_admin import browser_post_data
from tests.factories import make_article, make_staff

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")
NOON_NOV_30 = dt.datetime(2026, 11, 30, 17, 0, tzinfo=dt.UTC)  # 12:00 p.m. in New York
NOW = dt.datetime(2026, 11, 2, 15, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def clinic_clock(settings):
    """The clinic's time zone, and a fixed now: November 2, 2026, 10:00 a.m. there."""
    settings.TIME_ZONE = "America/New_York"
    with time_machine.travel(NOW, tick=False):
        yield


def change_url(article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def edit(client, article, **changes):
    """Open the article's change form and post it back as a browser would, with `changes`."""
    return client.post(change_url(article), browser_post_data(client.get(change_url(article)), **changes))


def answer(client, article, choice: str, **changes):
    """Edit as `edit` does, get the question, and answer it with `choice` (the name of its button)."""
    asked = edit(client, article, **changes)
    assert asked.status_code == 200 and asked.context["adminform"].form.takedown_warning
    return client.post(change_url(article), browser_post_data(asked, **{choice: "1"}))


def a_live_article(**fields) -> Article:
    return make_article(status=Status.PUBLISHED, published_at=NOW - dt.timedelta(days=1), **fields)


# The state ---------------------------------------------------------------------------------------


def test_state_joins_status_and_publish_time():
    assert make_article(status=Status.PUBLISHED, published_at=NOW).state == State.LIVE
    assert make_article(status=Status.PUBLISHED, published_at=NOW + dt.timedelta(seconds=1)).state == State.SCHEDULED
    assert make_article(status=Status.DRAFT, published_at=NOW - dt.timedelta(days=9)).state == State.DRAFT
    assert make_article(status=Status.DRAFT, published_at=NOW + dt.timedelta(days=9)).state == State.DRAFT


def test_querysets_agree_with_the_state():
    live, scheduled = a_live_article(), make_article(published_at=NOON_NOV_30)
    draft = make_article(status=Status.DRAFT)
    assert list(Article.objects.in_state(State.LIVE)) == list(Article.objects.published()) == [live]
    assert list(Article.objects.in_state(State.SCHEDULED)) == list(Article.objects.scheduled()) == [scheduled]
    assert list(Article.objects.in_state(State.DRAFT)) == [draft]
    assert Article.objects.next_publication() == NOON_NOV_30


def test_changelist_shows_live_scheduled_and_draft(staff_client, django_assert_max_num_queries):
    a_live_article(title="On the site")
    make_article(title="Coming soon", published_at=NOON_NOV_30)
    make_article(title="Still a draft", status=Status.DRAFT)
    with django_assert_max_num_queries(11):  # as test_admin's changelist: no query per article
        response = staff_client.get(CHANGELIST)
    assertContains(response, '<span class="article-state article-state-live">Live</span>', html=True)
    assertContains(
        response,
        '<span class="article-state article-state-scheduled">'
        "Scheduled\u00a0· November 30, 2026, 12:00\u00a0p.m.</span>",
        html=True,
    )
    assertContains(response, '<span class="article-state article-state-draft">Draft</span>', html=True)
    assertNotContains(response, ">Published<")  # the status alone no longer speaks for the state


@pytest.mark.parametrize(
    ("state", "shown", "hidden"),
    [
        ("live", "On the site", "Coming soon"),
        ("scheduled", "Coming soon", "On the site"),
        ("draft", "Still a draft", "Coming soon"),
    ],
)
def test_state_filter(staff_client, state, shown, hidden):
    a_live_article(title="On the site")
    make_article(title="Coming soon", published_at=NOON_NOV_30)
    make_article(title="Still a draft", status=Status.DRAFT)
    response = staff_client.get(CHANGELIST, {"state": state})
    assertContains(response, f">{shown}<")
    assertNotContains(response, f">{hidden}<")


@pytest.mark.parametrize(
    ("fields", "line"),
    [
        ({"published_at": NOW - dt.timedelta(days=1)}, "Live since November 1, 2026, 10:00 a.m."),
        ({"published_at": NOON_NOV_30}, "Scheduled: goes live on November 30, 2026, 12:00 p.m."),
        ({"status": Status.DRAFT}, "Draft: not on the site"),
    ],
)
def test_change_form_says_where_the_article_stands_now(staff_client, fields, line):
    article = make_article(**fields)
    response = staff_client.get(change_url(article))
    assertContains(response, "On the site now")
    assertContains(response, f'<div class="readonly">{line}</div>', html=True)


# The question before a live article goes off the site -------------------------------------------------


def test_a_future_time_for_a_live_article_asks_first_and_saves_nothing(staff_client):
    article = a_live_article(title="Before")
    response = edit(staff_client, article, title="After", published_at_0="2026-11-30", published_at_1="12:00:00")

    assert response.status_code == 200
    warning = "This article is live now. Saving will take it off the site until November 30, 2026, 12:00 p.m. "
    assertContains(response, warning, count=2)  # the boxes at the top and under Publishing, before "Choose one"
    assertContains(
        response, f"<li>{warning.strip()}</li>", count=1
    )  # and at the field  # the box at the top, at the field, the box under Publishing
    assertContains(response, f'name="{KEEP_LIVE}"', count=2)
    assertContains(response, f'name="{TAKE_DOWN}"', count=2)
    assertNotContains(response, "Please correct the error")  # a question, not a mistake
    assertContains(response, 'value="After"')  # everything typed is kept
    assertContains(response, 'value="2026-11-30"')
    article.refresh_from_db()
    assert (article.title, article.state) == ("Before", State.LIVE)
    assert not LogEntry.objects.exists()


def test_switching_a_live_article_to_draft_asks_first(staff_client):
    article = a_live_article()
    response = edit(staff_client, article, status=Status.DRAFT)
    assertContains(response, "Saving will take it off the site until you publish it again.", count=3)
    article.refresh_from_db()
    assert article.state == State.LIVE


def test_keep_it_live_saves_the_other_edits_only(staff_client):
    article = a_live_article(title="Before")
    published_at = article.published_at
    response = answer(
        staff_client, article, KEEP_LIVE, title="After", published_at_0="2026-11-30", published_at_1="12:00:00"
    )

    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.title, article.status, article.published_at) == ("After", Status.PUBLISHED, published_at)
    assert LogEntry.objects.get().get_change_message() == "Changed Title."  # not the publishing fields
    assert article.history.latest().diff_against(article.history.all()[1]).changed_fields == ["title"]
    messages = [str(message) for message in response.wsgi_request._messages]
    assert "“After” is still live: its status and publish time were kept." in messages


def messages_of(response) -> list[str]:
    return [str(message) for message in response.wsgi_request._messages]


def test_keep_it_live_with_no_other_edit_saves_nothing(staff_client):
    article = a_live_article(title="Before")
    versions = article.history.count()
    response = answer(staff_client, article, KEEP_LIVE, published_at_0="2026-11-30", published_at_1="12:00:00")

    assert response.status_code == 302
    assert response["Location"] == CHANGELIST
    assert not LogEntry.objects.exists()  # no "Changed" entry with no fields
    assert article.history.count() == versions  # and no version
    assert messages_of(response) == [NOTHING_SAVED]  # not "was changed successfully"
    article.refresh_from_db()
    assert (article.title, article.state) == ("Before", State.LIVE)


def test_keep_it_live_with_a_reference_edit_saves_the_reference_only(staff_client):
    article = a_live_article()
    versions = article.history.count()
    response = answer(staff_client, article, KEEP_LIVE, status=Status.DRAFT, **{"references-0-title": "New source"})

    assert response.status_code == 302
    assert article.references.get(position=0).title == "New source"
    assert "Changed Title for reference" in LogEntry.objects.get().get_change_message()
    assert article.history.count() == versions  # the article itself did not change
    assert f"“{article}” is still live: its status and publish time were kept." in messages_of(response)
    assert NOTHING_SAVED not in messages_of(response)


def test_keep_it_live_in_a_revert_with_nothing_else_saves_nothing(staff_client):
    article = make_article(status=Status.DRAFT, published_at=NOW - dt.timedelta(hours=1))
    draft_version = article.history.latest()
    article.status = Status.PUBLISHED
    article.save()
    versions = article.history.count()
    url = reverse("admin:articles_article_simple_history", args=[article.pk, draft_version.pk])
    asked = staff_client.post(url, browser_post_data(staff_client.get(url), form_id="historicalarticle_form"))

    response = staff_client.post(url, browser_post_data(asked, form_id="historicalarticle_form", **{KEEP_LIVE: "1"}))

    assert response.status_code == 302
    assert (article.history.count(), LogEntry.objects.count()) == (versions, 0)
    assert messages_of(response) == [NOTHING_SAVED]


def test_keep_it_live_in_a_revert_saves_the_old_versions_other_fields(staff_client):
    article = make_article(status=Status.DRAFT, title="Old title", published_at=NOW - dt.timedelta(hours=1))
    draft_version = article.history.latest()
    article.status, article.title = Status.PUBLISHED, "New title"
    article.save()
    url = reverse("admin:articles_article_simple_history", args=[article.pk, draft_version.pk])
    asked = staff_client.post(url, browser_post_data(staff_client.get(url), form_id="historicalarticle_form"))

    response = staff_client.post(url, browser_post_data(asked, form_id="historicalarticle_form", **{KEEP_LIVE: "1"}))

    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.title, article.state) == ("Old title", State.LIVE)
    assert NOTHING_SAVED not in messages_of(response)


@pytest.mark.parametrize("choice", [KEEP_LIVE, TAKE_DOWN])
@pytest.mark.parametrize("other_edit", [{"title": "After"}, {}])
def test_either_answer_after_save_and_continue_returns_to_the_form(staff_client, choice, other_edit):
    article = a_live_article()
    asked = edit(
        staff_client, article, _continue="Save and continue editing", published_at_0="2026-11-30", **other_edit
    )
    assertContains(asked, '<input type="hidden" name="_continue" value="1">', count=2)  # in both boxes

    response = staff_client.post(change_url(article), browser_post_data(asked, **{choice: "1"}))

    assert response.status_code == 302
    assert response["Location"] == change_url(article)


@pytest.mark.parametrize("other_edit", [{"title": "After"}, {}])
def test_either_answer_after_save_and_add_another_opens_a_new_form(staff_client, other_edit):
    article = a_live_article()
    asked = edit(staff_client, article, _addanother="Save and add another", status=Status.DRAFT, **other_edit)
    response = staff_client.post(change_url(article), browser_post_data(asked, **{KEEP_LIVE: "1"}))
    assert response["Location"] == reverse("admin:articles_article_add")


def test_the_question_after_a_plain_save_carries_no_destination(staff_client):
    article = a_live_article()
    assertNotContains(edit(staff_client, article, status=Status.DRAFT), 'type="hidden" name="_continue"')


def test_take_it_off_the_site_schedules_it(staff_client):
    article = a_live_article()
    response = answer(staff_client, article, TAKE_DOWN, published_at_0="2026-11-30", published_at_1="12:00:00")

    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.state, article.published_at) == (State.SCHEDULED, NOON_NOV_30)
    assert LogEntry.objects.get().get_change_message() == "Changed Published at."
    messages = [str(message) for message in response.wsgi_request._messages]
    assert f"“{article}” is off the site until November 30, 2026, 12:00 p.m." in messages  # one full stop


def test_take_it_off_the_site_as_a_draft(staff_client):
    article = a_live_article()
    assert answer(staff_client, article, TAKE_DOWN, status=Status.DRAFT).status_code == 302
    article.refresh_from_db()
    assert article.state == State.DRAFT
    assert LogEntry.objects.get().get_change_message() == "Changed Status."


def test_saving_the_question_again_without_an_answer_asks_again(staff_client):
    article = a_live_article()
    asked = edit(staff_client, article, published_at_0="2026-11-30", published_at_1="12:00:00")
    again = staff_client.post(change_url(article), browser_post_data(asked))  # the plain Save button
    assertContains(again, "Saving will take it off the site until November 30, 2026, 12:00 p.m.")
    article.refresh_from_db()
    assert article.state == State.LIVE


@pytest.mark.parametrize(
    ("fields", "changes"),
    [
        ({"published_at": NOW - dt.timedelta(days=1)}, {"published_at_0": "2026-10-01"}),  # live, still live
        ({"published_at": NOON_NOV_30}, {"published_at_0": "2026-12-30"}),  # scheduled, later
        ({"status": Status.DRAFT}, {"published_at_0": "2026-12-30"}),  # a draft
        ({"published_at": NOON_NOV_30}, {"status": Status.DRAFT}),
    ],
)
def test_no_question_when_nothing_live_goes_down(staff_client, fields, changes):
    article = make_article(**fields)
    assert edit(staff_client, article, **changes).status_code == 302


def test_a_new_article_is_never_asked_about(staff_client):
    reviewer = make_article(slug="other").reviewer
    add_url = reverse("admin:articles_article_add")
    today = timezone.localdate().isoformat()
    data = browser_post_data(
        staff_client.get(add_url), title="New", slug="brand-new", summary="S.", body="Text.", topic="care",
        status=Status.PUBLISHED, published_at_0="2026-11-30", published_at_1="12:00:00",
        last_reviewed=today, next_review_due=today, reviewer=str(reviewer.pk),
    )  # fmt: skip
    response = staff_client.post(add_url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Article.objects.get(slug="brand-new").state == State.SCHEDULED


def test_the_preview_of_a_live_article_with_a_future_time_is_not_asked(staff_client):
    article = a_live_article()
    data = browser_post_data(staff_client.get(change_url(article)), title="Previewed", published_at_0="2026-11-30")
    response = staff_client.post(reverse("admin:articles_article_preview", args=[article.pk]), data)
    assertContains(response, "Previewed")
    assertNotContains(response, "take it off the site")
    article.refresh_from_db()
    assert article.state == State.LIVE


def test_reverting_to_a_draft_version_in_history_asks_first(staff_client):
    article = make_article(status=Status.DRAFT)
    draft_version = article.history.latest()
    article.status = Status.PUBLISHED
    article.published_at = NOW - dt.timedelta(hours=1)
    article.save()
    url = reverse("admin:articles_article_simple_history", args=[article.pk, draft_version.pk])

    revert_form = staff_client.get(url)
    assertNotContains(revert_form, "multipart/form-data")  # the site refuses multipart posts
    response = staff_client.post(url, browser_post_data(revert_form, form_id="historicalarticle_form"))

    assertContains(response, "Saving will take it off the site until you publish it again.")
    assertContains(response, f'name="{KEEP_LIVE}"')
    article.refresh_from_db()
    assert article.state == State.LIVE


def test_no_changelist_shortcut_changes_publishing(rf):
    """Bulk actions and list_editable save without the change form: none may touch status or publish time."""
    model_admin = admin.site._registry[Article]
    request = rf.get(CHANGELIST)
    request.user = make_staff()
    assert not model_admin.list_editable
    assert set(model_admin.get_actions(request)) == {"delete_selected"}


def test_scheduled_articles_go_live_on_time_without_a_save():
    article = make_article(published_at=NOON_NOV_30)
    with time_machine.travel(NOON_NOV_30 + dt.timedelta(seconds=1), tick=False):
        assert article.state == State.LIVE
        assert list(Article.objects.in_state(State.LIVE)) == [article]
