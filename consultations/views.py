"""The consultation request form and its thank-you page."""

import logging

from django.conf import settings
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from web.ratelimit import over_limit

from .forms import ConsultationRequestForm
from .services import AlreadySent, submit_consultation_request

logger = logging.getLogger(__name__)
TEMPLATE = "consultations/request_form.html"


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
        return redirect("consultations:thanks")
    try:
        submit_consultation_request(form=form)  # the same form sent twice: one request, and thanks again
    except AlreadySent:
        form.ask_to_send_again()  # sent before with other answers: keep these, nothing lost
        return render(request, TEMPLATE, {"form": form}, status=200)
    return redirect("consultations:thanks")


@never_cache
@require_http_methods(["GET", "HEAD"])
def thanks(request):
    return render(request, "consultations/thanks.html")
