"""Error pages that cannot fail: rendered without the request, and plain HTML if even that fails.

Django's default 400 and 500 views check the CSRF token, which reads the body again: for a body
that could not be read the first time (a hostile charset, say), the error page failed too and
the visitor got the server's bare 500. These pages never look at the request, and need no
database, so they render whatever went wrong.
"""

import logging

from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

FALLBACK = (
    "<!doctype html><html lang=en><meta charset=utf-8><title>Sorry</title>"
    "<h1>Sorry, something went wrong</h1><p>Please try again in a few minutes.</p>"
    '<p>If you are in crisis, call or text <a href="tel:988">988</a>, or call <a href="tel:911">911</a>.</p>'
)


def error_response(status: int, template: str) -> HttpResponse:
    try:
        content = render_to_string(template)
    except Exception:
        logger.exception("Error page %s could not be rendered", template)
        content = FALLBACK
    response = HttpResponse(content, status=status)
    response["Cache-Control"] = "no-store"
    return response


def bad_request(request, exception=None):
    return error_response(400, "400.html")


def server_error(request):
    return error_response(500, "500.html")
