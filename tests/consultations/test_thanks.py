"""The thank-you page: the request's reference, read from a signed token in its address (no cookie, nothing
personal in the address), what happens next (and, for a request made for someone else, what happens for
them), and nothing else about the request. A bad or old token still thanks the visitor, without a reference."""

import datetime as dt

import pytest
import time_machine
from django.core import signing
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from consultations.models import ConsultationRequest, WhoFor
from consultations.views import THANKS_SALT, read_thanks_token
from tests.consultations.thanks import thanked_reference
from tests.factories import consultation_post_data, make_consultation

pytestmark = pytest.mark.django_db

URL = reverse("consultations:request")
THANKS = reverse("consultations:thanks")
FAMILY_GUIDE = reverse("articles:detail", args=["for-family-and-friends"])
SOMEONE_ELSE_NEXT = "We need to speak with the person themselves before anything is arranged"


def thanks_url(reference: str, salt: str = THANKS_SALT) -> str:
    return reverse("consultations:thanks", args=[signing.dumps(reference, salt=salt)])


def test_the_thank_you_address_carries_only_the_signed_reference(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, consultation_post_data())
    consultation = ConsultationRequest.objects.get()
    token = response["Location"].removeprefix(THANKS).rstrip("/")
    assert signing.loads(token, salt=THANKS_SALT) == consultation.reference  # and nothing else
    assert not response.cookies  # no cookie carries it either


def test_the_thank_you_page_shows_the_reference(client):
    consultation = make_consultation()
    response = client.get(thanks_url(consultation.reference))
    assertContains(response, f"Your reference is <strong>{consultation.reference}</strong>", html=True)
    assertContains(response, "Please quote your reference")
    assertNotContains(response, consultation.name)
    assertNotContains(response, consultation.email)
    assertNotContains(response, SOMEONE_ELSE_NEXT)


def test_the_page_is_never_cached_indexed_or_given_a_canonical_address(client):
    response = client.get(thanks_url(make_consultation().reference))
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"
    assertContains(response, '<meta name="robots" content="noindex">', html=True)
    assertNotContains(response, 'rel="canonical"')
    assertNotContains(response, "og:url")
    assert not response.cookies


def test_the_footer_signup_is_left_out_so_the_reference_is_never_recorded_with_a_subscription(client):
    url = thanks_url(make_consultation().reference)
    response = client.get(url)
    assertNotContains(response, 'name="source_page"')
    assertNotContains(response, url.removeprefix(THANKS).rstrip("/"), status_code=200)  # only in the address


def test_without_a_token_the_page_thanks_without_a_reference(client):
    response = client.get(THANKS)
    assertContains(response, "Thank you, we have your request")
    assertNotContains(response, "Your reference is")


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        signing.dumps("KC-7Q4M", salt="another.salt"),  # signed for something else
        signing.dumps({"reference": "KC-7Q4M"}, salt=THANKS_SALT),  # signed by us, but not a reference
        signing.dumps("<script>alert(1)</script>", salt=THANKS_SALT),
        signing.dumps("KC-7Q4M", salt=THANKS_SALT)[:-2] + "xx",  # signature altered
    ],
)
def test_a_bad_token_thanks_without_a_reference_and_never_fails(client, token):
    response = client.get(reverse("consultations:thanks", args=[token]))
    assertContains(response, "Thank you, we have your request")
    assertNotContains(response, "Your reference is")
    assertNotContains(response, "<script>alert")


def test_a_token_older_than_a_day_thanks_without_a_reference(client):
    reference = make_consultation().reference
    with time_machine.travel(dt.datetime.now(dt.UTC) - dt.timedelta(days=1, minutes=1), tick=False):
        old = thanks_url(reference)
    response = client.get(old)
    assertContains(response, "Thank you, we have your request")
    assertNotContains(response, reference)
    assert read_thanks_token(old.removeprefix(THANKS).rstrip("/")) is None


def test_a_token_just_under_a_day_old_still_shows_the_reference(client):
    reference = make_consultation().reference
    with time_machine.travel(dt.datetime.now(dt.UTC) - dt.timedelta(days=1) + dt.timedelta(minutes=1), tick=False):
        recent = thanks_url(reference)
    assertContains(client.get(recent), reference)


def test_the_same_form_sent_twice_is_thanked_with_the_same_reference(client, django_capture_on_commit_callbacks):
    data = consultation_post_data()
    with django_capture_on_commit_callbacks(execute=True):
        first, second = client.post(URL, data), client.post(URL, data)
    assert thanked_reference(first) == thanked_reference(second) == ConsultationRequest.objects.get().reference


# Someone else ------------------------------------------------------------------------------------


def test_a_request_for_someone_else_is_saved_and_its_thanks_page_says_what_happens_for_them(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, consultation_post_data(who_for="someone_else"))
    consultation = ConsultationRequest.objects.get()
    assert consultation.who_for == WhoFor.SOMEONE_ELSE
    page = client.get(response["Location"])
    assertContains(page, consultation.reference)
    assertContains(page, SOMEONE_ELSE_NEXT)
    assertContains(page, "the choice to go ahead is theirs")
    assertContains(page, f'<a href="{FAMILY_GUIDE}">Read our guide for family and friends</a>', html=True)
    assertNotContains(page, "They will ask a few questions about your health")


def test_the_confirmation_email_for_someone_else_says_the_clinic_must_speak_with_them(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    for who_for in (WhoFor.SOMEONE_ELSE, WhoFor.SELF):
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            client.post(URL, consultation_post_data(who_for=who_for, email=f"{who_for}@example.com"))
        [confirmation] = [message for message in mailoutbox if message.to == [f"{who_for}@example.com"]]
        says_so = "we need to speak with the person themselves" in confirmation.body
        assert says_so == (who_for == WhoFor.SOMEONE_ELSE)
        assert (FAMILY_GUIDE in confirmation.body) == (who_for == WhoFor.SOMEONE_ELSE)


def test_a_request_for_oneself_gets_the_usual_next_steps(client):
    page = client.get(thanks_url(make_consultation(who_for=WhoFor.SELF).reference))
    assertContains(page, "They will ask a few questions about your health")
    assertNotContains(page, SOMEONE_ELSE_NEXT)


def test_a_reference_of_no_saved_request_gets_the_usual_next_steps(client):
    """A bot's honeypot post is thanked with a reference of nothing; so is a request purged since."""
    page = client.get(thanks_url("KC-2345"))
    assertContains(page, "KC-2345")
    assertContains(page, "They will ask a few questions about your health")


# Queries -----------------------------------------------------------------------------------------


def test_the_thank_you_page_reads_one_row(client, django_assert_num_queries, warm_site_state):
    url = thanks_url(make_consultation(who_for=WhoFor.SOMEONE_ELSE).reference)
    for _ in range(3):
        make_consultation(who_for=WhoFor.SOMEONE_ELSE)
    with django_assert_num_queries(1):  # whether the request was made for someone else
        assertContains(client.get(url), SOMEONE_ELSE_NEXT)
    with django_assert_num_queries(0):
        client.get(THANKS)
