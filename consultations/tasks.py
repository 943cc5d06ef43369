"""Background emails about a consultation request. Neither email carries any health detail.

Each task is safe to run twice (it sends only what has not been sent) and never raises: a failure
is logged without personal data and recorded on the request, where staff can see it and retry.
"""

import logging
import smtplib

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format

from practice.models import ClinicDetails

from .models import ConsultationRequest

logger = logging.getLogger(__name__)


def _send(consultation, clinic, field: str, *, subject: str, template: str, to: str) -> bool:
    if getattr(consultation, field) is not None:
        return True  # already sent
    context = {"consultation": consultation, "clinic": clinic, "site_url": settings.CLINIC_SITE_URL}
    try:
        send_mail(subject, render_to_string(template, context), None, [to])
    except (smtplib.SMTPException, OSError) as error:
        # The exception text can contain addresses: log and store only its class.
        logger.warning("Email %s for consultation request %s failed: %s", field, consultation.pk, type(error).__name__)
        ConsultationRequest.objects.filter(pk=consultation.pk).update(
            email_error=f"{field.replace('_', ' ')} failed ({type(error).__name__}) at "
            f"{date_format(timezone.localtime(), 'F j, Y, g:i a')}"
        )
        return False
    sent_at = timezone.now()
    ConsultationRequest.objects.filter(pk=consultation.pk).update(**{field: sent_at}, email_error="")
    setattr(consultation, field, sent_at)
    return True


@task()
def send_request_emails(consultation_id: int) -> bool:
    """Tell staff a request arrived (its reference and a link to admin), and confirm receipt, with the
    reference, to a visitor who gave an email address (a call or a text needs none)."""
    consultation = ConsultationRequest.objects.filter(pk=consultation_id).first()
    if consultation is None:
        return True  # deleted meanwhile: nothing to send
    clinic = ClinicDetails.load()
    staff_ok = _send(
        consultation,
        clinic,
        "staff_notified_at",
        subject=f"New consultation request {consultation.reference}",
        template="consultations/email/staff_notification.txt",
        to=clinic.notification_email,
    )
    if not consultation.email:
        return staff_ok  # no address, no confirmation: nothing left unsent (ConsultationRequest.emails_pending)
    visitor_ok = _send(
        consultation,
        clinic,
        "confirmation_sent_at",
        subject=f"We received your request (reference {consultation.reference}) – {clinic.name}",
        template="consultations/email/confirmation.txt",
        to=consultation.email,
    )
    return staff_ok and visitor_ok
