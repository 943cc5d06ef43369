"""Signing up: double opt-in, neutral answers, limits, tokens, unsubscribing."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertTemplateUsed

from newsletter.forms import SignupForm
from newsletter.models import Delivery, Issue, Subscriber, SubscriberStatus
from newsletter.services import start_sending
from newsletter.templatetags.newsletter_tags import forget_rendered_forms
from newsletter.tokens import make_confirm_token, make_unsubscribe_token
from tests.factories import make_subscriber

pytestmark = pytest.mark.django_db

SIGNUP = reverse("newsletter:signup")
PER_REQUEST = {"Expires", "X-Request-ID"}  # headers that differ on every response, whatever was posted


def sign_up(client, capture, **fields):
    data = {
        "email": "Reader@Example.com",
        "first_name": "Ann",
        "source_page": "/articles/faq/",
        "website": "",
        **fields,
    }
    with capture(execute=True):
        return client.post(SIGNUP, data)


def assert_check_email(response, email: str = "Reader@Example.com") -> None:
    """The answer to a signup that went through: "check your email", naming the address as typed."""
    assert response.status_code == 200
    assertTemplateUsed(response, "newsletter/check_email.html")
    assertContains(response, f'We have sent a link to <strong class="typed-address">{email}</strong>')


def confirm_link() -> str:
    return re.search(r"http://\S+/newsletter/confirm/\S+/", mail.outbox[-1].body.replace("=\n", "")).group(0)


def test_signup_stores_a_pending_subscriber_as_typed_and_emails_a_link(client, django_capture_on_commit_callbacks):
    response = sign_up(client, django_capture_on_commit_callbacks)
    assert_check_email(response)
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


def footer_signup(html: str) -> str:
    start = html.index('<section class="footer-signup"')
    return html[start : html.index("</section>", start)]


@pytest.fixture
def changed_signup_form(monkeypatch):
    """SignupForm with other words; the footer, rendered once per page and process, is rendered again."""
    monkeypatch.setattr(SignupForm, "consent_text", "Changed consent words.")
    monkeypatch.setattr(SignupForm.base_fields["email"], "label", "Changed label")
    forget_rendered_forms()
    yield
    forget_rendered_forms()


def test_footer_signup_is_rendered_from_the_signup_form(client, changed_signup_form):
    footer = footer_signup(client.get("/").content.decode())
    assert "Changed consent words." in footer and "By subscribing" not in footer
    assert "Changed label" in footer and "Email address" not in footer
    assert 'for="footer-email"' in footer and 'id="footer-email"' in footer  # the label names the input
    hidden = footer[footer.index('class="hp-field"') :]
    assert 'name="website"' in hidden and "Leave this empty" in hidden  # the honeypot, as on the form's page
    assert 'name="first_name"' not in footer  # compact: the optional first name stays on the newsletter page


def test_rendering_the_footer_signup_runs_no_queries_and_adds_no_inline_code(rf, django_assert_num_queries):
    forget_rendered_forms()  # a first render, not one kept from another test
    with django_assert_num_queries(0):
        footer = render_to_string("newsletter/_footer_signup.html", request=rf.get("/prices/"))
    assert 'name="source_page" value="/prices/"' in footer
    other = render_to_string("newsletter/_footer_signup.html", request=rf.get("/privacy/"))
    assert 'name="source_page" value="/privacy/"' in other  # each page's own, though kept per process
    hostile = render_to_string("newsletter/_footer_signup.html", request=rf.get('/x"><script>alert(1)</script>'))
    assert "<script>" not in hostile and 'value="/x&quot;&gt;&lt;script&gt;' in hostile
    assert not re.search(r"\s(style|on[a-z]+)=", footer)


def test_newsletter_page_has_one_signup_form_and_no_footer_copy(client):
    html = client.get(reverse("newsletter:newsletter")).content.decode()
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted(id_ for id_ in ids if ids.count(id_) > 1)
    assert {"id_email", "id_website"} <= set(ids) and "footer-email" not in ids
    assert html.count(SignupForm.consent_text) == 1 and html.count(f'action="{SIGNUP}"') == 1


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
    assert_check_email(known, "MEMBER@example.com")
    assert_check_email(unknown, "stranger@example.com")
    assert [message.to for message in mail.outbox] == [["stranger@example.com"]]  # members get nothing
    assert Subscriber.objects.filter(email__iexact="member@example.com").count() == 1


def test_pending_address_gets_a_fresh_email_but_only_a_few_an_hour(
    client, django_capture_on_commit_callbacks, settings
):
    settings.CLINIC_NEWSLETTER_CONFIRM_RATE = "3/h"
    for _ in range(5):
        assert_check_email(sign_up(client, django_capture_on_commit_callbacks))
    assert len(mail.outbox) == 3
    assert Subscriber.objects.count() == 1


def test_signup_answer_is_the_same_for_new_pending_confirmed_and_unsubscribed_addresses(
    client, django_capture_on_commit_callbacks
):
    make_subscriber(email="pending@example.com", status="pending")
    make_subscriber(email="confirmed@example.com")
    make_subscriber(email="left@example.com", status="unsubscribed", unsubscribed_at=timezone.now())
    answers = []
    for email in ("new@example.com", "pending@example.com", "confirmed@example.com", "left@example.com"):
        response = sign_up(client, django_capture_on_commit_callbacks, email=email)
        assert_check_email(response, email)
        # The one difference is the address typed (and so the length).
        headers = sorted(
            (name, value) for name, value in response.headers.items() if name not in {*PER_REQUEST, "Content-Length"}
        )
        page = response.content.replace(email.encode(), b"ADDRESS")
        answers.append((response.status_code, headers, page, dict(response.cookies)))
    assert answers[1:] == [answers[0]] * 3
    assert not answers[0][3]  # no cookie


def unsubscribe_via_link(client, subscriber):
    client.post(reverse("newsletter:unsubscribe", args=[make_unsubscribe_token(subscriber)]))
    subscriber.refresh_from_db()
    return subscriber


@pytest.fixture
def former_subscriber(client):
    """Subscribed from the newsletter page long ago, then unsubscribed from an issue."""
    with time_machine.travel(dt.datetime(2025, 1, 10, 9, tzinfo=dt.UTC), tick=False):
        subscriber = make_subscriber(email="Reader@Example.com", first_name="Ann", source_page="/newsletter/")
    with time_machine.travel(dt.datetime(2025, 3, 1, 9, tzinfo=dt.UTC), tick=False):
        return unsubscribe_via_link(client, subscriber)


def do_not_email_record(subscriber):
    subscriber.refresh_from_db()
    fields = ("status", "unsubscribed_at", "first_name", "source_page", "consented_at", "confirmed_at")
    return {field: getattr(subscriber, field) for field in fields}


def test_unsubscribed_address_signed_up_again_stays_unsubscribed_and_gets_no_issue(
    client, former_subscriber, django_capture_on_commit_callbacks
):
    before = do_not_email_record(former_subscriber)
    assert before["status"] == SubscriberStatus.UNSUBSCRIBED
    response = sign_up(client, django_capture_on_commit_callbacks, first_name="Mallory", source_page="/prices/")
    assert_check_email(response)
    assert do_not_email_record(former_subscriber) == before  # nothing a stranger typed is kept
    assert [message.to for message in mail.outbox] == [["Reader@Example.com"]]  # the way back, for the owner
    client.get(confirm_link())  # a mail scanner opening the link changes nothing
    assert do_not_email_record(former_subscriber) == before
    issue = Issue.objects.create(subject="Spring update", body="News.")
    with django_capture_on_commit_callbacks(execute=True):
        assert start_sending(issue) == 0
    assert len(mail.outbox) == 1 and not Delivery.objects.exists()


def test_owner_confirming_from_the_new_email_resubscribes_them(
    client, former_subscriber, django_capture_on_commit_callbacks
):
    sign_up(client, django_capture_on_commit_callbacks, first_name="Mallory")
    link = confirm_link()
    assertContains(client.get(link), "Yes, subscribe me")
    pressed_at = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=1)
    with time_machine.travel(pressed_at, tick=False):
        assertContains(client.post(link), "You are subscribed")
    former_subscriber.refresh_from_db()
    assert former_subscriber.status == SubscriberStatus.CONFIRMED
    assert former_subscriber.consented_at == former_subscriber.confirmed_at == pressed_at  # the owner's own consent
    assert former_subscriber.unsubscribed_at is None
    assert former_subscriber.first_name == "Ann"  # the signup form may have been a stranger's
    assertContains(client.post(link), "You were already subscribed")
    with django_capture_on_commit_callbacks(execute=True):
        assert start_sending(Issue.objects.create(subject="Spring update", body="News.")) == 1
    assert mail.outbox[-1].subject == "Spring update"


def test_confirmation_links_from_before_unsubscribing_stop_working(client, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks)
    first_link = confirm_link()
    client.post(first_link)
    unsubscribe_via_link(client, Subscriber.objects.get())
    for response in (client.get(first_link), client.post(first_link)):
        assertContains(response, "This link does not work", status_code=404)
    sign_up(client, django_capture_on_commit_callbacks)
    second_link = confirm_link()
    sign_up(client, django_capture_on_commit_callbacks)  # only the newest email's link works
    assertContains(client.post(second_link), "This link does not work", status_code=404)
    assert Subscriber.objects.get().status == SubscriberStatus.UNSUBSCRIBED
    assertContains(client.post(confirm_link()), "You are subscribed")


def test_pending_link_from_before_unsubscribing_stops_working(client, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks)
    link = confirm_link()  # never pressed
    Subscriber.objects.get().unsubscribe()
    assertContains(client.post(link), "This link does not work", status_code=404)
    assert Subscriber.objects.get().status == SubscriberStatus.UNSUBSCRIBED


def test_returning_address_gets_only_a_few_emails_an_hour_and_the_newest_link_works(
    client, former_subscriber, django_capture_on_commit_callbacks, settings
):
    settings.CLINIC_NEWSLETTER_CONFIRM_RATE = "2/h"
    for _ in range(4):
        assert_check_email(sign_up(client, django_capture_on_commit_callbacks))
    assert len(mail.outbox) == 2
    # Signups refused an email leave the last email's link working.
    assertContains(client.post(confirm_link()), "You are subscribed")


def test_honeypot_gets_the_same_answer_and_stores_nothing(client, django_capture_on_commit_callbacks):
    assert_check_email(sign_up(client, django_capture_on_commit_callbacks, website="http://spam"))
    assert not Subscriber.objects.exists() and not mail.outbox


def test_invalid_email_shows_the_form_with_a_summary_and_keeps_the_input(client):
    response = client.post(SIGNUP, {"email": "not-an-email", "first_name": "Ann", "source_page": "/newsletter/"})
    assertTemplateUsed(response, "newsletter/signup_problem.html")
    assertContains(response, '<a href="#id_email">Enter an email address like name@example.com.</a>', html=True)
    assertContains(response, 'value="Ann"')
    assert not Subscriber.objects.exists()


def test_hostile_input_never_breaks_the_page(client):
    response = client.post(
        SIGNUP,
        {"email": "<script>alert(1)</script>@x.com", "first_name": "x" * 5000, "source_page": "javascript:alert(1)"},
    )
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert client.get(SIGNUP).status_code == 405
    assert client.post(SIGNUP, {"email": "a@example.com", "source_page": "javascript:x"}).status_code == 200
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
        form = "application/x-www-form-urlencoded"
        response = strict.post(SIGNUP, "email=footer%40example.com&source_page=%2F", content_type=form)
    assert response.status_code == 200 and len(mail.outbox) == 1


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
