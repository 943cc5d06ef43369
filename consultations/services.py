"""Writes with more than one step: saving a request, then emailing about it."""

import logging

from django.db import IntegrityError, transaction

from background.queue import enqueue_safely

from .forms import ConsultationRequestForm
from .models import ConsultationRequest, new_reference
from .tasks import send_request_emails

logger = logging.getLogger(__name__)


REFERENCE_ATTEMPTS = 5  # references drawn per request if another request took each one meanwhile


class AlreadySent(Exception):
    """The form's token already made a request, and this post says something else: nothing was saved."""


def enqueue_request_emails(consultation_id: int) -> None:
    enqueue_safely(send_request_emails, consultation_id)  # if this fails, admin shows them unsent


def submit_consultation_request(*, form: ConsultationRequestForm) -> ConsultationRequest:
    """Save the request and queue its emails. The same form sent again returns the first request.

    Raises AlreadySent if the form's token already made a request with different answers.
    """
    form.instance.reference = unused_reference()
    attempts = 1
    while True:
        try:
            # Its own atomic block (a savepoint inside any outer transaction): if another post of this
            # form got there first, only this block is rolled back and the connection stays usable. On
            # PostgreSQL a failed statement would otherwise abort the whole outer transaction.
            with transaction.atomic():
                consultation = form.save()  # the submission is safe in the database first
            break
        except IntegrityError:
            first = ConsultationRequest.objects.filter(form_nonce_digest=form.nonce_digest).first()
            if first is not None:
                if not form.same_answers_as(first):
                    raise AlreadySent from None
                logger.info("Consultation form sent again; request %s already has it, nothing new saved", first.pk)
                return first
            if attempts == REFERENCE_ATTEMPTS or not reference_taken(form.instance.reference):
                raise  # not a second post of this form, nor a reference taken meanwhile: a real error
            form.instance.reference = unused_reference()  # another request took it meanwhile: draw again
            attempts += 1
    transaction.on_commit(lambda: enqueue_request_emails(consultation.pk))
    return consultation


def reference_taken(reference: str) -> bool:
    return ConsultationRequest.objects.filter(reference=reference).exists()


def unused_reference() -> str:
    """A reference no request has yet (one query, seldom two). Two posts drawing the same one at the
    same moment are still possible: submit_consultation_request then draws again."""
    reference = new_reference()
    while reference_taken(reference):
        reference = new_reference()
    return reference


def retry_unsent_emails(queryset) -> int:
    """Queue the emails again for requests where one was not sent; returns how many."""
    ids = list(queryset.with_unsent_email().values_list("pk", flat=True))
    for consultation_id in ids:
        enqueue_request_emails(consultation_id)
    return len(ids)
