"""One place that builds valid objects for tests; a test sets only the fields it is about."""

import datetime as dt
from itertools import count

from django.contrib.auth import get_user_model
from django.utils import timezone

from articles.models import Article, Reference, Status

_numbers = count(1)


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
        "reviewed_by": "Medical reviewer, MD",
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


def make_staff(*, username: str = "staff", password: str = "correct-horse-battery", superuser: bool = True):
    User = get_user_model()
    return User.objects.create_user(
        username=username, password=password, email=f"{username}@example.com", is_staff=True, is_superuser=superuser
    )


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
