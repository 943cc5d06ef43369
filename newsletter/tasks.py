"""Background sending: confirmation emails, and issues to every confirmed subscriber.

An issue is sent at most once to each subscriber, even across crashes and restarts: each delivery
is claimed (committed as "sending") before its email goes out and marked "sent" after. A restart
sends only deliveries still waiting; one claimed when the process died is marked failed rather
than risk sending it twice, and shows as failed in admin.
"""

import logging
import smtplib

from django.tasks import task
from django.utils import timezone

from .emails import confirmation_message, issue_context, issue_message
from .models import Delivery, DeliveryStatus, Issue, IssueStatus, Subscriber, SubscriberStatus

logger = logging.getLogger(__name__)
BATCH_SIZE = 50


@task()
def send_confirmation(subscriber_id: int) -> bool:
    # Unsubscribed addresses too: subscribe() queues one only for a new signup, and its link is the way back.
    unconfirmed = [SubscriberStatus.PENDING, SubscriberStatus.UNSUBSCRIBED]
    subscriber = Subscriber.objects.filter(pk=subscriber_id, status__in=unconfirmed).first()
    if subscriber is None:
        return True
    try:
        confirmation_message(subscriber).send()
    except (smtplib.SMTPException, OSError) as error:
        logger.warning("Newsletter confirmation for subscriber %s failed: %s", subscriber_id, type(error).__name__)
        return False
    return True


def claim(delivery_id: int) -> bool:
    """Mark one waiting delivery as being sent; False if another worker got there first."""
    return bool(
        Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING).update(
            status=DeliveryStatus.SENDING, attempted_at=timezone.now()
        )
    )


def deliver(delivery: Delivery, shared: dict) -> None:
    """Send one claimed delivery and record how it went. `shared` is the run's issue_context()."""
    issue, subscriber = delivery.issue, delivery.subscriber
    if subscriber.status != SubscriberStatus.CONFIRMED:  # unsubscribed since the send began
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.FAILED, error="unsubscribed before sending"
        )
        return
    try:
        issue_message(issue, subscriber, shared=shared).send()
    except (smtplib.SMTPException, OSError) as error:
        logger.warning("Newsletter delivery %s failed: %s", delivery.pk, type(error).__name__)
        Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.FAILED, error=type(error).__name__)
        return
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.SENT, sent_at=timezone.now())


@task()
def send_issue(issue_id: int) -> dict:
    """Send every waiting delivery of an issue. Safe to run again after a crash."""
    issue = Issue.objects.get(pk=issue_id)
    # Claimed by a run that died: we cannot know whether the email left, so never send it again.
    Delivery.objects.filter(issue=issue, status=DeliveryStatus.SENDING).update(
        status=DeliveryStatus.FAILED, error="interrupted: not resent, to avoid a duplicate"
    )
    # Once per run, and before any claim: should reading it fail, no delivery is left claimed and unsent.
    shared = issue_context(issue)
    waiting = Delivery.objects.filter(issue=issue, status=DeliveryStatus.PENDING).select_related("subscriber")
    while batch := list(waiting.order_by("pk")[:BATCH_SIZE]):
        for delivery in batch:
            if claim(delivery.pk):  # committed before the email leaves: a crash can lose it, never repeat it
                delivery.issue = issue
                deliver(delivery, shared)
    Issue.objects.filter(pk=issue.pk).update(status=IssueStatus.SENT, sent_at=timezone.now())
    return issue.progress()
