"""Sending an issue: the email itself, admin preview and test, background sending that never repeats."""

import smtplib

import pytest
from django.core import mail
from django.urls import reverse
from pytest_django.asserts import assertContains

from newsletter import tasks
from newsletter.models import Delivery, Issue, IssueStatus
from newsletter.services import start_sending
from tests.factories import make_article, make_subscriber

pytestmark = pytest.mark.django_db


@pytest.fixture
def issue(db):
    issue = Issue.objects.create(
        subject="November: sleep and recovery", body="## Sleep\n\nRest helps. <script>x()</script>"
    )
    issue.featured_articles.add(make_article(title="Between sessions", summary="Looking after yourself."))
    return issue


def send(issue, capture):
    with capture(execute=True):
        return start_sending(issue)


def test_each_email_has_html_text_and_one_click_unsubscribe_headers(issue, django_capture_on_commit_callbacks, client):
    subscriber = make_subscriber(email="Reader@Example.com")
    send(issue, django_capture_on_commit_callbacks)
    (message,) = mail.outbox
    assert message.to == ["Reader@Example.com"]
    assert message.subject == "November: sleep and recovery"
    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in message.body
    html = message.alternatives[0].content
    assert '<h2 id="sleep">Sleep</h2>' in html and "<script" not in html
    assert "Between sessions" in html and "Looking after yourself." in message.body
    assert f'href="{unsubscribe}"' in html
    # RFC 8058: the mail provider POSTs to the header's address.
    path = unsubscribe.removeprefix("http://127.0.0.1:8000")
    assert client.post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == "unsubscribed"


def test_only_confirmed_subscribers_receive_it_and_progress_is_recorded(issue, django_capture_on_commit_callbacks):
    confirmed = [make_subscriber() for _ in range(3)]
    make_subscriber(status="pending")
    make_subscriber(status="unsubscribed")
    assert send(issue, django_capture_on_commit_callbacks) == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(s.email for s in confirmed)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENT and issue.sent_at
    assert issue.progress() == {"pending": 0, "sending": 0, "sent": 3, "failed": 0}


def test_a_crash_midway_resumes_without_sending_anyone_twice(
    issue, django_capture_on_commit_callbacks, monkeypatch, settings
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    subscribers = [make_subscriber() for _ in range(6)]
    send(issue, django_capture_on_commit_callbacks)  # queued only: the dummy backend runs nothing
    real_deliver, calls = tasks.deliver, []

    class Crash(BaseException):
        """Like the process being killed: nothing after it runs."""

    def deliver_then_crash(delivery, shared):
        calls.append(delivery.pk)
        if len(calls) == 3:
            raise Crash  # the third email is claimed but the process dies before it is sent
        real_deliver(delivery, shared)

    monkeypatch.setattr(tasks, "deliver", deliver_then_crash)
    monkeypatch.setattr(tasks, "BATCH_SIZE", 2)
    with pytest.raises(Crash):
        tasks.send_issue.call(issue.pk)
    assert len(mail.outbox) == 2

    monkeypatch.setattr(tasks, "deliver", real_deliver)
    tasks.send_issue.call(issue.pk)  # the restart
    tasks.send_issue.call(issue.pk)  # and a second, needless one
    recipients = [m.to[0] for m in mail.outbox]
    assert len(recipients) == len(set(recipients)) == 5  # nobody twice
    counts = issue.progress()
    assert counts == {"pending": 0, "sending": 0, "sent": 5, "failed": 1}
    failed = Delivery.objects.get(status="failed")
    assert "not resent" in failed.error and failed.subscriber.email not in recipients
    assert {s.email for s in subscribers} - set(recipients) == {failed.subscriber.email}


def test_pressing_send_again_reaches_only_new_subscribers(issue, django_capture_on_commit_callbacks):
    make_subscriber()
    send(issue, django_capture_on_commit_callbacks)
    make_subscriber()
    assert send(issue, django_capture_on_commit_callbacks) == 2
    assert len(mail.outbox) == 2


def test_smtp_failure_is_recorded_per_recipient_and_sending_goes_on(
    issue, django_capture_on_commit_callbacks, monkeypatch
):
    make_subscriber(email="bad@example.com")
    make_subscriber(email="good@example.com")
    real_message = tasks.issue_message

    def flaky(issue, subscriber, **kwargs):
        message = real_message(issue, subscriber, **kwargs)
        if subscriber.email == "bad@example.com":
            message.send = lambda: (_ for _ in ()).throw(smtplib.SMTPRecipientsRefused({}))
        return message

    monkeypatch.setattr(tasks, "issue_message", flaky)
    send(issue, django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [["good@example.com"]]
    assert Delivery.objects.get(subscriber__email="bad@example.com").error == "SMTPRecipientsRefused"


def test_subscriber_who_leaves_during_a_send_is_skipped(issue, django_capture_on_commit_callbacks, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    leaver = make_subscriber()
    send(issue, django_capture_on_commit_callbacks)
    leaver.unsubscribe()
    tasks.send_issue.call(issue.pk)
    assert not mail.outbox


def test_admin_preview_shows_html_and_text_with_headers(staff_client, issue):
    response = staff_client.get(reverse("admin:newsletter_issue_preview", args=[issue.pk]))
    assertContains(response, "HTML version")
    assertContains(response, "Plain-text version")
    assertContains(response, "List-Unsubscribe-Post: List-Unsubscribe=One-Click")
    email = staff_client.get(reverse("admin:newsletter_issue_preview_email", args=[issue.pk]))
    assert "Rest helps." in email.content.decode() and "<script" not in email.content.decode()


def test_admin_sends_a_test_to_the_staff_member_only(staff_client, issue):
    make_subscriber()
    response = staff_client.post(reverse("admin:newsletter_issue_send_test", args=[issue.pk]), follow=True)
    assertContains(response, "Test sent to staff@example.com.")
    assert [m.to for m in mail.outbox] == [["staff@example.com"]]
    assert not Delivery.objects.exists()


def test_admin_send_asks_first_then_sends_in_the_background(staff_client, issue, django_capture_on_commit_callbacks):
    make_subscriber()
    url = reverse("admin:newsletter_issue_send", args=[issue.pk])
    assertContains(staff_client.get(url), "confirmed subscriber(s)")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url)
    assertContains(staff_client.get(response["Location"]), "Sending to 1 confirmed subscriber(s) in the background.")
    assertContains(staff_client.get(response["Location"]), "1 sent / 0 failed / 0 remaining")
    assert len(mail.outbox) == 1


def test_newsletter_admin_is_refused_to_anonymous_visitors(client, issue):
    for url in (
        reverse("admin:newsletter_issue_preview", args=[issue.pk]),
        reverse("admin:newsletter_subscriber_changelist"),
    ):
        assert client.get(url)["Location"].startswith(reverse("admin:login"))
    assert client.post(reverse("admin:newsletter_issue_send", args=[issue.pk])).status_code == 302
    assert not Delivery.objects.exists()


def test_subscriber_admin_lists_filters_and_exports_confirmed_only(staff_client, django_assert_max_num_queries):
    make_subscriber(email="yes@example.com", first_name="=cmd", source_page="/articles/faq/")
    make_subscriber(email="wait@example.com", status="pending")
    changelist = reverse("admin:newsletter_subscriber_changelist")
    with django_assert_max_num_queries(11):  # incl. the sliding session (2) and the OTP device (1)
        assertContains(staff_client.get(changelist), "wait@example.com")
    filtered = staff_client.get(changelist, {"status__exact": "confirmed"})
    assert "wait@example.com" not in filtered.content.decode()
    from newsletter.models import Subscriber

    response = staff_client.post(
        changelist,
        {"action": "export_confirmed_csv", "_selected_action": list(Subscriber.objects.values_list("pk", flat=True))},
    )
    body = response.content.decode()
    assert "yes@example.com,'=cmd" in body and "/articles/faq/" in body
    assert "wait@example.com" not in body
