"""One place that builds valid objects for tests; a test sets only the fields it is about."""

import datetime as dt
from itertools import count

from django.contrib.auth import get_user_model
from django.utils import timezone

from articles.models import Article, Reference, Status
from practice.models import PLACEHOLDER_CLINICIAN, Clinician

_numbers = count(1)


def placeholder_reviewer() -> Clinician:
    """The fresh install's reviewer (made by a migration; made again after a flush)."""
    return Clinician.objects.get_or_create(
        slug=PLACEHOLDER_CLINICIAN["slug"],
        defaults={**PLACEHOLDER_CLINICIAN, "role": "Medical reviewer", "reviews_content": True, "is_placeholder": True},
    )[0]


def make_clinician(**fields) -> Clinician:
    number = next(_numbers)
    values = {"name": f"Clinician {number}", "slug": f"clinician-{number}", "credentials": "MD", "role": "Psychiatrist"}
    return Clinician.objects.create(**{**values, "reviews_content": True, **fields})


def make_article(*, references: int = 2, **fields) -> Article:
    number = next(_numbers)
    today = timezone.localdate()
    values = {
        "title": f"Article {number}",
        "slug": f"article-{number}",
        "summary": f"Summary of article {number}.",
        "topic": "treatment",
        "body": "## First\n\nOne.\n\n## Second\n\nTwo.\n\n## Third\n\nThree.\n",
        "status": Status.PUBLISHED,
        "published_at": timezone.now() - dt.timedelta(days=1),
        "reviewer": fields.pop("reviewer", None) or placeholder_reviewer(),
        "last_reviewed": today - dt.timedelta(days=30),
        "next_review_due": today + dt.timedelta(days=150),
        **fields,
    }
    article = Article.objects.create(**values)
    for position in range(references):
        Reference.objects.create(
            article=article,
            position=position,
            title=f"Source {position + 1}",
            publisher="Journal",
            year=2020,
            url=f"https://example.org/{number}/{position}",
        )
    return article


def make_staff(
    *, username: str = "staff", password: str = "correct-horse-battery", superuser: bool = True, permissions=()
):
    """A staff account; `permissions` are "app_label.codename" strings."""
    from django.contrib.auth.models import Permission

    User = get_user_model()
    user = User.objects.create_user(
        username=username, password=password, email=f"{username}@example.com", is_staff=True, is_superuser=superuser
    )
    for permission in permissions:
        app_label, codename = permission.split(".")
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return user


def make_editor(**kwargs):
    """Staff who edit articles and clinic details, and cannot see consultation requests."""
    permissions = [f"articles.{action}_article" for action in ("view", "add", "change", "delete")]
    permissions += [f"articles.{action}_reference" for action in ("view", "add", "change", "delete")]
    return make_staff(superuser=False, permissions=permissions, **{"username": "editor", **kwargs})


def enroll_totp(user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=user, name="Test authenticator", confirmed=True)


def current_totp(device) -> str:
    from django_otp.oath import totp

    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def log_in_verified(client, user) -> None:
    """Log a staff member in as if with password and authenticator code."""
    from django_otp import DEVICE_ID_SESSION_KEY

    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = enroll_totp(user).persistent_id
    session.save()


def make_consultation(**fields):
    from consultations.models import ConsultationRequest

    number = next(_numbers)
    values = {
        "name": f"Visitor {number}",
        "email": f"visitor{number}@example.com",
        "phone": "+12025550123",
        "contact_method": "phone",
        "contact_time": "any",
        "concerns": ["depression"],
        "seeing_clinician": "no",
        "is_adult": True,
        "consented_at": timezone.now(),
        **fields,
    }
    return ConsultationRequest.objects.create(**values)


def consultation_post_data(**fields) -> dict:
    """What a person's browser sends from a correctly filled consultation form."""
    from consultations.forms import sign_start_time

    return {
        "who_for": "self",
        "name": "Jordan Lee",
        "email": "jordan@example.com",
        "phone": "(202) 555-0123",
        "contact_method": "phone",
        "contact_time": "morning",
        "concerns": ["depression", "anxiety"],
        "seeing_clinician": "yes",
        "heard_about": "",
        "message": "",
        "is_adult": "on",
        "consent": "on",
        "website": "",
        "started": sign_start_time(),
        **fields,
    }


def make_subscriber(**fields):
    from newsletter.models import Subscriber

    number = next(_numbers)
    values = {"email": f"reader{number}@example.com", "status": "confirmed", "consented_at": timezone.now(), **fields}
    if values["status"] == "confirmed":
        values.setdefault("confirmed_at", timezone.now())
    return Subscriber.objects.create(**values)
