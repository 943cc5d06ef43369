"""record(): write one access log entry, or fail the access.

Health data must not be read without a trace, so nothing here catches errors: if the entry cannot
be written, the exception reaches the view and the staff member gets an error page instead of the
records (callers record before the response leaves the server). Changes are recorded inside the
change's own transaction, so a change is never saved without its entry, nor an entry for a change
that was rolled back. Entries are not copied to the application log.
"""

from collections.abc import Iterable, Sequence

from django.db import models

from web.client_ip import client_ip

from .models import AccessEntry


def record(
    request,
    action: str,
    model: type[models.Model] | str,
    ids: Sequence,
    labels: Iterable[str] = (),
    *,
    detail: str = "",
) -> AccessEntry:
    """Record that request's user did `action` to the records `ids` of `model`.

    `labels` are short, non-personal names for the records, one per id (a request's reference);
    never pass names, contact details or anything the records say.
    """
    user = request.user if request.user.is_authenticated else None
    return AccessEntry.objects.create(
        user=user,
        username=user.get_username() if user else "",
        action=action,
        detail=detail[:200],
        model=model if isinstance(model, str) else model._meta.label_lower,
        object_ids=[pk if isinstance(pk, int) else str(pk) for pk in ids],  # JSON: UUIDs as text
        labels=[str(label) for label in labels],
        ip=client_ip(request) or None,
    )
