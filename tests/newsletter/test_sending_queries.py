"""Sending an issue costs a fixed number of queries for what every email shares, plus only the writes
each delivery needs so that it is never sent twice (claimed before it leaves, marked sent after)."""

import math

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from newsletter import tasks
from newsletter.emails import issue_context, issue_message
from newsletter.models import Issue
from newsletter.services import start_sending
from practice.models import forget_cached_details
from tests.factories import make_article, make_subscriber

pytestmark = pytest.mark.django_db

# What one run of send_issue reads and writes once, whatever the number of recipients:
#   1 SELECT the issue
#   2 UPDATE deliveries a crashed run left claimed, to failed
#   3 SELECT the featured articles            } issue_context(): what every email shares,
#   4 SELECT the clinic details (cold cache)  } built once per run
#     SELECT the active locations (cold cache) } (the address every issue carries)
#   5 UPDATE the issue to sent
#   6 SELECT the progress counts it returns
ONCE_PER_SEND = 7
# Per delivery, two committed writes: the claim before the email leaves and "sent" after it. Both stay
# one row at a time: claiming a batch at once would leave a crash failing the whole batch unsent, and
# marking a batch sent at once would leave a crash recording emails that did go out as failed.
PER_DELIVERY = 2


def batch_reads(recipients: int) -> int:
    """The SELECTs of waiting deliveries: one per batch, and the empty one that ends the loop."""
    return math.ceil(recipients / tasks.BATCH_SIZE) + 1


def expected_queries(recipients: int) -> int:
    return ONCE_PER_SEND + batch_reads(recipients) + PER_DELIVERY * recipients


def new_issue() -> Issue:
    issue = Issue.objects.create(subject="Winter hours", body="## Hours\n\nWe close at noon on the 24th.")
    issue.featured_articles.add(make_article(), make_article())
    return issue


def queue(issue: Issue, settings) -> None:
    """Create the deliveries as the admin's Send button does, leaving the task for the test to run."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}  # queues, runs nothing
    start_sending(issue)
    forget_cached_details()  # like a worker that has not read them yet, so their query is counted
    mail.outbox.clear()


def send_task_queries(issue: Issue, settings) -> CaptureQueriesContext:
    queue(issue, settings)
    with CaptureQueriesContext(connection) as queries:
        tasks.send_issue.call(issue.pk)
    return queries


def statements_on(queries: CaptureQueriesContext, table: str) -> int:
    return sum(table in query["sql"] for query in queries.captured_queries)


def test_sending_to_100_subscribers_reads_what_they_share_once(settings, django_assert_num_queries):
    for _ in range(100):
        make_subscriber()
    issue = new_issue()
    queue(issue, settings)
    # 7 once per send (ONCE_PER_SEND above) + 3 batch reads (50, 50, none left) + 2 writes x 100 deliveries.
    assert expected_queries(100) == 210
    with django_assert_num_queries(210) as queries:
        progress = tasks.send_issue.call(issue.pk)
    assert progress == {"pending": 0, "sending": 0, "sent": 100, "failed": 0}
    assert len({message.to[0] for message in mail.outbox}) == 100
    assert statements_on(queries, '"articles_article"') == 1
    assert statements_on(queries, '"practice_clinicdetails"') == 1


def test_ten_times_the_recipients_adds_only_their_deliveries_writes(settings):
    for _ in range(10):
        make_subscriber()
    ten = send_task_queries(new_issue(), settings)
    for _ in range(90):
        make_subscriber()
    hundred = send_task_queries(new_issue(), settings)
    assert len(mail.outbox) == 100
    assert len(hundred) - len(ten) == PER_DELIVERY * 90 + batch_reads(100) - batch_reads(10)
    assert (len(ten), len(hundred)) == (expected_queries(10), expected_queries(100)) == (29, 210)
    delivery_writes = statements_on(hundred, 'UPDATE "newsletter_delivery"')
    assert delivery_writes == PER_DELIVERY * 100 + 1  # + the one for deliveries a crashed run left claimed


def test_the_email_is_the_same_whether_the_shared_part_is_passed_or_built(db):
    """The admin preview and test send pass nothing; the send task passes what it built once."""
    issue, subscriber = new_issue(), make_subscriber()
    built, passed = issue_message(issue, subscriber), issue_message(issue, subscriber, shared=issue_context(issue))
    assert (built.to, built.subject, built.body) == (passed.to, passed.subject, passed.body)
    assert built.alternatives == passed.alternatives and built.extra_headers == passed.extra_headers
    assert all(article.title in built.body for article in issue.featured_articles.all())
