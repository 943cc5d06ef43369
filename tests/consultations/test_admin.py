"""Consultation admin: permission-gated, triage by status, notes and assignment, CSV, retries, history."""

import csv
import io
import re

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from consultations.models import ConsultationRequest, Status
from tests.factories import log_in_verified, make_consultation, make_staff

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:consultations_consultationrequest_changelist")


def change_url(consultation) -> str:
    return reverse("admin:consultations_consultationrequest_change", args=[consultation.pk])


def staff_with(client, *codenames):
    user = make_staff(username="triage", superuser=False)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="consultations", codename__in=codenames)
    )
    log_in_verified(client, user)
    return user


def test_anonymous_visitors_and_staff_without_permission_cannot_see_requests(client):
    consultation = make_consultation()
    assert client.get(CHANGELIST)["Location"].startswith(reverse("admin:login"))
    staff_with(client)  # staff, but no consultation permissions
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(change_url(consultation)).status_code == 403


def test_changelist_shows_status_age_and_assignee_in_few_queries(staff_client, django_assert_max_num_queries):
    for number in range(4):
        make_consultation(name=f"Person {number}", assigned_to=make_staff(username=f"nurse{number}"))
    # incl. the sliding session (2), the OTP device (1) and the access log entry (1)
    with django_assert_max_num_queries(13):
        response = staff_client.get(CHANGELIST)
    assertContains(response, "Person 3")
    assertContains(response, "nurse2")
    assertContains(response, "ago")
    assertContains(response, "New")


def test_filter_by_status_and_search_by_email(staff_client):
    make_consultation(name="Alex New", email="alex@example.com")
    make_consultation(name="Sam Contacted", status=Status.CONTACTED)
    assertNotContains(staff_client.get(CHANGELIST, {"status__exact": "contacted"}), "Alex New")
    response = staff_client.get(CHANGELIST, {"q": "alex@example.com"})
    assertContains(response, "Alex New")
    assertNotContains(response, "Sam Contacted")


def test_what_the_visitor_wrote_is_read_only_and_notes_status_assignee_are_editable(staff_client):
    consultation = make_consultation(message="<b>hello</b>")
    response = staff_client.get(change_url(consultation))
    form = response.context["adminform"].form
    assert set(form.fields) == {"status", "assigned_to", "notes"}
    assertContains(response, "&lt;b&gt;hello&lt;/b&gt;")
    nurse = make_staff(username="nurse")
    response = staff_client.post(
        change_url(consultation), {"status": "contacted", "assigned_to": nurse.pk, "notes": "Left a voicemail"}
    )
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert (consultation.status, consultation.assigned_to, consultation.notes) == (
        "contacted",
        nurse,
        "Left a voicemail",
    )
    latest = consultation.history.latest()
    assert latest.history_user.username == "staff" and latest.status == "contacted"
    assertContains(
        staff_client.get(reverse("admin:consultations_consultationrequest_history", args=[consultation.pk])),
        "Left a voicemail",
    )


def test_bulk_status_action_records_the_change_time(staff_client):
    first, second = make_consultation(), make_consultation()
    before = first.status_changed_at
    staff_client.post(CHANGELIST, {"action": "mark_contacted", "_selected_action": [first.pk, second.pk]})
    first.refresh_from_db()
    assert first.status == "contacted" and first.status_changed_at > before
    assert ConsultationRequest.objects.filter(status="contacted").count() == 2
    assert first.history.count() == 2


def test_csv_export_needs_its_own_permission_and_defuses_formulas(client):
    make_consultation(name='=HYPERLINK("http://evil")', message="+SUM(A1)")
    staff_with(client, "view_consultationrequest", "change_consultationrequest")
    actions = client.get(CHANGELIST).context["action_form"].fields["action"].choices
    assert "export_csv" not in [value for value, _ in actions]

    staff_with_export = make_staff(username="exporter", superuser=False)
    staff_with_export.user_permissions.set(
        Permission.objects.filter(codename__in=["view_consultationrequest", "export_consultationrequest"])
    )
    log_in_verified(client, staff_with_export)
    response = client.post(
        CHANGELIST,
        {"action": "export_csv", "_selected_action": list(ConsultationRequest.objects.values_list("pk", flat=True))},
    )
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["id", "reference", "received", "status"]
    assert rows[1][rows[0].index("name")] == '\'=HYPERLINK("http://evil")'
    assert rows[1][rows[0].index("message")] == "'+SUM(A1)"
    assert rows[1][rows[0].index("help with")] == "Depression"


def test_unsent_emails_are_visible_and_can_be_retried(staff_client, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    pending = make_consultation()
    assertContains(staff_client.get(CHANGELIST), "Emails not sent")
    response = staff_client.post(CHANGELIST, {"action": "retry_emails", "_selected_action": [pending.pk]}, follow=True)
    assertContains(response, "Queued emails again for 1 request(s).")
    assertNotContains(response, "Emails not sent")
    assert len(mail.outbox) == 2
    pending.refresh_from_db()
    assert not pending.emails_pending

    staff_client.post(CHANGELIST, {"action": "retry_emails", "_selected_action": [pending.pk]})
    assert len(mail.outbox) == 2  # nothing is sent twice


def test_staff_cannot_add_requests_by_hand(staff_client):
    assert staff_client.get(reverse("admin:consultations_consultationrequest_add")).status_code == 403


# Reference, flags and phone numbers (issue 14) ---------------------------------------------


@pytest.mark.parametrize("typed", ["KC-7Q4M", "kc-7q4m", "7q4m", "KC7Q4M", " kc 7Q4M "])
def test_search_finds_a_request_by_its_reference_however_it_is_typed(staff_client, typed):
    make_consultation(name="Alex Found", reference="KC-7Q4M")
    make_consultation(name="Sam Other", reference="KC-ABCD")
    response = staff_client.get(CHANGELIST, {"q": typed})
    assertContains(response, "Alex Found")
    assertContains(response, "KC-7Q4M")
    assertNotContains(response, "Sam Other")


def test_search_finds_a_phone_number_as_staff_read_it(staff_client):
    make_consultation(name="Alex Caller", phone="+12025550123")
    make_consultation(name="Sam Other", phone="+12025550199")
    response = staff_client.get(CHANGELIST, {"q": "(202) 555-0123"})
    assertContains(response, "Alex Caller")
    assertNotContains(response, "Sam Other")


def test_list_shows_reference_flags_and_phone_as_a_tel_link_in_national_format(staff_client):
    make_consultation(name="Alex Fast", reference="KC-FAST", phone="+15550100199", sent_very_fast=True)
    make_consultation(name="Sam Carer", reference="KC-CARE", who_for="someone_else", phone="+447700900123")
    make_consultation(name="Jo Email", contact_method="email", email="jo@example.com", phone="")
    response = staff_client.get(CHANGELIST)
    assertContains(response, "KC-FAST")
    assertContains(response, '<a href="tel:+15550100199" class="request-phone">(555) 010-0199</a>', html=True)
    assertContains(response, '<a href="tel:+447700900123" class="request-phone">+44 7700 900123</a>', html=True)
    assertContains(response, '<span class="request-flag request-flag-warning">Sent very fast</span>', html=True)
    assertContains(response, '<span class="request-flag">For someone else</span>', html=True)
    assertContains(response, "jo@example.com")
    assertContains(response, "Ref.")


def test_sent_very_fast_filter(staff_client):
    make_consultation(name="Alex Fast", sent_very_fast=True)
    make_consultation(name="Sam Slow")
    response = staff_client.get(CHANGELIST, {"sent_very_fast__exact": "1"})
    assertContains(response, "Alex Fast")
    assertNotContains(response, "Sam Slow")
    assertContains(staff_client.get(CHANGELIST), "By sent very fast")


def test_change_page_shows_reference_who_for_fast_flag_with_help_and_tel_link(staff_client):
    consultation = make_consultation(
        reference="KC-7Q4M", phone="+15550100199", who_for="someone_else", sent_very_fast=True
    )
    response = staff_client.get(change_url(consultation))
    assertContains(response, "KC-7Q4M")
    assertContains(response, "Someone I care about")
    assertContains(response, "needs to speak with the person themselves")
    assertContains(response, "Yes: check it")
    assertContains(response, "Sent sooner after the form opened than a person usually types")
    assertContains(response, '<a href="tel:+15550100199" class="request-phone">(555) 010-0199</a>', html=True)


def readonly_value(response, field: str) -> str:
    """The text admin shows for a read-only field on a change page."""
    row = re.search(rf'class="form-row field-{field}".*?<div class="readonly">(.*?)</div>', response.text, re.S)
    return row.group(1).strip()


def test_a_request_without_phone_or_email_shows_a_dash(staff_client):
    consultation = make_consultation(contact_method="email", email="jo@example.com", phone="")
    response = staff_client.get(change_url(consultation))
    assert readonly_value(response, "phone_link") == "—"
    assertNotContains(response, "tel:")
    no_email = make_consultation(contact_method="phone", email="", phone="+12025550123")
    assert readonly_value(staff_client.get(change_url(no_email)), "email") == "—"


def test_csv_export_has_reference_who_for_and_fast_flag(staff_client):
    consultation = make_consultation(reference="KC-7Q4M", who_for="someone_else", sent_very_fast=True)
    response = staff_client.post(CHANGELIST, {"action": "export_csv", "_selected_action": [consultation.pk]})
    header, row = list(csv.reader(io.StringIO(response.content.decode())))
    values = dict(zip(header, row, strict=True))
    assert (values["reference"], values["who for"], values["sent very fast"]) == (
        "KC-7Q4M",
        "Someone I care about",
        "True",
    )
