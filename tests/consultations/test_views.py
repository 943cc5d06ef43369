"""The consultation form page and the thank-you page, and what happens after a submission."""

import datetime as dt
import logging
import smtplib

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from consultations.models import ConsultationRequest
from practice.models import ClinicDetails
from tests.consultations.thanks import thanked_reference
from tests.factories import consultation_post_data

pytestmark = pytest.mark.django_db

URL = reverse("consultations:request")


def submit(client, django_capture_on_commit_callbacks, **fields):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(URL, consultation_post_data(**fields))


def test_form_page_warns_it_is_not_for_emergencies_and_is_never_cached(client):
    response = client.get(URL)
    assertTemplateUsed(response, "consultations/request_form.html")
    assertContains(response, "This form is not for emergencies.")
    assertContains(response, 'href="tel:988"')
    assertContains(response, 'href="/privacy/"')
    assertContains(response, 'name="csrfmiddlewaretoken"')
    assert "no-store" in response["Cache-Control"]


def test_a_valid_request_is_saved_and_redirects_to_thanks_with_its_reference(
    client, django_capture_on_commit_callbacks
):
    response = submit(client, django_capture_on_commit_callbacks)
    consultation = ConsultationRequest.objects.get()
    assert consultation.name == "Jordan Lee" and consultation.status == "new"
    assert thanked_reference(response) == consultation.reference
    assert not consultation.sent_very_fast


def test_staff_and_visitor_emails_carry_no_health_details(client, django_capture_on_commit_callbacks, settings):
    settings.CLINIC_SITE_URL = "https://clinic.example.org"
    submit(client, django_capture_on_commit_callbacks, concerns=["ptsd"], message="I had a bad reaction to sertraline")
    consultation = ConsultationRequest.objects.get()
    staff, visitor = mail.outbox
    assert staff.to == [ClinicDetails.load().notification_email]
    assert f"https://clinic.example.org/admin/consultations/consultationrequest/{consultation.pk}/change/" in staff.body
    assert visitor.to == ["jordan@example.com"]
    assert "988" in visitor.body
    # The reference, which staff can search, is in both; it says nothing about the visitor's health.
    assert consultation.reference in staff.subject and consultation.reference in staff.body
    assert consultation.reference in visitor.subject and f"Your reference is {consultation.reference}" in visitor.body
    for message in (staff, visitor):
        text = message.subject + message.body
        for private in ("PTSD", "ptsd", "sertraline", "Jordan", "202", "depression"):
            assert private not in text, (message.subject, private)
    consultation.refresh_from_db()
    assert consultation.staff_notified_at and consultation.confirmation_sent_at and not consultation.emails_pending


def test_invalid_request_keeps_what_was_typed_and_saves_nothing(client):
    response = client.post(URL, consultation_post_data(email="not-an-email", consent=""))
    assert response.status_code == 200
    assertContains(response, "There is a problem")
    assertContains(response, '<a href="#id_email">Enter an email address like name@example.com.</a>', html=True)
    assertContains(response, 'value="Jordan Lee"')
    assertContains(response, "<title>Error: Request a consultation")
    assert not ConsultationRequest.objects.exists()


def test_email_failure_still_saves_and_shows_success_and_logs_no_personal_data(
    client, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def broken_send(*args, **kwargs):
        raise smtplib.SMTPRecipientsRefused({"jordan@example.com": (550, b"no")})

    monkeypatch.setattr("consultations.tasks.send_mail", broken_send)
    with caplog.at_level(logging.INFO):
        response = submit(client, django_capture_on_commit_callbacks)
    consultation = ConsultationRequest.objects.get()
    assert thanked_reference(response) == consultation.reference
    assert consultation.emails_pending
    assert "SMTPRecipientsRefused" in consultation.email_error
    assert "failed: SMTPRecipientsRefused" in caplog.text
    assert "jordan" not in caplog.text.lower() and "Jordan" not in consultation.email_error


def test_a_broken_queue_still_saves_and_shows_success(client, django_capture_on_commit_callbacks, monkeypatch):
    class BrokenQueue:
        name = "send_request_emails"

        def enqueue(self, *args, **kwargs):
            raise ConnectionError("queue down")

    monkeypatch.setattr("consultations.services.send_request_emails", BrokenQueue())
    response = submit(client, django_capture_on_commit_callbacks)
    assert thanked_reference(response) == ConsultationRequest.objects.get().reference
    assert ConsultationRequest.objects.get().emails_pending


@pytest.mark.django_db(transaction=True)  # the worker closes its database connection when done
def test_with_the_database_queue_emails_wait_for_the_worker(client, settings):
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.post(URL, consultation_post_data())
    assert DBTaskResult.objects.count() == 1 and not mail.outbox
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert len(mail.outbox) == 2
    assert not ConsultationRequest.objects.get().emails_pending


def test_a_valid_form_sent_sooner_than_the_minimum_is_saved_flagged_and_thanked(
    client, django_capture_on_commit_callbacks, settings, mailoutbox
):
    """Browser autofill fills a form in a second: never a false rejection. Staff see the flag."""
    settings.CLINIC_FORM_MIN_SECONDS = 60
    response = submit(client, django_capture_on_commit_callbacks)
    consultation = ConsultationRequest.objects.get()
    assert consultation.sent_very_fast and consultation.name == "Jordan Lee"
    assert thanked_reference(response) == consultation.reference
    thanks = client.get(response["Location"])
    assertContains(thanks, "Thank you, we have your request")
    assertNotContains(thanks, "check your answers")
    assert len(mailoutbox) == 2  # emailed like any other request


def test_a_form_sent_after_the_minimum_is_not_flagged(client, django_capture_on_commit_callbacks, settings):
    settings.CLINIC_FORM_MIN_SECONDS = 60
    with time_machine.travel(dt.datetime.now(dt.UTC) - dt.timedelta(seconds=61), tick=False):
        data = consultation_post_data()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, data)
    assert not ConsultationRequest.objects.get().sent_very_fast


def test_thanks_page_says_what_happens_next_and_repeats_the_crisis_line(client):
    response = client.get(reverse("consultations:thanks"))
    assertContains(response, "What happens next")
    assertContains(response, 'href="tel:988"')
    assertContains(response, "one working day")
    assert "no-store" in response["Cache-Control"]


def test_thanks_page_shows_nothing_from_the_submission_but_its_reference(client, django_capture_on_commit_callbacks):
    response = client.get(submit(client, django_capture_on_commit_callbacks, message="Secret words")["Location"])
    assertContains(response, ConsultationRequest.objects.get().reference)
    for private in ("Jordan", "jordan@example", "555-0123", "2025550123", "Secret words", "Depression", "Anxiety"):
        assertNotContains(response, private)


def test_header_home_and_articles_link_to_the_form(client):
    from tests.factories import make_article

    article = make_article()
    for url in ("/", article.get_absolute_url()):
        assertContains(client.get(url), f'href="{URL}"')


def test_privacy_notice_states_retention_and_no_trackers(client, settings):
    response = client.get(reverse("pages:privacy"))
    assertContains(response, f"{settings.CLINIC_RETENTION_DAYS} days after your request is closed")
    assertContains(response, "We do not use analytics")
    assert not response.cookies
