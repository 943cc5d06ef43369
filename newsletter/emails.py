"""The newsletter's emails: confirmation, and each issue with RFC 8058 one-click unsubscribe.

Each has a plain-text part and an HTML part (templates/newsletter/email/, laid out for email clients)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from discovery.site import absolute_url
from practice.models import ClinicDetails

from .email_body import email_html, email_text
from .models import Issue, Subscriber
from .tokens import make_confirm_token, make_unsubscribe_token


def confirmation_message(subscriber: Subscriber) -> EmailMultiAlternatives:
    clinic = ClinicDetails.load()
    context = {
        "clinic": clinic,
        "confirm_url": absolute_url(reverse("newsletter:confirm", args=[make_confirm_token(subscriber)])),
        "days": settings.CLINIC_NEWSLETTER_CONFIRM_DAYS,
    }
    message = EmailMultiAlternatives(
        subject=f"Confirm your subscription – {clinic.name}",
        body=render_to_string("newsletter/email/confirm.txt", context),
        to=[subscriber.email],
    )
    message.attach_alternative(render_to_string("newsletter/email/confirm.html", context), "text/html")
    return message


def issue_context(issue: Issue) -> dict:
    """What every copy of an issue shares. A send builds it once and reuses it for each recipient:
    the featured articles and clinic details would otherwise cost queries per email, and every copy
    sent in one run then shows the same content, even if staff edit the clinic details meanwhile."""
    return {
        "issue": issue,
        "body_html": email_html(issue.body_html),  # links absolute and in the clinic colour
        "body_text": email_text(issue.body),  # the Markdown, links written out as "text (url)"
        "articles": [(article, absolute_url(article.get_absolute_url())) for article in issue.featured_articles.all()],
        "clinic": ClinicDetails.load(),
        "site_url": settings.CLINIC_SITE_URL,
    }


def issue_message(
    issue: Issue, subscriber: Subscriber | None, *, to: str | None = None, shared: dict | None = None
) -> EmailMultiAlternatives:
    """The email for one subscriber (or, for a staff test, a sample with a dummy unsubscribe link).

    `shared` is issue_context(issue), passed by a caller sending many copies so it is built once;
    left out (admin preview and test), it is built here. Only the address and unsubscribe link vary.
    """
    if shared is None:
        shared = issue_context(issue)
    token = make_unsubscribe_token(subscriber) if subscriber else "test"
    unsubscribe_url = absolute_url(reverse("newsletter:unsubscribe", args=[token]))
    context = {**shared, "unsubscribe_url": unsubscribe_url}  # a new dict: `shared` is never changed
    message = EmailMultiAlternatives(
        subject=issue.subject,
        body=render_to_string("newsletter/email/issue.txt", context),
        to=[to or subscriber.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(render_to_string("newsletter/email/issue.html", context), "text/html")
    return message
