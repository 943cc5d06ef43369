"""Each figure on the dashboard: the right number at its boundaries, and a link to exactly those rows."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from consultations.models import Status
from dashboard.clinic_time import MONDAY_TO_FRIDAY
from dashboard.figures import article_figures, latest_issue_progress, request_figures
from newsletter.models import Delivery, Issue
from tests.factories import make_article, make_consultation, make_staff, make_subscriber

pytestmark = pytest.mark.django_db
CLINIC = ZoneInfo("America/New_York")
THURSDAY_NOON = dt.datetime(2026, 11, 26, 12, 0, tzinfo=CLINIC)


@pytest.fixture(autouse=True)
def _clinic_zone(settings):
    settings.TIME_ZONE = "America/New_York"


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=CLINIC)


def shown_by(client, url: str) -> set[int]:
    """The primary keys the admin changelist at url lists."""
    response = client.get(url)
    assert response.status_code == 200, url
    return {row.pk for row in response.context["cl"].result_list}


def figures_by_label(figures) -> dict:
    return {figure.label: figure for figure in figures}


# Consultation requests ------------------------------------------------------------------------


@pytest.fixture
def requests_of_all_kinds():
    colleague = make_staff(username="colleague", superuser=False)
    return {
        "new_today": make_consultation(created_at=at("2026-11-26 09:00")),
        "new_yesterday_afternoon": make_consultation(created_at=at("2026-11-25 13:00")),  # under a working day
        "new_two_days_ago": make_consultation(created_at=at("2026-11-24 15:00")),
        "new_assigned": make_consultation(created_at=at("2026-11-20 10:00"), assigned_to=colleague),
        "contacted": make_consultation(created_at=at("2026-11-19 10:00"), status=Status.CONTACTED),
        "scheduled_assigned": make_consultation(status=Status.SCHEDULED, assigned_to=colleague),
        "closed": make_consultation(status=Status.CLOSED),
        "not_candidate": make_consultation(status=Status.NOT_CANDIDATE),
    }


def test_new_unassigned_and_waiting_requests_are_counted(requests_of_all_kinds):
    figures = figures_by_label(request_figures(now=THURSDAY_NOON, working_days=MONDAY_TO_FRIDAY).figures)
    assert figures["new"].count == 4
    assert figures["not assigned to anyone"].count == 4  # three new ones and the contacted one
    assert figures["new for over a working day"].count == 2  # two days ago, and the assigned one
    assert figures["new for over a working day"].needs_action


def test_each_request_figure_links_to_exactly_the_requests_it_counts(requests_of_all_kinds, staff_client):
    requests = requests_of_all_kinds
    figures = figures_by_label(request_figures(now=THURSDAY_NOON, working_days=MONDAY_TO_FRIDAY).figures)
    expected = {
        "new": {"new_today", "new_yesterday_afternoon", "new_two_days_ago", "new_assigned"},
        "not assigned to anyone": {"new_today", "new_yesterday_afternoon", "new_two_days_ago", "contacted"},
        "new for over a working day": {"new_two_days_ago", "new_assigned"},
    }
    for label, names in expected.items():
        figure = figures[label]
        assert figure.url.startswith("/admin/consultations/consultationrequest/?"), figure.url
        assert shown_by(staff_client, figure.url) == {requests[name].pk for name in names}, label
        assert figure.count == len(names)


def test_a_request_from_friday_afternoon_waits_only_from_monday_afternoon():
    make_consultation(created_at=at("2026-11-27 15:00"))  # Friday

    def waiting(now):
        figures = request_figures(now=at(now), working_days=MONDAY_TO_FRIDAY).figures
        return figures_by_label(figures)["new for over a working day"].count

    assert [waiting("2026-11-28 10:00"), waiting("2026-11-29 22:00"), waiting("2026-11-30 14:00")] == [0, 0, 0]
    assert waiting("2026-11-30 15:30") == 1


def test_requests_per_week_start_on_the_clinics_monday_and_empty_weeks_show_zero():
    for moment in [
        "2026-11-23 00:00",  # this week's first moment (Monday)
        "2026-11-26 11:59",
        "2026-11-22 23:59",  # last week's last minute (Sunday)
        "2026-09-07 00:00",  # the first of the twelve weeks
        "2026-09-06 23:59",  # the day before it: too old to show
    ]:
        make_consultation(created_at=at(moment))
    # Sunday 10:30 pm in New York, Monday 03:30 in UTC: last week's.
    make_consultation(created_at=dt.datetime(2026, 11, 23, 3, 30, tzinfo=dt.UTC))

    weeks = request_figures(now=THURSDAY_NOON, working_days=MONDAY_TO_FRIDAY).weeks
    assert len(weeks) == 12
    assert [week.starts for week in weeks][:2] == [dt.date(2026, 9, 7), dt.date(2026, 9, 14)]
    assert (weeks[-1].starts, weeks[-1].count, weeks[-1].is_current) == (dt.date(2026, 11, 23), 2, True)
    assert (weeks[-2].starts, weeks[-2].count) == (dt.date(2026, 11, 16), 2)
    assert weeks[0].count == 1
    assert [week.count for week in weeks[1:-2]] == [0] * 9
    assert not any(week.is_current for week in weeks[:-1])


def test_the_chart_has_the_weeks_numbers():
    for day in (1, 1, 1, 2):  # two on Nov 2, none after: the chart still has twelve bars
        make_consultation(created_at=at(f"2026-11-0{day + 1} 10:00"))
    result = request_figures(now=THURSDAY_NOON, working_days=MONDAY_TO_FRIDAY)
    assert [bar.count for bar in result.chart.bars] == [week.count for week in result.weeks]
    assert [bar.label for bar in result.chart.bars if bar.label] == ["Sep 28", "Oct 26", "Nov 23"]


def test_request_figures_cost_one_query(requests_of_all_kinds, django_assert_num_queries):
    with django_assert_num_queries(1):
        request_figures(now=THURSDAY_NOON, working_days=MONDAY_TO_FRIDAY)


# Articles ---------------------------------------------------------------------------------------


def test_articles_due_for_review_soon_and_overdue_match_admins_review_filter(staff_client):
    today = timezone.localdate()
    days = {"yesterday": -1, "today": 0, "in_30_days": 30, "in_31_days": 31}
    reviewed = today - dt.timedelta(days=60)
    articles = {
        name: make_article(next_review_due=today + dt.timedelta(days=offset), last_reviewed=reviewed)
        for name, offset in days.items()
    }
    figures = article_figures(now=timezone.now()).figures
    soon, overdue = figures
    assert (soon.label, soon.count) == ("due for review in the next 30 days", 2)
    assert (overdue.label, overdue.count, overdue.needs_action) == ("overdue for review", 1, True)
    assert shown_by(staff_client, soon.url) == {articles["today"].pk, articles["in_30_days"].pk}
    assert shown_by(staff_client, overdue.url) == {articles["yesterday"].pk}
    assert soon.url.endswith("?review=soon") and overdue.url.endswith("?review=overdue")


def test_scheduled_articles_are_listed_soonest_first_in_the_clinics_time_zone(staff_client):
    now = timezone.now().replace(microsecond=0)
    later = make_article(title="Later", published_at=now + dt.timedelta(days=3))
    sooner = make_article(title="Sooner", published_at=dt.datetime(2099, 1, 1, 14, 30, tzinfo=dt.UTC))
    sooner.published_at = now + dt.timedelta(hours=2)
    sooner.save()
    make_article(title="Live", published_at=now - dt.timedelta(minutes=1))
    make_article(title="Draft for later", status="draft", published_at=now + dt.timedelta(days=1))

    result = article_figures(now=now)
    assert [article.title for article in result.scheduled] == ["Sooner", "Later"]
    assert result.scheduled_count == 2
    assert result.scheduled[0].publishes_at.tzinfo.key == "America/New_York"
    assert result.scheduled[0].url == f"/admin/articles/article/{sooner.pk}/change/"
    assert shown_by(staff_client, result.scheduled_url) == {sooner.pk, later.pk}


def test_a_scheduled_time_reads_as_the_clinics_clock():
    make_article(title="New year", published_at=dt.datetime(2099, 1, 1, 14, 30, tzinfo=dt.UTC))
    [article] = article_figures(now=timezone.now()).scheduled
    assert article.when == "Thu, January 1, 2099, 9:30 a.m."


def test_only_the_next_few_scheduled_articles_are_named(django_assert_num_queries):
    now = timezone.now()
    for hours in range(1, 8):
        make_article(published_at=now + dt.timedelta(hours=hours))
    with django_assert_num_queries(2):
        result = article_figures(now=now)
    assert (len(result.scheduled), result.scheduled_count) == (5, 7)


# The newsletter --------------------------------------------------------------------------------


def test_the_latest_issue_sent_shows_its_progress():
    readers = [make_subscriber() for _ in range(6)]
    sent = Issue.objects.create(
        subject="November news", body="Hello.", status="sending", send_started_at=timezone.now()
    )
    for reader, status in zip(readers, ["sent", "sent", "sent", "failed", "pending", "sending"], strict=True):
        Delivery.objects.create(issue=sent, subscriber=reader, status=status)
    Issue.objects.create(
        subject="Older", body="Hi.", status="sent", send_started_at=timezone.now() - dt.timedelta(days=30)
    )
    Issue.objects.create(subject="December draft", body="Soon.")  # newer, not sent: progress means nothing yet

    progress = latest_issue_progress()
    assert (progress.subject, progress.status) == ("November news", "Sending")
    assert (progress.sent, progress.failed, progress.remaining) == (3, 1, 2)
    assert progress.url == f"/admin/newsletter/issue/{sent.pk}/change/"


def test_with_nothing_sent_the_newest_draft_shows_and_with_no_issue_nothing():
    assert latest_issue_progress() is None
    Issue.objects.create(subject="First draft", body="Hello.")
    Issue.objects.create(subject="Second draft", body="Hello.")
    progress = latest_issue_progress()
    assert (progress.subject, progress.status, progress.sent, progress.remaining) == ("Second draft", "Draft", 0, 0)
