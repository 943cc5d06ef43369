"""purge_pending_subscribers: removes signups never confirmed once their link is long dead, and nothing else."""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from newsletter.models import Delivery, Issue, Subscriber
from tests.factories import make_subscriber

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 5, 20, 3, 0, tzinfo=dt.UTC)
MARGIN = dt.timedelta(days=7)  # after the link expires, as the brief asks


@pytest.fixture(autouse=True)
def _frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


def purge(*args) -> str:
    out = StringIO()
    call_command("purge_pending_subscribers", *args, stdout=out)
    return out.getvalue()


def cutoff(settings) -> dt.datetime:
    return NOW - dt.timedelta(days=settings.CLINIC_NEWSLETTER_CONFIRM_DAYS) - MARGIN


@pytest.fixture
def subscribers_of_all_kinds(settings):
    settings.CLINIC_NEWSLETTER_CONFIRM_DAYS = 7
    edge, long_ago = cutoff(settings), NOW - dt.timedelta(days=400)
    return {
        "just_outside": make_subscriber(status="pending", consented_at=edge - dt.timedelta(seconds=1)),
        "long_ago": make_subscriber(status="pending", consented_at=long_ago),
        "just_inside": make_subscriber(status="pending", consented_at=edge + dt.timedelta(seconds=1)),
        "recent": make_subscriber(status="pending", consented_at=NOW - dt.timedelta(days=1)),
        "confirmed": make_subscriber(status="confirmed", consented_at=long_ago),
        "unsubscribed": make_subscriber(status="unsubscribed", consented_at=long_ago, unsubscribed_at=long_ago),
    }


def remaining(subscribers) -> set[str]:
    names = {subscriber.pk: name for name, subscriber in subscribers.items()}
    return {names[pk] for pk in Subscriber.objects.values_list("pk", flat=True)}


def test_deletes_only_pending_signups_older_than_the_link_life_plus_the_margin(
    subscribers_of_all_kinds, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        out = purge()
    assert "Deleted 2 pending subscriber(s) who signed up before 2026-05-06 and never confirmed." in out
    # Confirmed readers stay, and so does every unsubscribe: it is the do-not-email record.
    assert remaining(subscribers_of_all_kinds) == {"just_inside", "recent", "confirmed", "unsubscribed"}


def test_cutoff_follows_the_confirmation_days_setting(subscribers_of_all_kinds, settings):
    settings.CLINIC_NEWSLETTER_CONFIRM_DAYS = 30
    assert "Deleted 1 pending subscriber(s)" in purge()
    assert remaining(subscribers_of_all_kinds) == {"just_outside", "just_inside", "recent", "confirmed", "unsubscribed"}


def test_dry_run_deletes_nothing(subscribers_of_all_kinds):
    assert "Would delete 2 pending subscriber(s)" in purge("--dry-run")
    assert Subscriber.objects.count() == 6


def test_verbosity_zero_is_silent_but_still_deletes(subscribers_of_all_kinds):
    out = StringIO()
    call_command("purge_pending_subscribers", verbosity=0, stdout=out)
    assert out.getvalue() == ""
    assert Subscriber.objects.count() == 4


def test_a_new_signup_restarts_the_clock(client, django_capture_on_commit_callbacks, settings):
    settings.CLINIC_NEWSLETTER_CONFIRM_DAYS = 7
    with time_machine.travel(NOW - dt.timedelta(days=60), tick=False):
        client.post(reverse("newsletter:signup"), {"email": "slow@example.com"})
    with time_machine.travel(cutoff(settings) + dt.timedelta(minutes=1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("newsletter:signup"), {"email": "SLOW@example.com"})
    assert "Deleted 0 pending subscriber(s)" in purge()
    assert Subscriber.objects.get().status == "pending"


def test_deliveries_go_with_a_purged_subscriber_and_the_issue_stays(subscribers_of_all_kinds):
    # Only confirmed readers get deliveries, so a pending one with a delivery is a left-over from
    # before a status change; it must not block the purge.
    issue = Issue.objects.create(subject="Spring update", body="News.")
    Delivery.objects.create(issue=issue, subscriber=subscribers_of_all_kinds["long_ago"], status="failed")
    kept = Delivery.objects.create(issue=issue, subscriber=subscribers_of_all_kinds["confirmed"], status="sent")
    assert "Deleted 2 pending subscriber(s)" in purge()
    assert list(Delivery.objects.all()) == [kept]
    assert Issue.objects.filter(pk=issue.pk).exists()
