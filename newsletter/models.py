"""Subscriber, Issue and Delivery: who asked for the newsletter, what was sent, and to whom."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from articles.markdown import render_markdown


def new_token_key() -> str:
    return secrets.token_urlsafe(12)


class SubscriberStatus(models.TextChoices):
    PENDING = "pending", "Waiting for confirmation"
    CONFIRMED = "confirmed", "Confirmed"
    UNSUBSCRIBED = "unsubscribed", "Unsubscribed"


class SubscriberQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=SubscriberStatus.CONFIRMED)

    def with_email(self, email: str):
        return self.filter(email__iexact=email.strip())

    def unconfirmed_before(self, cutoff):
        """Still pending, with the latest signup before cutoff: what purge_pending_subscribers removes."""
        return self.filter(status=SubscriberStatus.PENDING, consented_at__lt=cutoff)


class Subscriber(models.Model):
    email = models.EmailField(max_length=254, help_text="Stored as typed; unique ignoring case.")
    first_name = models.CharField(max_length=60, blank=True)
    status = models.CharField(max_length=20, choices=SubscriberStatus.choices, default=SubscriberStatus.PENDING)
    source_page = models.CharField(max_length=200, blank=True, help_text="The page the signup form was on.")
    consented_at = models.DateTimeField(help_text="When the visitor asked to subscribe (latest signup).")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    # Part of every confirmation link. A new one on unsubscribing and on each confirmation email
    # sent to an unsubscribed address, so only the newest email's link can bring them back.
    token_key = models.CharField(max_length=32, default=new_token_key, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(Lower("email"), name="newsletter_subscriber_email_ci_unique")]
        permissions = [("export_subscriber", "Can export subscribers to CSV")]

    def __str__(self):
        return self.email

    def confirm(self) -> None:
        """The owner pressed the button in the newest confirmation email."""
        now = timezone.now()
        if self.status == SubscriberStatus.UNSUBSCRIBED:
            # Anyone can fill in the signup form, so a returning reader's consent is this press.
            self.consented_at, self.unsubscribed_at = now, None
        self.status, self.confirmed_at = SubscriberStatus.CONFIRMED, now
        self.save(update_fields=["status", "confirmed_at", "consented_at", "unsubscribed_at"])

    def unsubscribe(self) -> None:
        if self.status != SubscriberStatus.UNSUBSCRIBED:
            self.status, self.unsubscribed_at = SubscriberStatus.UNSUBSCRIBED, timezone.now()
            self.token_key = new_token_key()  # confirmation links sent before now stop working
            self.save(update_fields=["status", "unsubscribed_at", "token_key"])


class IssueStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"


class Issue(models.Model):
    subject = models.CharField(max_length=150)
    body = models.TextField(help_text="Markdown, as for articles. An unsubscribe link is added to every email.")
    featured_articles = models.ManyToManyField(
        "articles.Article", blank=True, help_text="Listed at the end of the email with their summaries."
    )
    body_html = models.TextField(editable=False, default="")
    status = models.CharField(max_length=10, choices=IssueStatus.choices, default=IssueStatus.DRAFT, editable=False)
    send_started_at = models.DateTimeField(null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["body_html"])

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.subject

    def save(self, *args, **kwargs):
        self.body = self.body.replace("\r\n", "\n")
        self.body_html = render_markdown(self.body).html
        super().save(*args, **kwargs)

    def get_admin_url(self) -> str:
        return reverse("admin:newsletter_issue_change", args=[self.pk])

    def progress(self) -> dict[str, int]:
        """Deliveries by status: pending, sending, sent, failed."""
        counts = dict(self.deliveries.order_by().values_list("status").annotate(models.Count("pk")))
        return {status: counts.get(status, 0) for status in DeliveryStatus.values}


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Waiting"
    SENDING = "sending", "Sending (claimed)"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class Delivery(models.Model):
    """One issue to one subscriber. The unique pair is what makes sending never repeat."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING, db_index=True
    )
    attempted_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [models.UniqueConstraint("issue", "subscriber", name="newsletter_one_delivery_per_subscriber")]

    def __str__(self):
        return f"{self.issue} → subscriber #{self.subscriber_id}"
