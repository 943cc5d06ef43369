"""Writes with more than one step: saving a request, then emailing about it."""

import logging

from django.db import IntegrityError, transaction

from background.queue import enqueue_safely

from .forms import ConsultationRequestForm
from .models import ConsultationRequest
from .tasks import send_request_emails

logger = logging.getLogger(__name__)


class AlreadySent(Exception):
    """The form's token already made a request, and this post says something else: nothing was saved."""


def enqueue_request_emails(consultation_id: int) -> None:
    enqueue_safely(send_request_emails, consultation_id)  # if this fails, admin shows them unsent


def submit_consultation_request(*, form: ConsultationRequestForm) -> ConsultationRequest:
    """Save the request and queue its emails. The same form sent again returns the first request.

    Raises AlreadySent if the form's token already made a request with different answers.
    """
    try:
        # Its own atomic block (a savepoint inside any outer transaction): if another post of this
        # form got there first, only this block is rolled back and the connection stays usable. On
        # PostgreSQL a failed statement would otherwise abort the whole outer transaction.
        with transaction.atomic():
            consultation = form.save()  # the submission is safe in the database first
    except IntegrityError:
        first = ConsultationRequest.objects.filter(form_nonce_digest=form.nonce_digest).first()
        if first is None:
            raise  # not a second post of this form: a real error
        if not form.same_answers_as(first):
            raise AlreadySent from None
        logger.info("Consultation form sent again; request %s already has it, nothing new saved", first.pk)
        return first
    transaction.on_commit(lambda: enqueue_request_emails(consultation.pk))
    return consultation


def retry_unsent_emails(queryset) -> int:
    """Queue the emails again for requests where one was not sent; returns how many."""
    ids = list(queryset.with_unsent_email().values_list("pk", flat=True))
    for consultation_id in ids:
        enqueue_request_emails(consultation_id)
    return len(ids)
