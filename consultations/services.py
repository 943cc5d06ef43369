"""Writes with more than one step: saving a request, then emailing about it."""

import logging

from django.db import transaction

from .forms import ConsultationRequestForm
from .models import ConsultationRequest
from .tasks import send_request_emails

logger = logging.getLogger(__name__)


def enqueue_request_emails(consultation_id: int) -> None:
    try:
        send_request_emails.enqueue(consultation_id)
    except Exception:  # the request is saved; staff see it as unsent and can retry
        logger.exception("Could not queue emails for consultation request %s", consultation_id)


def submit_consultation_request(*, form: ConsultationRequestForm) -> ConsultationRequest:
    consultation = form.save()  # the submission is safe in the database first
    transaction.on_commit(lambda: enqueue_request_emails(consultation.pk))
    return consultation


def retry_unsent_emails(queryset) -> int:
    """Queue the emails again for requests where one was not sent; returns how many."""
    ids = list(queryset.with_unsent_email().values_list("pk", flat=True))
    for consultation_id in ids:
        enqueue_request_emails(consultation_id)
    return len(ids)
