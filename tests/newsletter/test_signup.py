"""Signing up: double opt-in, neutral answers, limits, tokens, unsubscribing."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects, assertTemplateUsed

from newsletter.models import Subscriber, SubscriberStatus
from newsletter.tokens import make_confirm_token, make_unsubscribe_token
from tests.factories import make_subscriber

pytestmark = pytest.mark.django_db

SIGNUP = reverse("newsletter:signup")
CHECK_EMAIL = reverse("newsletter:check_email")


def sign_up(client, capture, **fields):
    data = {"email": "Reader@Example.com", "first_name": "Ann", "source_page": "/articles/faq/", "website": "", **fields}
    with capture(execute=True):
        return client.post(SIGNUP, data)


def confirm_link() -> str:
    return re.search(r"http://\S+/newsletter/confirm/\S+/", mail.outbox[-1].body.replace("=\n", "")).group(0)


def test_signup_stores_a_pending_subscriber_as_typed_and_emails_a_link(client, django_capture_on_commit_callbacks):
    response = sign_up(client, django_capture_on_commit_callbacks)
    assertRedirects(response, CHECK_EMAIL)
    subscriber = Subscriber.objects.get()
    assert (subscriber.email, subscriber.first_name, subscriber.status) == ("Reader@Example.com", "Ann", "pending")
    assert subscriber.source_page == "/articles/faq/" and subscriber.consented_at
    assert mail.outbox[0].to == ["Reader@Example.com"]
    assert "/newsletter/confirm/" in mail.outbox[0].body
    assert "reader" not in confirm_link().lower()  # the link carries no address


def test_footer_form_is_on_every_reading_page_without_a_csrf_token_or_cookie(client):
    for url in ("/", "/articles/", "/privacy/"):
        response = client.get(url)
        assertContains(response, f'action="{SIGNUP}"')
        assertContains(response, "By subscribing you agree to receive the newsletter by email.")
        assert "csrfmiddlewaretoken" not in response.content.decode()
        assert not response.cookies


def test_confirming_needs_a_press_then_says_so_and_twice_is_fine(client, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks)
    link = confirm_link()
    ask = client.get(link)
    assertContains(ask, "Yes, subscribe me")
    assert Subscriber.objects.get().status == "pending"  # a mail scanner following the link adds nobody
    assertContains(client.post(link), "You are subscribed")
    subscriber = Subscriber.objects.get()
    assert subscriber.status == "confirmed" and subscriber.confirmed_at
    assertContains(client.post(link), "You were already subscribed")
    assertContains(client.get(link), "You were already subscribed")


def test_expired_and_tampered_links_get_a_clear_page(client):
    subscriber = make_subscriber(status="pending")
    token = make_confirm_token(subscriber)
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=8)):
        response = client.get(reverse("newsletter:confirm", args=[token]))
    assertContains(response, "This link has expired", status_code=410)
    response = client.get(reverse("newsletter:confirm", args=[token[:-3] + "abc"]))
    assertContains(response, "This link does not work", status_code=404)
    response = client.get(reverse("newsletter:unsubscribe", args=["nonsense"]))
    assertContains(response, "This link does not work", status_code=404)


def test_same_answer_whether_or_not_the_address_is_on_the_list(client, django_capture_on_commit_callbacks):
    make_subscriber(email="member@example.com")
    known = sign_up(client, django_capture_on_commit_callbacks, email="MEMBER@example.com")
    unknown = sign_up(client, django_capture_on_commit_callbacks, email="stranger@example.com")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == CHECK_EMAIL
    assert [message.to for message in mail.outbox] == [["stranger@example.com"]]  # members get nothing
    assert Subscriber.objects.filter(email__iexact="member@example.com").count() == 1


def test_pending_address_gets_a_fresh_email_but_only_a_few_an_hour(client, django_capture_on_commit_callbacks, settings):
    settings.CLINIC_NEWSLETTER_CONFIRM_RATE = "3/h"
    for _ in range(5):
        assertRedirects(sign_up(client, django_capture_on_commit_callbacks), CHECK_EMAIL)
    assert len(mail.outbox) == 3
    assert Subscriber.objects.count() == 1


def test_unsubscribed_address_must_confirm_again_and_old_links_stop_working(client, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks)
    old_link = confirm_link()
    client.post(old_link)
    subscriber = Subscriber.objects.get()
    client.post(reverse("newsletter:unsubscribe", args=[make_unsubscribe_token(subscriber)]))
    sign_up(client, django_capture_on_commit_callbacks)
    subscriber.refresh_from_db()
    assert subscriber.status == "pending"
    assertContains(client.get(old_link), "This link does not work", status_code=404)
    assertContains(client.post(confirm_link()), "You are subscribed")


def test_honeypot_gets_the_same_answer_and_stores_nothing(client, django_capture_on_commit_callbacks):
    assertRedirects(sign_up(client, django_capture_on_commit_callbacks, website="http://spam"), CHECK_EMAIL)
    assert not Subscriber.objects.exists() and not mail.outbox


def test_invalid_email_shows_the_form_with_a_summary_and_keeps_the_input(client):
    response = client.post(SIGNUP, {"email": "not-an-email", "first_name": "Ann"})
    assertTemplateUsed(response, "newsletter/newsletter.html")
    assertContains(response, '<a href="#id_email">Enter an email address like name@example.com.</a>', html=True)
    assertContains(response, 'value="Ann"')
    assert not Subscriber.objects.exists()


def test_hostile_input_never_breaks_the_page(client):
    response = client.post(SIGNUP, {"email": "<script>alert(1)</script>@x.com", "first_name": "x" * 5000, "source_page": "javascript:alert(1)"})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert client.get(SIGNUP).status_code == 405
    assert client.post(SIGNUP, {"email": "a@example.com", "source_page": "javascript:x"}).status_code == 302
    assert Subscriber.objects.get().source_page == ""


def test_signup_rate_limit_answers_kindly(client, settings):
    settings.CLINIC_FORM_RATE = "2/h"
    for _ in range(2):
        client.post(SIGNUP, {"email": "a@example.com"})
    response = client.post(SIGNUP, {"email": "typed@example.com"})
    assertContains(response, "Please wait a little before trying again", status_code=429)
    assertContains(response, 'value="typed@example.com"', status_code=429)


def test_unsubscribe_link_asks_then_unsubscribes_at_once_and_idempotently(client):
    subscriber = make_subscriber()
    url = reverse("newsletter:unsubscribe", args=[make_unsubscribe_token(subscriber)])
    assertContains(client.get(url), "Unsubscribe from the newsletter")
    assertContains(client.post(url), "You are unsubscribed")
    subscriber.refresh_from_db()
    first_time = subscriber.unsubscribed_at
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED and first_time
    assertContains(client.post(url), "You are unsubscribed")
    subscriber.refresh_from_db()
    assert subscriber.unsubscribed_at == first_time
    assertContains(client.get(url), "already unsubscribed")


def test_one_click_unsubscribe_works_without_session_or_csrf(client):
    from django.test import Client

    subscriber = make_subscriber()
    strict = Client(enforce_csrf_checks=True)
    url = reverse("newsletter:unsubscribe", args=[make_unsubscribe_token(subscriber)])
    response = strict.post(url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == "unsubscribed"


def test_footer_signup_works_with_csrf_enforced(django_capture_on_commit_callbacks):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = strict.post(SIGNUP, {"email": "footer@example.com", "source_page": "/"})
    assert response.status_code == 302 and len(mail.outbox) == 1


def test_emails_are_unique_ignoring_case():
    from django.db import IntegrityError

    make_subscriber(email="Case@Example.com")
    with pytest.raises(IntegrityError):
        make_subscriber(email="case@example.COM")


def test_newsletter_page_explains_and_is_cookie_free(client, django_assert_num_queries, warm_site_state):
    with django_assert_num_queries(0):
        response = client.get(reverse("newsletter:newsletter"))
    assertContains(response, "What you will get")
    assertContains(response, "about once a month")
    assert not response.cookies
