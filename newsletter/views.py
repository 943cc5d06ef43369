"""Newsletter pages. None of them needs a cookie: links and forms carry signed tokens instead."""

from django.conf import settings
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from web.page_cache import cache_public_page
from web.ratelimit import over_limit

from .forms import SignupForm
from .models import SubscriberStatus
from .services import subscribe
from .tokens import TokenExpired, read_confirm_token, read_unsubscribe_token


@cache_public_page
@require_http_methods(["GET", "HEAD"])
def newsletter(request):
    return render(request, "newsletter/newsletter.html", {"form": SignupForm(initial={"source_page": "/newsletter/"})})


# The footer form is on every page, and pages that are only read set no cookie, so this post
# carries no CSRF token. What a forged post could do is send a confirmation email; double opt-in
# means it never adds anyone to the list.
@csrf_exempt
@never_cache
@require_http_methods(["POST"])
def signup(request):
    form = SignupForm(request.POST)
    if over_limit(request, group="newsletter-signup", rate=settings.CLINIC_FORM_RATE):
        return render(request, "newsletter/newsletter.html", {"form": form, "rate_limited": True}, status=429)
    if not form.is_valid():
        return render(request, "newsletter/newsletter.html", {"form": form})
    if not form.is_bot:
        subscribe(
            request,
            email=form.cleaned_data["email"],
            first_name=form.cleaned_data["first_name"],
            source_page=form.cleaned_data["source_page"],
        )
    return redirect("newsletter:check_email")


@cache_public_page
@require_http_methods(["GET", "HEAD"])
def check_email(request):
    return render(request, "newsletter/check_email.html", {"days": settings.CLINIC_NEWSLETTER_CONFIRM_DAYS})


@csrf_exempt  # the signed token in the address is the proof
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    """GET asks (so mail scanners that follow links confirm nothing); POST confirms.

    Works for an unsubscribed reader too: the token is rotated on unsubscribing and on each new
    confirmation email, so a link that still matches is from the email sent after they left.
    """
    try:
        subscriber = read_confirm_token(token)
    except TokenExpired:
        return render(request, "newsletter/link_problem.html", {"problem": "expired"}, status=410)
    if subscriber is None:
        return render(request, "newsletter/link_problem.html", {"problem": "invalid"}, status=404)
    if subscriber.status == SubscriberStatus.CONFIRMED:
        return render(request, "newsletter/confirmed.html", {"already": True})
    if request.method == "POST":
        subscriber.confirm()
        return render(request, "newsletter/confirmed.html", {"already": False})
    return render(request, "newsletter/confirm.html")


@csrf_exempt  # RFC 8058 one-click: mail providers POST here with no session and no token
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    subscriber = read_unsubscribe_token(token)
    if subscriber is None:
        return render(request, "newsletter/link_problem.html", {"problem": "invalid"}, status=404)
    if request.method == "POST":
        subscriber.unsubscribe()
        return render(request, "newsletter/unsubscribed.html")
    already = subscriber.status == SubscriberStatus.UNSUBSCRIBED
    return render(request, "newsletter/unsubscribe.html", {"already": already})
