"""Newsletter: double opt-in signup, one-click unsubscribe, issues sent from admin."""

from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    name = "newsletter"
