"""Form limits hold with the cache down: the paths that send email count in the database instead."""

import logging

import pytest
from django.core import mail
from django.urls import reverse

from web.models import RateLimitCount
from web.ratelimit import over_limit_in_database, parse_rate

pytestmark = pytest.mark.django_db

SIGNUP = reverse("newsletter:signup")


def test_rates_are_read_as_django_ratelimit_writes_them():
    assert parse_rate("10/h") == (10, 3600)
    assert parse_rate("3/d") == (3, 86400)
    assert parse_rate("5/15m") == (5, 900)


def test_with_the_cache_down_one_address_cannot_flood_a_mailbox(
    client, settings, unreachable_cache, django_capture_on_commit_callbacks, caplog
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.CLINIC_NEWSLETTER_CONFIRM_RATE = "3/h"
    settings.CLINIC_FORM_RATE = "10/h"
    statuses = []
    with caplog.at_level(logging.WARNING, logger="web.ratelimit"):
        for _ in range(20):
            with django_capture_on_commit_callbacks(execute=True):
                statuses.append(client.post(SIGNUP, {"email": "target@example.com"}).status_code)
    assert len(mail.outbox) == 3  # confirmation emails to the address, at most
    assert statuses == [200] * 10 + [429] * 10  # signups from the address, at most
    assert "Rate-limit cache unreachable; counting in the database (group=newsletter-signup)" in caplog.messages


def test_counts_are_keyed_by_a_hash_and_old_windows_are_removed(time_machine):
    time_machine.move_to("2026-11-26 10:00:00Z")
    assert not over_limit_in_database("newsletter-signup", "203.0.113.9", "1/h")
    assert over_limit_in_database("newsletter-signup", "203.0.113.9", "1/h")
    (row,) = RateLimitCount.objects.all()
    assert "203.0.113.9" not in row.key and len(row.key) == 64 and row.count == 2
    time_machine.move_to("2026-11-27 12:00:00Z")
    assert not over_limit_in_database("newsletter-signup", "203.0.113.9", "1/h")
    assert RateLimitCount.objects.count() == 1  # yesterday's window is gone
