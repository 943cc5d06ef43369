"""purge_old_requests: removes closed requests past the retention period, with their history."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from consultations.models import ConsultationRequest, Status
from tests.factories import make_consultation

pytestmark = pytest.mark.django_db


def purge(*args) -> str:
    out = StringIO()
    call_command("purge_old_requests", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def requests_of_all_ages():
    long_ago = timezone.now() - dt.timedelta(days=400)
    return {
        "old_closed": make_consultation(status=Status.CLOSED, status_changed_at=long_ago),
        "old_not_candidate": make_consultation(status=Status.NOT_CANDIDATE, status_changed_at=long_ago),
        "old_but_open": make_consultation(status=Status.SCHEDULED, status_changed_at=long_ago),
        "recently_closed": make_consultation(status=Status.CLOSED),
    }


def test_deletes_only_finished_requests_past_retention_with_their_history(
    requests_of_all_ages, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        out = purge()
    assert "Deleted 2 request(s)" in out
    remaining = set(ConsultationRequest.objects.values_list("pk", flat=True))
    assert remaining == {requests_of_all_ages["old_but_open"].pk, requests_of_all_ages["recently_closed"].pk}
    deleted = [requests_of_all_ages["old_closed"].pk, requests_of_all_ages["old_not_candidate"].pk]
    assert not ConsultationRequest.history.filter(id__in=deleted).exists()


def test_dry_run_deletes_nothing(requests_of_all_ages):
    assert "Would delete 2 request(s)" in purge("--dry-run")
    assert ConsultationRequest.objects.count() == 4


def test_days_option_overrides_the_setting(requests_of_all_ages, settings):
    settings.CLINIC_RETENTION_DAYS = 1000
    assert "Deleted 0 request(s)" in purge()
    assert "Deleted 2 request(s)" in purge("--days", "30")


def test_days_must_be_positive():
    with pytest.raises(CommandError, match="at least 1"):
        purge("--days", "0")
