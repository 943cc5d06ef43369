"""The consultation form and its thank-you page."""

import logging

from django.conf import settings
from django.core import signing
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from web.ratelimit import over_limit

from .forms import ConsultationRequestForm
from .models import REFERENCE_PREFIX, ConsultationRequest, WhoFor, new_reference
from .services import AlreadySent, submit_consultation_request

logger = logging.getLogger(__name__)
TEMPLATE = "consultations/request_form.html"

# The thank-you page's address carries the request's reference, signed, and nothing else: no cookie
# is needed to show it, and nothing personal is in the address. A day is plenty to read it.
THANKS_SALT = "consultations.thanks"
THANKS_MAX_AGE_SECONDS = 24 * 3600


def redirect_to_thanks(reference: str):
    return redirect("consultations:thanks", token=signing.dumps(reference, salt=THANKS_SALT))


def read_thanks_token(token: str) -> str | None:
    """The reference a thank-you token was signed for; None when it is bad or older than a day."""
    try:
        reference = signing.loads(token, salt=THANKS_SALT, max_age=THANKS_MAX_AGE_SECONDS)
    except signing.BadSignature:  # SignatureExpired included
        return None
    return reference if isinstance(reference, str) and reference.startswith(REFERENCE_PREFIX) else None


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def request_consultation(request):
    if request.method != "POST":
        return render(request, TEMPLATE, {"form": ConsultationRequestForm()})

    form = ConsultationRequestForm(request.POST)
    if over_limit(request, group="consultation", rate=settings.CLINIC_FORM_RATE):
        # Keep what they typed, and offer the phone instead.
        return render(request, TEMPLATE, {"form": form, "rate_limited": True}, status=429)
    if not form.is_valid():
        return render(request, TEMPLATE, {"form": form}, status=200)
    if form.is_bot:
        logger.info("Consultation form: honeypot filled; nothing saved")
        return redirect_to_thanks(new_reference())  # as a person is answered: a reference, here of nothing
    try:
        consultation = submit_consultation_request(form=form)  # sent twice: the first request, thanked again
    except AlreadySent:
        form.ask_to_send_again()  # sent before with other answers: keep these, nothing lost
        return render(request, TEMPLATE, {"form": form}, status=200)
    return redirect_to_thanks(consultation.reference)


@never_cache
@require_http_methods(["GET", "HEAD"])
def thanks(request, token: str = ""):
    """The thank-you page; with a valid token, also the request's reference. A bad or old token gets
    the page without one, never an error: the request was saved whatever the address says."""
    reference = read_thanks_token(token) if token else None
    for_someone_else = (
        reference is not None
        and ConsultationRequest.objects.filter(reference=reference, who_for=WhoFor.SOMEONE_ELSE).exists()
    )
    context = {
        "reference": reference,
        "for_someone_else": for_someone_else,
        # The footer's signup records the page it was sent from: not this one, whose address holds the reference.
        "hide_footer_signup": reference is not None,
    }
    response = render(request, "consultations/thanks.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response
