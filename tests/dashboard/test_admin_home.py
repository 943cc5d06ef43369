"""The dashboard on admin's home page: what each member of staff sees, the chart's markup, the cost."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from consultations.models import Status
from newsletter.models import Delivery, Issue
from tests.factories import log_in_verified, make_article, make_consultation, make_staff, make_subscriber
from tests.html_checks import assert_self_contained

pytestmark = pytest.mark.django_db
INDEX = reverse("admin:index")
CARD_TITLES = ["Consultation requests", "Requests per week", "Articles", "Newsletter"]


def dashboard_html(response) -> str:
    """The dashboard's own markup: from its box to the app list (or admin's no-permission line)."""
    html = response.content.decode()
    start = html.index('<div class="staff-dashboard">')
    ends = [html.find(marker, start) for marker in ('<div class="app-', '<div id="content-related"')]
    return html[start : min(end for end in ends if end != -1)]


def card_titles(html: str) -> list[str]:
    return re.findall(r'<section class="dashboard-card"[^>]*>\s*<h2 id="[^"]+">([^<]+)</h2>', html)


def signed_in(client, *permissions, superuser=False):
    log_in_verified(client, make_staff(username="someone", superuser=superuser, permissions=permissions))
    return client


@pytest.fixture
def some_of_everything():
    now = timezone.now()
    for days in range(0, 60, 4):
        make_consultation(created_at=now - dt.timedelta(days=days))
    make_consultation(status=Status.CLOSED)
    make_article(title="Coming soon", published_at=now + dt.timedelta(days=2))
    make_article(next_review_due=timezone.localdate() - dt.timedelta(days=1))
    make_article(next_review_due=timezone.localdate() + dt.timedelta(days=3))
    issue = Issue.objects.create(subject="News", body="Hello.", status="sending", send_started_at=now)
    for status in ("sent", "failed", "pending"):
        Delivery.objects.create(issue=issue, subscriber=make_subscriber(), status=status)


# Who sees what -------------------------------------------------------------------------------


def test_a_superuser_sees_every_card(staff_client, some_of_everything):
    html = dashboard_html(staff_client.get(INDEX))
    assert card_titles(html) == CARD_TITLES
    assert "Coming soon" in html and "News" in html
    assert "cannot see" not in html
    assert_self_contained(html)  # no inline script, style or event handler; nothing from elsewhere


def test_staff_who_may_only_view_articles_see_articles_and_no_request_query_runs(
    client, some_of_everything, django_assert_max_num_queries
):
    signed_in(client, "articles.view_article")
    client.get(INDEX)  # warm: session, permissions
    with django_assert_max_num_queries(20) as captured:
        response = client.get(INDEX)
    html = dashboard_html(response)
    assert card_titles(html) == ["Articles"]
    assert "Consultation requests" not in html and "<svg" not in html
    tables = " ".join(query["sql"] for query in captured.captured_queries)
    assert "consultations_consultationrequest" not in tables
    assert "newsletter_issue" not in tables and "newsletter_delivery" not in tables


def test_staff_who_handle_requests_see_requests_and_not_articles(client, some_of_everything):
    signed_in(client, "consultations.view_consultationrequest")
    html = dashboard_html(client.get(INDEX))
    assert card_titles(html) == ["Consultation requests", "Requests per week"]


def test_change_permission_counts_as_view_as_it_does_in_admin(client, some_of_everything):
    signed_in(client, "newsletter.change_issue", "consultations.change_consultationrequest")
    html = dashboard_html(client.get(INDEX))
    assert card_titles(html) == ["Consultation requests", "Requests per week", "Newsletter"]


def test_staff_with_no_permission_get_a_short_friendly_message(client, some_of_everything):
    signed_in(client)
    response = client.get(INDEX)
    html = dashboard_html(response)
    assert card_titles(html) == []
    assert "dashboard-cards" not in html
    assertContains(response, "Your account cannot see consultation requests, articles or the newsletter yet.")
    assertNotContains(response, "You don’t have permission to view or edit anything.")  # one message is enough


def test_the_go_live_checklist_is_inside_the_dashboard(staff_client):
    from practice.models import PriceItem

    PriceItem.objects.update(is_active=False)
    html = dashboard_html(staff_client.get(INDEX))
    assert "Before going live" in html and "The price list is empty" in html


def test_with_nothing_yet_every_card_says_so_calmly(staff_client):
    html = dashboard_html(staff_client.get(INDEX))
    assert card_titles(html) == CARD_TITLES
    assert "Nothing is scheduled." in html
    assert "No issue has been written yet." in html
    assert html.count('class="dashboard-number">0<') == 5  # three request figures, two article figures


# The chart -----------------------------------------------------------------------------------


def bar_heights(html: str) -> list[float]:
    return [float(h) for h in re.findall(r'<rect class="dashboard-chart-bar"[^>]* height="([\d.]+)"', html)]


def test_the_chart_is_an_svg_without_style_with_bars_in_proportion_and_the_same_numbers_in_a_table(staff_client):
    now = timezone.now()
    for weeks_ago, count in [(0, 2), (1, 4), (3, 1)]:
        for _ in range(count):
            make_consultation(created_at=now - dt.timedelta(weeks=weeks_ago))
    html = dashboard_html(staff_client.get(INDEX))
    svg = re.search(r"<svg.*?</svg>", html, re.S).group()
    assert 'role="img"' in svg and 'aria-labelledby="dashboard-chart-title"' in svg
    assert re.search(r'<title id="dashboard-chart-title">[^<]*7 in all, at most 4 in one week', svg)
    assert "style" not in svg and "<script" not in svg and not re.search(r"\son\w+=", svg)

    numbers = [int(n) for n in re.findall(r'class="dashboard-chart-number"[^>]*>(\d+)</text>', svg)]
    assert len(numbers) == 12 and sum(numbers) == 7 and numbers[-1] == 2
    heights = bar_heights(svg)
    assert len(heights) == 12 and max(heights) == 100
    for count, height in zip(numbers, heights, strict=True):
        assert height == pytest.approx(100 * count / 4, abs=0.05)

    table = re.search(r'<div class="dashboard-visually-hidden">.*?</table>', html, re.S).group()
    assert "<caption>Consultation requests per week" in table and '<th scope="col">Requests</th>' in table
    rows = re.findall(r'<th scope="row">([^<]+)</th><td>(\d+)</td>', table)
    assert [int(count) for _, count in rows] == numbers
    assert rows[-1][0].endswith("(this week)") and re.fullmatch(r"[A-Z][a-z]+ \d{1,2}, \d{4}", rows[0][0])


def test_the_chart_numbers_are_not_localized(staff_client, settings):
    settings.LANGUAGE_CODE = "de"  # a decimal comma would break the SVG's coordinates
    for _ in range(3):
        make_consultation()
    make_consultation(created_at=timezone.now() - dt.timedelta(weeks=1))
    svg = re.search(r"<svg.*?</svg>", dashboard_html(staff_client.get(INDEX)), re.S).group()
    assert "33.3" in svg and "33,3" not in svg


# Boundaries through the page --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("open_on_saturdays", "since"),
    [(False, "2026-11-27T00%3A00%3A00-05%3A00"), (True, "2026-11-27T10%3A00%3A00-05%3A00")],
)
def test_on_saturday_a_request_from_friday_afternoon_is_not_yet_waiting(client, settings, open_on_saturdays, since):
    """Working days are the days the clinic opens (the fresh install's hours include Saturday mornings)."""
    from practice.models import OpeningHours

    settings.TIME_ZONE = "America/New_York"
    clinic = ZoneInfo("America/New_York")
    if not open_on_saturdays:
        OpeningHours.objects.filter(weekday=5).delete()
    assert OpeningHours.objects.filter(weekday=5).exists() == open_on_saturdays
    make_consultation(created_at=dt.datetime(2026, 11, 27, 15, 0, tzinfo=clinic))  # Friday
    with time_machine.travel(dt.datetime(2026, 11, 28, 10, 0, tzinfo=clinic), tick=False):
        signed_in(client, superuser=True)
        html = dashboard_html(client.get(INDEX))
    waiting = re.search(r'(\d+)</span> <span class="dashboard-label">new for over a working day', html)
    assert waiting.group(1) == "0"
    assert f"?status__exact=new&amp;created_at__lt={since}" in html  # the link: what came before then


# The cost ----------------------------------------------------------------------------------------


def test_the_home_page_costs_a_bounded_number_of_queries_whatever_the_data(
    staff_client, some_of_everything, django_assert_max_num_queries
):
    staff_client.get(INDEX)  # warm: sessions, permissions, content types, the clinic's hours in the cache
    with django_assert_max_num_queries(17) as before:
        staff_client.get(INDEX)
    some_of_everything_again = [make_consultation() for _ in range(5)] + [
        make_article(published_at=timezone.now() + dt.timedelta(days=days)) for days in range(1, 9)
    ]
    assert some_of_everything_again
    with django_assert_max_num_queries(len(before.captured_queries)):
        response = staff_client.get(INDEX)
    assertContains(response, "All 9 scheduled articles")


def test_other_admin_pages_have_no_dashboard(staff_client):
    assertNotContains(staff_client.get(reverse("admin:articles_article_changelist")), 'class="staff-dashboard"')
