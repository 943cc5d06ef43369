"""The access log records every staff access to consultation requests: who, when, what, which."""

import csv
import datetime as dt
import io

import pytest
from django.contrib import admin
from django.db import DatabaseError
from django.urls import reverse
from django.utils import timezone

from accesslog.models import AccessEntry, Action
from consultations.models import ConsultationRequest, Status
from tests.factories import log_in_verified, make_consultation, make_staff

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:consultations_consultationrequest_changelist")
MODEL = "consultations.consultationrequest"


def change_url(consultation) -> str:
    return reverse("admin:consultations_consultationrequest_change", args=[consultation.pk])


def history_url(consultation) -> str:
    return reverse("admin:consultations_consultationrequest_history", args=[consultation.pk])


def only_entry() -> AccessEntry:
    entries = list(AccessEntry.objects.all())
    assert len(entries) == 1, [str(entry) for entry in entries]
    return entries[0]


def staff_who_can(client, *codenames, username="triage"):
    user = make_staff(username=username, superuser=False, permissions=[f"consultations.{name}" for name in codenames])
    log_in_verified(client, user)
    return user


def test_opening_a_request_records_who_when_which_and_from_where(staff_client):
    consultation = make_consultation(reference="KC-7Q4M")
    assert staff_client.get(change_url(consultation)).status_code == 200
    entry = only_entry()
    assert (entry.action, entry.username, entry.user.username) == (Action.VIEWED, "staff", "staff")
    assert (entry.model, entry.object_ids, entry.labels) == (MODEL, [consultation.pk], ["KC-7Q4M"])
    assert entry.ip == "127.0.0.1"
    assert entry.records() == [f"KC-7Q4M (#{consultation.pk})"]


def test_a_view_only_member_of_staff_opening_a_request_is_recorded(client):
    staff_who_can(client, "view_consultationrequest")
    consultation = make_consultation()
    response = client.get(change_url(consultation))
    assert response.status_code == 200 and not response.context["has_change_permission"]
    entry = only_entry()
    assert (entry.action, entry.username, entry.object_ids) == (Action.VIEWED, "triage", [consultation.pk])


def test_refused_or_missing_requests_record_nothing(client):
    consultation = make_consultation()
    staff_who_can(client)  # staff without any consultation permission
    assert client.get(change_url(consultation)).status_code == 403
    assert client.get(CHANGELIST).status_code == 403
    assert not AccessEntry.objects.exists()


def test_the_list_records_the_ids_on_its_page_only(staff_client, monkeypatch):
    monkeypatch.setattr(admin.site._registry[ConsultationRequest], "list_per_page", 2)
    now = timezone.now()
    oldest, middle, newest = [make_consultation(created_at=now - dt.timedelta(hours=hours)) for hours in (3, 2, 1)]
    staff_client.get(CHANGELIST)
    entry = only_entry()
    assert entry.action == Action.LISTED
    assert (entry.object_ids, entry.labels) == ([newest.pk, middle.pk], [newest.reference, middle.reference])

    AccessEntry.objects.all().delete()
    staff_client.get(CHANGELIST, {"p": 2})
    assert only_entry().object_ids == [oldest.pk]

    AccessEntry.objects.all().delete()
    staff_client.get(CHANGELIST, {"q": middle.reference})
    assert only_entry().object_ids == [middle.pk]


def test_an_empty_list_shows_no_one_and_records_nothing(staff_client):
    staff_client.get(CHANGELIST)
    assert not AccessEntry.objects.exists()


def test_a_search_or_filter_is_recorded_even_when_it_finds_no_one_and_never_what_was_searched(staff_client):
    """An empty list answers "did this person ask?" as much as a full one."""
    make_consultation(name="Alex", email="alex@example.com", status=Status.CLOSED)
    for query in ({"q": "alex@example.com", "status__exact": "new"}, {"q": "nobody@example.com"}):
        AccessEntry.objects.all().delete()
        response = staff_client.get(CHANGELIST, query)
        assert response.context["cl"].result_count == 0
        entry = only_entry()
        assert (entry.action, entry.object_ids, entry.detail) == (Action.LISTED, [], "searched or filtered")
        assert "example.com" not in str(AccessEntry.objects.values().get())


def test_the_filters_show_no_counts_that_would_tell_what_a_search_hides(staff_client):
    make_consultation(email="alex@example.com", status=Status.NEW)
    response = staff_client.get(CHANGELIST, {"q": "alex@example.com", "status__exact": "closed", "_facets": "1"})
    assert response.context["cl"].result_count == 0
    html = response.content.decode()
    assert "New (1)" not in html and "(0)" not in html


def test_a_change_is_recorded_with_the_fields_changed_never_their_values(staff_client):
    consultation = make_consultation()
    response = staff_client.post(
        change_url(consultation), {"status": "contacted", "assigned_to": "", "notes": "Left a voicemail"}
    )
    assert response.status_code == 302
    entry = only_entry()
    assert (entry.action, entry.object_ids, entry.detail) == (Action.CHANGED, [consultation.pk], "status, notes")
    assert "voicemail" not in str(entry.__dict__)


def test_a_save_that_fails_validation_shows_the_request_again_and_records_it_as_opened(staff_client):
    consultation = make_consultation()
    staff_client.post(change_url(consultation), {"status": "no-such-status", "assigned_to": "", "notes": ""})
    assert only_entry().action == Action.VIEWED


def test_a_bulk_status_change_is_one_entry_listing_every_id(staff_client):
    first, second, untouched = make_consultation(), make_consultation(), make_consultation()
    staff_client.post(CHANGELIST, {"action": "mark_contacted", "_selected_action": [first.pk, second.pk]})
    entry = only_entry()
    assert (entry.action, entry.detail) == (Action.CHANGED, "mark_contacted")
    assert entry.object_ids == sorted([first.pk, second.pk])
    assert untouched.pk not in entry.object_ids


def test_an_export_is_one_entry_listing_every_exported_id(client):
    staff_who_can(client, "view_consultationrequest", "export_consultationrequest", username="exporter")
    requests = [make_consultation() for _ in range(3)]
    response = client.post(CHANGELIST, {"action": "export_csv", "_selected_action": [c.pk for c in requests]})
    exported = [int(row[0]) for row in list(csv.reader(io.StringIO(response.content.decode())))[1:]]
    entry = only_entry()
    assert (entry.action, entry.username, entry.detail) == (Action.EXPORTED, "exporter", "export_csv")
    assert entry.object_ids == sorted(exported) == sorted(c.pk for c in requests)
    assert sorted(entry.labels) == sorted(c.reference for c in requests)


def test_opening_the_history_and_a_past_version_is_recorded(staff_client):
    consultation = make_consultation(reference="KC-HIST")
    consultation.notes = "Called back"
    consultation.save()
    assert staff_client.get(history_url(consultation)).status_code == 200
    entry = only_entry()
    assert (entry.action, entry.object_ids, entry.labels) == (Action.HISTORY_VIEWED, [consultation.pk], ["KC-HIST"])

    AccessEntry.objects.all().delete()
    version = consultation.history.earliest()
    url = reverse("admin:consultations_consultationrequest_simple_history", args=[consultation.pk, version.pk])
    assert staff_client.get(url).status_code == 200
    entry = only_entry()
    assert (entry.action, entry.detail) == (Action.HISTORY_VIEWED, f"version {version.pk}")


def test_a_delete_by_a_superuser_is_recorded_in_the_same_transaction(staff_client):
    consultation = make_consultation(reference="KC-GONE")
    url = reverse("admin:consultations_consultationrequest_delete", args=[consultation.pk])
    staff_client.get(url)  # the confirmation page names "Request #N" only: not recorded
    assert not AccessEntry.objects.exists()
    staff_client.post(url, {"post": "yes"})
    assert not ConsultationRequest.objects.exists()
    entry = only_entry()
    assert (entry.action, entry.object_ids, entry.labels) == (Action.DELETED, [consultation.pk], ["KC-GONE"])


def test_a_bulk_delete_is_one_entry(staff_client):
    first, second = make_consultation(), make_consultation()
    staff_client.post(
        CHANGELIST, {"action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"}
    )
    assert not ConsultationRequest.objects.exists()
    entry = only_entry()
    assert (entry.action, entry.object_ids) == (Action.DELETED, sorted([first.pk, second.pk]))


@pytest.fixture
def log_unwritable(monkeypatch):
    def fail(**fields):
        raise DatabaseError("the access log table is unavailable")

    monkeypatch.setattr(AccessEntry.objects, "create", fail)


def test_no_entry_no_access_the_page_is_an_error_not_the_request(staff_client, log_unwritable):
    consultation = make_consultation()
    for url in (change_url(consultation), CHANGELIST, history_url(consultation)):
        with pytest.raises(DatabaseError):
            staff_client.get(url)


def test_no_entry_no_change_the_save_is_rolled_back(staff_client, log_unwritable):
    consultation = make_consultation()
    with pytest.raises(DatabaseError):
        staff_client.post(change_url(consultation), {"status": "contacted", "assigned_to": "", "notes": "x"})
    with pytest.raises(DatabaseError):
        staff_client.post(CHANGELIST, {"action": "mark_closed", "_selected_action": [consultation.pk]})
    consultation.refresh_from_db()
    assert (consultation.status, consultation.notes, consultation.history.count()) == (Status.NEW, "", 1)


def test_no_entry_no_export(client, log_unwritable):
    staff_who_can(client, "view_consultationrequest", "export_consultationrequest")
    consultation = make_consultation()
    with pytest.raises(DatabaseError):
        client.post(CHANGELIST, {"action": "export_csv", "_selected_action": [consultation.pk]})


def test_entries_survive_the_staff_members_account(staff_client):
    staff_client.get(change_url(make_consultation()))
    entry = only_entry()
    entry.user.delete()
    entry = AccessEntry.objects.get()
    assert (entry.user, entry.username) == (None, "staff")


def test_entries_cannot_be_rewritten_or_deleted_one_by_one(staff_client):
    staff_client.get(change_url(make_consultation()))
    entry = only_entry()
    entry.username = "someone-else"
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    assert AccessEntry.objects.get().username == "staff"
