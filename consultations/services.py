"""Writes with more than one step: saving a request, then emailing about it."""

from django.db import transaction

from clinic.tasks import enqueue_safely

from .forms import ConsultationRequestForm
from .models import ConsultationRequest
from .tasks import send_request_emails

def enqueue_request_emails(consultation_id: int) -> None:
    enqueue_safely(send_request_emails, consultation_id)  # if this fails, admin shows them unsent


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
