"""Site-wide middleware: request ids and access logs, extra security headers, and a designed 503."""

import logging
import re
import time
import uuid

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

access_log = logging.getLogger("clinic.access")
logger = logging.getLogger(__name__)

REQUEST_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=(), browsing-topics=()"
)


class RequestLogMiddleware:
    """One line per request: id, method, path (never the query string), status, milliseconds.

    The id comes from a trusted proxy's X-Request-ID when it looks like one, and is returned in the
    response so a visitor's report can be matched to the log line.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        supplied = request.headers.get("X-Request-ID", "")
        request.id = supplied if REQUEST_ID.match(supplied) else uuid.uuid4().hex
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed_ms = (time.perf_counter() - started) * 1000
        response["X-Request-ID"] = request.id
        access_log.info(
            "request_id=%s method=%s path=%s status=%s duration_ms=%.1f",
            request.id, request.method, request.path, response.status_code, elapsed_ms,
        )  # fmt: skip
        return response


class SecurityHeadersMiddleware:
    """Headers Django has no setting for."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


class DatabaseUnavailableMiddleware:
    """With the database unreachable, visitors get a calm 503 page instead of a traceback."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):  # can't reach or talk to it
            return None
        logger.error("Database unavailable: %s", type(exception).__name__)
        # Rendered without a request: nothing on the page may need the database.
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "60"
        response["Cache-Control"] = "no-store"
        return response
