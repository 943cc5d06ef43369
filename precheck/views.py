"""The pre-check: GET shows the questions, POST answers them on the spot. Nothing is kept anywhere."""

from urllib.parse import urlsplit

from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from web.page_cache import cache_public_page

from .forms import PrecheckForm
from .rules import evaluate

QUESTIONS_TEMPLATE = "precheck/questions.html"
RESULT_TEMPLATE = "precheck/result.html"


def sent_from_another_site(request) -> bool:
    """A form another site made the browser post here. Browsers say so without a cookie: Sec-Fetch-Site,
    and the Origin of every POST (an old browser that sends neither is taken at its word). The host alone
    is compared, so a proxy that hides HTTPS from the site cannot make our own posts look foreign."""
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        return True
    origin = request.headers.get("Origin")  # "null" from a sandboxed or privacy-hidden page: not ours either
    return origin is not None and urlsplit(origin).netloc != request.get_host()


# CSRF protects a request that changes something on a person's behalf. This POST changes nothing:
# it saves no row, sends no email, touches no session, and its answer goes only to the browser that
# asked. A token would also need a cookie, and this page must set none. So it is exempt from Django's
# check, as the newsletter's footer form is. What another site could still do is post made-up answers,
# to show a crisis card or a result on our address to someone who answered nothing: such a post gets
# the questions, unanswered (sent_from_another_site).
@csrf_exempt
@cache_public_page  # the questions are the same for everyone; a POST is never stored (see its docstring)
@require_http_methods(["GET", "HEAD", "POST"])
def check(request):
    if request.method != "POST" or sent_from_another_site(request):
        response = render(request, QUESTIONS_TEMPLATE, {"form": PrecheckForm()})
    else:
        form = PrecheckForm(request.POST)
        if "change" in request.POST or not form.is_valid():
            # Answers missing, or "Change my answers" on the result: the questions again, as answered.
            response = render(request, QUESTIONS_TEMPLATE, {"form": form, "crisis": form.in_crisis()})
        else:
            answers = form.answers()
            context = {"outcome": evaluate(answers), "answers": answers.in_words(), "kept": answers.items()}
            response = render(request, RESULT_TEMPLATE, context)
        # Answers are in this page: no browser or proxy may keep a copy.
        add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex"
    return response
