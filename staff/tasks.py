"""Background email to a staff member whose account gained an authenticator app."""

import logging
import smtplib

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone

logger = logging.getLogger(__name__)


@task()
def send_enrolment_notice(user_id: int) -> bool:
    """Tell the account's owner that two-factor sign-in was set up, so a stranger's enrolment shows.

    Safe to run twice (a second notice does no harm); never raises: a failure is logged by id.
    """
    user = get_user_model().objects.filter(pk=user_id).exclude(email="").first()
    if user is None:
        return True  # deleted meanwhile, or no address: nothing to send
    context = {"user": user, "enrolled_at": timezone.localtime()}
    try:
        send_mail(
            "Two-factor sign-in was set up for your clinic admin account",
            render_to_string("staff/email/device_enrolled.txt", context),
            None,
            [user.email],
        )
    except (smtplib.SMTPException, OSError) as error:
        logger.warning("Enrolment notice for user id %s failed: %s", user_id, type(error).__name__)
        return False
    return True
