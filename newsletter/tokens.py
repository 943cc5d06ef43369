"""Signed links for confirming and unsubscribing. They carry ids only, never an address."""

from django.conf import settings
from django.core import signing

from .models import Subscriber

CONFIRM_SALT = "newsletter.confirm"
UNSUBSCRIBE_SALT = "newsletter.unsubscribe"


class TokenExpired(Exception):
    pass


def make_confirm_token(subscriber: Subscriber) -> str:
    return signing.dumps([subscriber.pk, subscriber.token_key], salt=CONFIRM_SALT, compress=True)


def read_confirm_token(token: str) -> Subscriber | None:
    """The subscriber the link is for; None if tampered or superseded; TokenExpired if too old."""
    try:
        pk, key = signing.loads(token, salt=CONFIRM_SALT, max_age=settings.CLINIC_NEWSLETTER_CONFIRM_DAYS * 86400)
    except signing.SignatureExpired as error:
        raise TokenExpired from error
    except (signing.BadSignature, TypeError, ValueError):
        return None
    return Subscriber.objects.filter(pk=pk, token_key=key).first()


def make_unsubscribe_token(subscriber: Subscriber) -> str:
    return signing.dumps(subscriber.pk, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> Subscriber | None:
    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)  # never expires: old emails must still work
    except (signing.BadSignature, TypeError, ValueError):
        return None
    return Subscriber.objects.filter(pk=pk).first()
