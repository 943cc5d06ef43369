"""Data migrations: records changed by the old re-signup behaviour are put right."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from newsletter.models import Subscriber, SubscriberStatus
from tests.factories import make_subscriber

pytestmark = pytest.mark.django_db


def test_0002_restores_unsubscribes_and_retires_confirmation_links_from_before_them():
    migration = importlib.import_module("newsletter.migrations.0002_keep_unsubscribes")
    left_at = timezone.now() - dt.timedelta(days=3)
    left = make_subscriber(status="unsubscribed", unsubscribed_at=left_at)
    # The old code set a re-signed-up address back to pending (with a new key) and kept unsubscribed_at.
    reset = make_subscriber(status="pending", unsubscribed_at=left_at)
    pending, confirmed = make_subscriber(status="pending"), make_subscriber()
    keys = dict(Subscriber.objects.values_list("pk", "token_key"))

    migration.keep_unsubscribes(apps, None)

    after = {s.pk: s for s in Subscriber.objects.all()}
    assert after[left.pk].status == after[reset.pk].status == SubscriberStatus.UNSUBSCRIBED
    assert after[left.pk].unsubscribed_at == after[reset.pk].unsubscribed_at == left_at
    assert after[left.pk].token_key != keys[left.pk]  # links sent before the unsubscribe stop working
    assert after[reset.pk].token_key == keys[reset.pk]  # the link sent after it still lets the owner back
    assert (after[pending.pk].status, after[pending.pk].token_key) == ("pending", keys[pending.pk])
    assert (after[confirmed.pk].status, after[confirmed.pk].token_key) == ("confirmed", keys[confirmed.pk])
