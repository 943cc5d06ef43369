"""The newsletter's emails: confirmation, and each issue with RFC 8058 one-click unsubscribe."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from practice.models import ClinicDetails

from .models import Issue, Subscriber
from .tokens import make_confirm_token, make_unsubscribe_token


def absolute(path: str) -> str:
    return settings.CLINIC_SITE_URL + path


def confirmation_message(subscriber: Subscriber) -> EmailMultiAlternatives:
    clinic = ClinicDetails.load()
    context = {
        "clinic": clinic,
        "confirm_url": absolute(reverse("newsletter:confirm", args=[make_confirm_token(subscriber)])),
        "days": settings.CLINIC_NEWSLETTER_CONFIRM_DAYS,
    }
    return EmailMultiAlternatives(
        subject=f"Confirm your subscription – {clinic.name}",
        body=render_to_string("newsletter/email/confirm.txt", context),
        to=[subscriber.email],
    )


def issue_message(issue: Issue, subscriber: Subscriber | None, *, to: str | None = None) -> EmailMultiAlternatives:
    """The email for one subscriber (or, for a staff test, a sample with a dummy unsubscribe link)."""
    clinic = ClinicDetails.load()
    token = make_unsubscribe_token(subscriber) if subscriber else "test"
    unsubscribe_url = absolute(reverse("newsletter:unsubscribe", args=[token]))
    context = {
        "issue": issue,
        "articles": [(article, absolute(article.get_absolute_url())) for article in issue.featured_articles.all()],
        "clinic": clinic,
        "unsubscribe_url": unsubscribe_url,
        "site_url": settings.CLINIC_SITE_URL,
    }
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
