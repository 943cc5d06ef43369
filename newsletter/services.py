"""Signing up, confirming, and starting to send an issue."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from background.queue import enqueue_safely
from web.ratelimit import over_limit

from .models import Delivery, Issue, IssueStatus, Subscriber, SubscriberStatus, new_token_key
from .tasks import send_confirmation, send_issue


def confirmation_allowed(request, email: str) -> bool:
    """At most CLINIC_NEWSLETTER_CONFIRM_RATE confirmation emails to one address."""
    return not over_limit(
        request,
        group="newsletter-confirmation",
        key=lambda group, request: email.strip().lower(),
        rate=settings.CLINIC_NEWSLETTER_CONFIRM_RATE,
    )


def subscribe(request, *, email: str, first_name: str, source_page: str) -> None:
    """Record a signup and send a confirmation when one is due. Says nothing about what it found,
    so the page that follows is the same whether or not the address was already on the list.

    An unsubscribed address stays unsubscribed, with its record untouched, until its owner confirms
    from the email this sends: whoever typed the address here may not be its owner.
    """
    now = timezone.now()
    try:
        with transaction.atomic():
            subscriber, created = Subscriber.objects.get_or_create(
                email__iexact=email,
                defaults={"email": email, "first_name": first_name, "source_page": source_page, "consented_at": now},
            )
    except IntegrityError:  # the same address signed up in a parallel request
        subscriber, created = Subscriber.objects.with_email(email).get(), False
    if subscriber.status == SubscriberStatus.CONFIRMED:
        return
    if not created and subscriber.status == SubscriberStatus.PENDING:
        subscriber.first_name = first_name or subscriber.first_name
        subscriber.source_page, subscriber.consented_at = source_page, now
        subscriber.save(update_fields=["first_name", "source_page", "consented_at"])
    if not confirmation_allowed(request, email):
        return
    if subscriber.status == SubscriberStatus.UNSUBSCRIBED:
        # Only the email about to go out may bring them back. Rotated only when one is sent, so
        # signups refused an email cannot break the link the owner already has.
        Subscriber.objects.filter(pk=subscriber.pk).update(token_key=new_token_key())
    transaction.on_commit(lambda: enqueue_safely(send_confirmation, subscriber.pk))


def start_sending(issue: Issue) -> int:
    """Create a waiting delivery for every confirmed subscriber and queue the send; returns how many."""
    with transaction.atomic():
        issue = Issue.objects.select_for_update().get(pk=issue.pk)
        if issue.status == IssueStatus.DRAFT:
            issue.status, issue.send_started_at = IssueStatus.SENDING, timezone.now()
            issue.save(update_fields=["status", "send_started_at"])
        Delivery.objects.bulk_create(
            [Delivery(issue=issue, subscriber=subscriber) for subscriber in Subscriber.objects.confirmed()],
            ignore_conflicts=True,  # a second press adds only subscribers confirmed since
        )
    transaction.on_commit(lambda: enqueue_safely(send_issue, issue.pk))
    return issue.deliveries.count()
