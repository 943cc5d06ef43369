"""The form's signed token: it expires after a day, and one token makes at most one request.

A stale or reused token never costs a visitor what they typed: either they see the thank-you page
(the same form sent twice), or the form comes back filled in, with a fresh token and a calm message.
"""

import datetime as dt
import hashlib
import time
from urllib.parse import urlencode

import pytest
import time_machine
from django.core import signing
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from consultations.forms import TIMING_SALT
from consultations.models import ConsultationRequest
from tests.consultations.thanks import thanked_reference
from tests.factories import consultation_post_data, make_consultation

pytestmark = pytest.mark.django_db

URL = reverse("consultations:request")
DAY = dt.timedelta(days=1)
EXPIRED = "This form was open for a long time, so we could not send it. Please check your answers and send it again."
CHANGED = (
    "We already received this form with different answers. "
    "To send these answers as well, check them and send the form again."
)


def post_data_signed(ago: dt.timedelta, **fields) -> dict:
    """Form data as a browser sends it, from a page shown `ago` before now."""
    with time_machine.travel(dt.datetime.now(dt.UTC) - ago, tick=False):
        return consultation_post_data(**fields)


def send(client, data: dict):
    """Post the form as a browser does (the form is urlencoded, never multipart)."""
    return client.post(URL, urlencode(data, doseq=True), content_type="application/x-www-form-urlencoded")


def post(client, django_capture_on_commit_callbacks, data: dict):
    """Send the form and run what waits for the commit (queueing the emails)."""
    with django_capture_on_commit_callbacks(execute=True):
        return send(client, data)


def fresh_token_of(response) -> dict:
    return signing.loads(response.context["form"].data["started"], salt=TIMING_SALT, max_age=60)


# Expiry -------------------------------------------------------------------------------------


def test_a_token_older_than_a_day_is_refused_keeping_what_was_typed_with_a_fresh_token(client):
    data = post_data_signed(DAY + dt.timedelta(minutes=1), name="Robin Patient", message="Open since yesterday")
    response = send(client, data)
    assert response.status_code == 200
    assertContains(response, EXPIRED)
    assertContains(response, 'value="Robin Patient"')
    assertContains(response, "Open since yesterday")
    assert response.context["form"].data["started"] != data["started"]
    assert time.time() - fresh_token_of(response)["t"] < 60
    assert not ConsultationRequest.objects.exists()


def test_sending_again_with_the_fresh_token_saves_the_request(client, django_capture_on_commit_callbacks):
    data = post_data_signed(DAY + dt.timedelta(minutes=1), name="Robin Patient")
    fresh = send(client, data).context["form"].data["started"]
    reference = thanked_reference(post(client, django_capture_on_commit_callbacks, {**data, "started": fresh}))
    assert ConsultationRequest.objects.get(reference=reference).name == "Robin Patient"


def test_a_token_just_under_a_day_old_is_accepted(client, django_capture_on_commit_callbacks):
    data = post_data_signed(DAY - dt.timedelta(minutes=1), name="Robin Patient")
    reference = thanked_reference(post(client, django_capture_on_commit_callbacks, data))
    assert ConsultationRequest.objects.get(reference=reference).name == "Robin Patient"


def test_the_maximum_age_follows_the_setting(client, settings):
    settings.CLINIC_FORM_MAX_AGE_SECONDS = 60
    response = send(client, post_data_signed(dt.timedelta(minutes=2)))
    assertContains(response, EXPIRED)
    assert not ConsultationRequest.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [
        1_700_000_000.0,  # the old format: a bare time, with no one-time number
        {"t": time.time() - 60},
        {"n": "abc"},
        {"t": "soon", "n": "abc"},
        {"t": True, "n": "abc"},
        {"t": time.time() - 60, "n": ""},
        {"t": time.time() - 60, "n": ["abc"]},
        ["t", "n"],
    ],
)
def test_a_token_signed_by_us_but_malformed_is_refused_keeping_what_was_typed(client, payload):
    data = consultation_post_data(name="Robin Patient", started=signing.dumps(payload, salt=TIMING_SALT))
    response = send(client, data)
    assert response.status_code == 200
    assertContains(response, "Something went wrong with this form. Please check your answers and send it again.")
    assertContains(response, 'value="Robin Patient"')
    assert fresh_token_of(response)["n"]
    assert not ConsultationRequest.objects.exists()


# Reuse --------------------------------------------------------------------------------------


def test_the_same_form_sent_twice_saves_one_request_and_queues_its_emails_once(
    client, django_capture_on_commit_callbacks, mailoutbox, queued
):
    data = consultation_post_data()
    first = post(client, django_capture_on_commit_callbacks, data)
    second = post(client, django_capture_on_commit_callbacks, data)
    consultation = ConsultationRequest.objects.get()
    # A double click lands on the same thank-you page: the same reference.
    assert thanked_reference(first) == thanked_reference(second) == consultation.reference
    assert queued == [consultation.pk]
    assert len(mailoutbox) == 2  # one to staff, one to the visitor
    assert consultation.history.count() == 1


def test_a_token_replayed_many_times_saves_one_request(client, django_capture_on_commit_callbacks, queued, settings):
    settings.CLINIC_FORM_RATE = "1000/h"
    data = consultation_post_data()
    references = {thanked_reference(post(client, django_capture_on_commit_callbacks, data)) for _ in range(18)}
    assert references == {ConsultationRequest.objects.get().reference}
    assert len(queued) == 1


@pytest.mark.django_db(transaction=True)  # the worker closes its database connection when done
def test_with_the_database_queue_the_same_form_sent_twice_queues_one_task(client, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    data = consultation_post_data()
    references = {thanked_reference(send(client, data)) for _ in range(2)}
    assert references == {ConsultationRequest.objects.get().reference}
    assert DBTaskResult.objects.count() == 1


def test_the_same_token_with_different_answers_saves_nothing_and_asks_to_send_again(
    client, django_capture_on_commit_callbacks, queued
):
    data = consultation_post_data(phone="(202) 555-0123")
    assert thanked_reference(post(client, django_capture_on_commit_callbacks, data))
    corrected = {**data, "phone": "(202) 555-0199", "message": "Sorry, wrong number before"}
    response = post(client, django_capture_on_commit_callbacks, corrected)
    assert response.status_code == 200
    assertContains(response, CHANGED)
    assertContains(response, 'value="(202) 555-0199"')
    assertContains(response, "Sorry, wrong number before")
    assert [str(consultation.phone) for consultation in ConsultationRequest.objects.all()] == ["+12025550123"]
    assert len(queued) == 1

    # Nothing is lost: sending again, as asked, saves the corrected answers.
    again = {**corrected, "started": response.context["form"].data["started"]}
    reference = thanked_reference(post(client, django_capture_on_commit_callbacks, again))
    assert ConsultationRequest.objects.count() == 2
    assert ConsultationRequest.objects.get(reference=reference).message == "Sorry, wrong number before"
    assert ConsultationRequest.objects.filter(phone="+12025550199", message="Sorry, wrong number before").exists()
    assert len(queued) == 2


def test_a_filled_honeypot_does_not_use_up_the_token(client, django_capture_on_commit_callbacks):
    data = consultation_post_data()
    assert thanked_reference(send(client, {**data, "website": "https://spam.example"}))
    reference = thanked_reference(post(client, django_capture_on_commit_callbacks, data))
    assert ConsultationRequest.objects.get().reference == reference


def test_only_a_digest_of_the_one_time_number_is_stored(client, django_capture_on_commit_callbacks):
    data = consultation_post_data()
    nonce = signing.loads(data["started"], salt=TIMING_SALT)["n"]
    post(client, django_capture_on_commit_callbacks, data)
    consultation = ConsultationRequest.objects.get()
    assert consultation.form_nonce_digest == hashlib.sha256(nonce.encode()).hexdigest()
    stored = [str(value) for value in ConsultationRequest.objects.values().get().values()]
    stored += [str(value) for value in consultation.history.values().get().values()]
    assert not any(data["started"] in value or nonce in value for value in stored)


def test_requests_from_before_the_digest_existed_have_none_and_do_not_clash():
    first, second = make_consultation(), make_consultation()
    assert first.form_nonce_digest is None and second.form_nonce_digest is None


def test_the_digest_is_not_shown_or_editable_in_admin(staff_client, django_capture_on_commit_callbacks):
    post(staff_client, django_capture_on_commit_callbacks, consultation_post_data())
    consultation = ConsultationRequest.objects.get()
    response = staff_client.get(consultation.get_admin_url())
    assert "form_nonce_digest" not in response.context["adminform"].form.fields
    assertNotContains(response, consultation.form_nonce_digest)
