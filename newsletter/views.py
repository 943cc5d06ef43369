"""Newsletter pages. None of them needs a cookie: links and forms carry signed tokens instead.

Each page's main content is a step of the signup journey, so none repeats the footer's signup form
(`hide_footer_signup`, read by templates/newsletter/_footer_signup.html): one form per page.
"""

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from web.page_cache import cache_public_page
from web.ratelimit import over_limit

from .forms import SignupForm
from .models import SubscriberStatus
from .services import subscribe
from .tokens import TokenExpired, read_confirm_token, read_unsubscribe_token


def render_step(request, template_name: str, context: dict | None = None, *, status: int = 200):
    """A page of the newsletter journey, with no second signup form in its footer."""
    return render(request, template_name, {**(context or {}), "hide_footer_signup": True}, status=status)


@cache_public_page
@require_http_methods(["GET", "HEAD"])
def newsletter(request):
    form = SignupForm(initial={"source_page": request.path})
    return render_step(request, "newsletter/newsletter.html", {"form": form})


# The footer form is on every page, and pages that are only read set no cookie, so this post
# carries no CSRF token. What a forged post could do is send a confirmation email; double opt-in
# means it never adds anyone to the list.
#
# The answer is rendered here rather than redirected to (post/redirect/get): it names the address
# the visitor typed, which must not travel in a URL (logs, history; a signed token is only
# encoded, not encrypted), a cookie (none on these pages) or server-side storage. Reloading it
# asks the browser to send the form again, which the visitor sees; subscribe() is safe to repeat,
# and confirmation emails to one address are rate limited.
@csrf_exempt
@never_cache
@require_http_methods(["POST"])
def signup(request):
    form = SignupForm.posted(request.POST)
    if over_limit(request, group="newsletter-signup", rate=settings.CLINIC_FORM_RATE):
        context = {"form": form, "rate_limited": True}
        return render_step(request, "newsletter/signup_problem.html", context, status=429)
    if not form.is_valid():
        return render_step(request, "newsletter/signup_problem.html", {"form": form})
    if not form.is_bot:
        subscribe(
            request,
            email=form.cleaned_data["email"],
            first_name=form.cleaned_data["first_name"],
            source_page=form.cleaned_data["source_page"],
        )
    # The same page whatever subscribe() found (new, pending, confirmed, unsubscribed) or a bot.
    context = {
        "email": form.cleaned_data["email"],
        "return_path": form.return_path,
        "days": settings.CLINIC_NEWSLETTER_CONFIRM_DAYS,
    }
    return render_step(request, "newsletter/check_email.html", context)


@cache_public_page
@require_http_methods(["GET", "HEAD"])
def check_email(request):
    """Where signups were redirected to before the answer named the address; kept for old links
    and bookmarks. It knows no address, so it speaks of "the address you gave"."""
    return render_step(request, "newsletter/check_email.html", {"days": settings.CLINIC_NEWSLETTER_CONFIRM_DAYS})


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
        return render_step(request, "newsletter/link_problem.html", {"problem": "expired"}, status=410)
    if subscriber is None:
        return render_step(request, "newsletter/link_problem.html", {"problem": "invalid"}, status=404)
    if subscriber.status == SubscriberStatus.CONFIRMED:
        return render_step(request, "newsletter/confirmed.html", {"already": True})
    if request.method == "POST":
        subscriber.confirm()
        return render_step(request, "newsletter/confirmed.html", {"already": False})
    return render_step(request, "newsletter/confirm.html")


@csrf_exempt  # RFC 8058 one-click: mail providers POST here with no session and no token
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    subscriber = read_unsubscribe_token(token)
    if subscriber is None:
        return render_step(request, "newsletter/link_problem.html", {"problem": "invalid"}, status=404)
    if request.method == "POST":
        subscriber.unsubscribe()
        return render_step(request, "newsletter/unsubscribed.html")
    already = subscriber.status == SubscriberStatus.UNSUBSCRIBED
    return render_step(request, "newsletter/unsubscribe.html", {"already": already})
