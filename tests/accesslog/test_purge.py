"""Retention: entries are kept six years, and outlive the requests they name, without personal data."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accesslog.models import AccessEntry, Action
from accesslog.services import record
from consultations.models import ConsultationRequest, Status
from tests.factories import make_consultation

pytestmark = pytest.mark.django_db

SIX_YEARS = dt.timedelta(days=6 * 365 + 2)


def purge(*args) -> str:
    out = StringIO()
    call_command("purge_access_log", *args, stdout=out)
    return out.getvalue()


def entry_aged(age: dt.timedelta) -> AccessEntry:
    return AccessEntry.objects.create(
        at=timezone.now() - age, username="nurse", action=Action.VIEWED, model="consultations.consultationrequest"
    )


@pytest.fixture
def entries_of_all_ages():
    return {
        "seven_years": entry_aged(dt.timedelta(days=7 * 365)),
        "just_over_six_years": entry_aged(SIX_YEARS + dt.timedelta(hours=1)),
        "just_under_six_years": entry_aged(SIX_YEARS - dt.timedelta(hours=1)),
        "five_years": entry_aged(dt.timedelta(days=5 * 365)),
        "today": entry_aged(dt.timedelta(0)),
    }


def test_deletes_only_entries_older_than_six_years(entries_of_all_ages):
    assert "Deleted 2 access log entries" in purge()
    kept = set(AccessEntry.objects.values_list("pk", flat=True))
    names = {"just_under_six_years", "five_years", "today"}
    assert kept == {entries_of_all_ages[name].pk for name in names}


def test_dry_run_deletes_nothing(entries_of_all_ages):
    assert "Would delete 2 access log entries" in purge("--dry-run")
    assert AccessEntry.objects.count() == 5


def test_a_longer_setting_keeps_more_and_a_shorter_one_never_goes_under_six_years(entries_of_all_ages, settings):
    settings.CLINIC_ACCESS_LOG_RETENTION_DAYS = 8 * 365
    assert "Deleted 0 access log entries" in purge()
    settings.CLINIC_ACCESS_LOG_RETENTION_DAYS = 30
    assert "Deleted 2 access log entries" in purge()


def test_entries_outlive_a_purged_request_and_hold_none_of_its_personal_data(staff_client, client):
    long_ago = timezone.now() - dt.timedelta(days=400)
    consultation = make_consultation(
        name="Robin Quill",
        email="robin.quill@example.com",
        phone="+12025550177",
        message="Treatment-resistant depression since 2019",
        notes="Prefers mornings",
        reference="KC-PRGD",
    )
    staff_client.get(reverse("admin:consultations_consultationrequest_change", args=[consultation.pk]))
    staff_client.get(reverse("admin:consultations_consultationrequest_history", args=[consultation.pk]))
    staff_client.post(
        reverse("admin:consultations_consultationrequest_changelist"),
        {"action": "export_csv", "_selected_action": [consultation.pk]},
    )
    ConsultationRequest.objects.filter(pk=consultation.pk).update(status=Status.CLOSED, status_changed_at=long_ago)

    call_command("purge_old_requests", stdout=StringIO())

    assert not ConsultationRequest.objects.exists()
    entries = list(AccessEntry.objects.values())
    assert [entry["action"] for entry in entries] == [Action.EXPORTED, Action.HISTORY_VIEWED, Action.VIEWED]
    assert all(entry["object_ids"] == [consultation.pk] and entry["labels"] == ["KC-PRGD"] for entry in entries)
    stored = repr(entries).lower()
    for personal in ["robin", "quill", "2025550177", "202) 555-0177", "depression", "mornings"]:
        assert personal not in stored


def test_record_stores_ids_as_text_when_they_are_not_integers(rf, django_user_model):
    import uuid

    request = rf.get("/")
    request.user = django_user_model.objects.create_user(username="someone")
    key = uuid.uuid4()
    entry = record(request, Action.VIEWED, "example.thing", [key])
    entry.refresh_from_db()
    assert entry.object_ids == [str(key)] and entry.labels == []
