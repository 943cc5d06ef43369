"""Only the contact detail the chosen method needs is required: a phone number for a call or a text, an
email address for email. A request without an email address gets no confirmation, and is never shown
to staff as "email unsent" for want of one."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from consultations.forms import EMAIL_REQUIRED, PHONE_REQUIRED, ConsultationRequestForm
from consultations.models import ConsultationRequest
from consultations.services import retry_unsent_emails
from consultations.tasks import send_request_emails
from practice.models import ClinicDetails
from tests.consultations.thanks import thanked_reference
from tests.factories import consultation_post_data, make_consultation

pytestmark = pytest.mark.django_db

URL = reverse("consultations:request")


def form(**fields) -> ConsultationRequestForm:
    return ConsultationRequestForm(data=consultation_post_data(**fields))


@pytest.mark.parametrize("method", ["phone", "text"])
def test_a_call_or_a_text_needs_a_phone_number_and_no_email_address(method):
    assert form(contact_method=method, email="").is_valid()
    invalid = form(contact_method=method, phone="")
    assert invalid.errors == {"phone": [PHONE_REQUIRED]}


def test_email_needs_an_email_address_and_no_phone_number():
    valid = form(contact_method="email", phone="")
    assert valid.is_valid(), valid.errors
    assert valid.save().phone == ""
    invalid = form(contact_method="email", email="")
    assert invalid.errors == {"email": [EMAIL_REQUIRED]}


def test_a_detail_given_but_not_needed_is_still_checked_and_kept():
    assert form(contact_method="email", phone="12").errors == {
        "phone": ["Enter a phone number we can call, like (202) 555-0123."]
    }
    valid = form(contact_method="email", phone="(202) 555-0123")
    assert valid.is_valid()
    assert str(valid.save().phone) == "+12025550123"


def test_without_a_method_neither_detail_is_asked_for_only_the_method():
    invalid = form(contact_method="", phone="", email="")
    assert invalid.errors == {"contact_method": ["Choose how we should contact you."]}


def test_the_hints_say_which_method_needs_each_detail(client):
    response = client.get(URL)
    assertContains(response, "We need this if you choose a call or a text.")
    assertContains(response, "We need this if you choose email.")


@pytest.mark.parametrize(
    ("method", "optional", "needed"),
    [("phone", "Email address", "Phone number"), ("email", "Phone number", "Email address")],
)
def test_once_a_method_is_chosen_the_detail_it_does_not_need_says_optional(client, method, optional, needed):
    response = client.post(URL, consultation_post_data(contact_method=method, name=""))
    assertContains(response, f"{optional} (optional)</label>")
    assertNotContains(response, f"{needed} (optional)")


def test_the_error_summary_links_to_the_missing_detail(client):
    response = client.post(URL, consultation_post_data(contact_method="text", phone=""))
    assertContains(response, f'<a href="#id_phone">{PHONE_REQUIRED}</a>', html=True)
    assert not ConsultationRequest.objects.exists()


def test_a_request_without_an_email_address_is_saved_and_only_staff_are_emailed(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, consultation_post_data(contact_method="phone", email=""))
    consultation = ConsultationRequest.objects.get()
    assert thanked_reference(response) == consultation.reference
    assert [message.to for message in mailoutbox] == [[ClinicDetails.load().notification_email]]
    consultation.refresh_from_db()
    assert consultation.staff_notified_at and consultation.confirmation_sent_at is None
    # Nothing is waiting to be sent: admin does not show it as unsent, and a retry queues nothing.
    assert not consultation.emails_pending
    assert not ConsultationRequest.objects.with_unsent_email().exists()
    assert retry_unsent_emails(ConsultationRequest.objects.all()) == 0


def test_the_email_task_succeeds_for_a_request_without_an_email_address(mailoutbox):
    consultation = make_consultation(email="")
    assert send_request_emails.call(consultation.pk) is True
    assert len(mailoutbox) == 1
    assert send_request_emails.call(consultation.pk) is True  # run again: nothing more is sent
    assert len(mailoutbox) == 1


def test_a_request_with_an_email_address_still_waits_for_its_confirmation():
    consultation = make_consultation(email="robin@example.com")
    consultation.staff_notified_at = consultation.created_at
    consultation.save()
    assert consultation.emails_pending
    assert list(ConsultationRequest.objects.with_unsent_email()) == [consultation]
