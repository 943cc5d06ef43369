"""The signup journey's pages: one signup form a page, the error where it was typed, an answer that
names the address without putting it in a URL or a cookie, and room around single buttons."""

import re

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from newsletter.tokens import make_confirm_token, make_unsubscribe_token
from tests.factories import make_article, make_subscriber
from tests.newsletter.reading import read

pytestmark = pytest.mark.django_db

SIGNUP = reverse("newsletter:signup")
NEWSLETTER = reverse("newsletter:newsletter")


def signup_forms(response) -> list[dict[str, str]]:
    return read(response).find_all("form", action=SIGNUP)


def assert_one_signup_form_and_no_footer_copy(response) -> None:
    assert len(signup_forms(response)) == 1, response.content.decode()
    assertNotContains(response, "footer-signup", status_code=response.status_code)


def test_every_page_of_the_journey_has_at_most_one_signup_form(client, django_capture_on_commit_callbacks):
    """The footer's copy is left out wherever the main content is the journey."""
    assert_one_signup_form_and_no_footer_copy(client.get(NEWSLETTER))
    assert_one_signup_form_and_no_footer_copy(client.post(SIGNUP, {"email": "reader@", "source_page": "/"}))
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(SIGNUP, {"email": "reader@example.com", "source_page": "/"})
    pending = make_subscriber(status="pending")
    confirmed = make_subscriber()
    pages = [
        answer,
        client.get(reverse("newsletter:check_email")),
        client.get(reverse("newsletter:confirm", args=[make_confirm_token(pending)])),
        client.post(reverse("newsletter:confirm", args=[make_confirm_token(pending)])),
        client.get(reverse("newsletter:unsubscribe", args=[make_unsubscribe_token(confirmed)])),
        client.post(reverse("newsletter:unsubscribe", args=[make_unsubscribe_token(confirmed)])),
        client.get(reverse("newsletter:unsubscribe", args=["not-a-token"])),
    ]
    for response in pages:
        assert not signup_forms(response), response.request["PATH_INFO"]
        assertNotContains(response, "footer-signup", status_code=response.status_code)
    # Reading pages keep it.
    assert len(signup_forms(client.get(make_article().get_absolute_url()))) == 1


def test_failed_footer_signup_shows_the_same_form_once_with_the_error_on_the_field(client):
    article = make_article(title="Getting home safely")
    response = client.post(SIGNUP, {"email": "reader@", "source_page": article.get_absolute_url(), "website": ""})
    assert response.status_code == 200
    assertTemplateUsed(response, "newsletter/signup_problem.html")
    assert_one_signup_form_and_no_footer_copy(response)
    page = read(response)
    (field,) = page.find_all("input", name="email")
    assert field["value"] == "reader@" and field["aria-invalid"] == "true"  # kept, and marked
    assert page.find_all("div", id=field["aria-describedby"])  # the message is the field's description
    assertContains(response, "Enter an email address like name@example.com.", count=2)  # summary and field
    assertContains(response, '<a href="#id_email">Enter an email address like name@example.com.</a>', html=True)
    assert not page.find_all("input", name="first_name")  # the footer's one field, not the page's two
    (source,) = page.find_all("input", name="source_page")
    assert source["value"] == article.get_absolute_url()  # a second try still records where it began
    assertContains(response, "You started this signup at the bottom of the page you were reading.")
    assert page.find_all("a", href=article.get_absolute_url())  # and a way back to it
    assert re.search(r"<title>Error: ", response.content.decode())
    assert page.h1s == ["Subscribe to our newsletter"]


def test_failed_signup_from_the_newsletter_page_keeps_its_fields_and_offers_no_way_back_to_itself(client):
    response = client.post(SIGNUP, {"email": "", "first_name": "Ann", "source_page": NEWSLETTER})
    page = read(response)
    assert page.find_all("input", name="first_name", value="Ann")
    assertContains(response, "Enter your email address.", count=2)
    assertNotContains(response, "You started this signup")
    assertNotContains(response, "Go back to the page you were reading")


@pytest.mark.parametrize("source_page", ["//evil.example/", "/\\evil.example/", "https://evil.example/", "x"])
def test_no_way_back_to_another_site(client, source_page):
    response = client.post(SIGNUP, {"email": "reader@", "source_page": source_page})
    assert not [link for link in read(response).find_all("a") if "evil" in link.get("href", "")]
    assertNotContains(response, "Go back to the page you were reading")
    assertNotContains(response, "You started this signup")


def test_rate_limited_signup_has_one_message_box_and_keeps_the_address(client, settings):
    settings.CLINIC_FORM_RATE = "1/h"
    client.post(SIGNUP, {"email": "a@example.com"})
    response = client.post(SIGNUP, {"email": "reader@", "source_page": "/"})
    assert response.status_code == 429
    assert len(read(response).find_all("div", id="error-summary")) == 1
    assertContains(response, "Please wait a little before trying again", status_code=429)
    assertContains(response, 'value="reader@"', status_code=429)


def test_check_your_email_names_the_address_in_the_answer_to_the_post_only(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGNUP, {"email": "Name@Example.com", "source_page": "/privacy/"})
    assertContains(response, 'We have sent a link to <strong class="typed-address">Name@Example.com</strong>')
    assertContains(response, "if it can receive our newsletter")
    assert not response.cookies
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "Location" not in response  # no redirect: the address travels in no URL
    title = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)
    assert "Name@Example.com" not in title  # nor in the browser's history
    assert read(response).find_all("a", href="/privacy/")  # back to the page they were reading
    assert read(response).find_all("meta", name="robots", content="noindex")


def test_the_typed_address_is_shown_escaped(client):
    email = '"<b>x</b>"@example.com'  # a quoted local part is a valid address
    response = client.post(SIGNUP, {"email": email})
    assertContains(response, "&quot;&lt;b&gt;x&lt;/b&gt;&quot;@example.com")
    assertNotContains(response, "<b>x</b>")


def test_old_check_your_email_address_still_answers_without_naming_one(client):
    response = client.get(reverse("newsletter:check_email"))
    assertContains(response, "We have sent a link to the address you gave us if it can receive our newsletter.")
    assert not response.cookies


def test_single_button_forms_sit_in_a_spaced_block(client):
    """The spacing itself is measured in the browser (tests/browser/test_newsletter_journey.py)."""
    pending, confirmed = make_subscriber(status="pending"), make_subscriber()
    for url in (
        reverse("newsletter:confirm", args=[make_confirm_token(pending)]),
        reverse("newsletter:unsubscribe", args=[make_unsubscribe_token(confirmed)]),
    ):
        (form,) = read(client.get(url)).find_all("form", method="post")
        assert form["class"] == "single-action"
