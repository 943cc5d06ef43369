"""Site-wide middleware: request ids and access logs, refusing unreadable bodies, extra security
headers, and a designed 503."""

import codecs
import logging
import re
import time
import uuid

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.urls import Resolver404, resolve
from django.utils.http import parse_header_parameters

from .error_pages import error_response

access_log = logging.getLogger("clinic.access")
logger = logging.getLogger(__name__)

REQUEST_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")
# URL parts that are secrets (newsletter links): logged as <token>, never as themselves.
SECRET_URL_KWARGS = {"token"}
# Set by `guard_charset` on a request whose charset it removed.
REFUSED_CHARSET = "clinic.refused_charset"
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=(), browsing-topics=()"
)


def request_id(environ) -> str:
    """A trusted proxy's X-Request-ID when it looks like one, otherwise a new id."""
    supplied = environ.get("HTTP_X_REQUEST_ID", "")
    return supplied if REQUEST_ID.match(supplied) else uuid.uuid4().hex


def log_access(request_id: str, method: str, path: str, status: int, started: float) -> None:
    """The access log's one line; page cache hits (web/page_cache.py) write the same line."""
    elapsed_ms = (time.perf_counter() - started) * 1000
    access_log.info(
        "request_id=%s method=%s path=%s status=%s duration_ms=%.1f", request_id, method, path, status, elapsed_ms
    )


class RequestLogMiddleware:
    """One line per request: id, method, path (never the query string), status, milliseconds.

    The id is returned in the response so a visitor's report can be matched to the log line.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.id = request_id(request.META)
        started = time.perf_counter()
        response = self.get_response(request)
        response["X-Request-ID"] = request.id
        path = loggable_path(request, response.status_code)
        log_access(request.id, request.method, path, response.status_code, started)
        return response


def loggable_path(request, status: int | None = None) -> str:
    """The path, with the secret parts of its route (newsletter tokens) replaced by their names.

    A request answered before URL resolution is resolved here, unless it succeeded (2xx or 304):
    then it was a static file or a cached public page, whose paths hold no secrets, and that hot
    path skips the 10-20 microseconds of resolving. Refusals and redirects are still resolved.
    """
    match = getattr(request, "resolver_match", None)
    if match is None:
        if status is not None and (status < 300 or status == 304):
            return request.path
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return request.path
    path = request.path
    for name in SECRET_URL_KWARGS & match.kwargs.keys():
        path = path.replace(str(match.kwargs[name]), f"<{name}>")
    return path


class RedactSecretPaths(logging.Filter):
    """For Django's own request log ("Not Found: /newsletter/confirm/..."): the same redaction."""

    def filter(self, record):
        request = getattr(record, "request", None)
        if request is not None and isinstance(record.args, tuple):
            record.args = tuple(loggable_path(request) if arg == request.path else arg for arg in record.args)
        return True


def is_utf8(charset: str) -> bool:
    try:
        return codecs.lookup(charset).name in {"utf-8", "ascii"}
    except LookupError:
        return False


def guard_charset(application):
    """WSGI wrapper: a request naming any charset but UTF-8 reaches Django without it, marked.

    Django decodes the query string with the request's charset while building the request, so a
    charset such as rot13 fails before any middleware could answer; RequestGuardMiddleware then
    refuses the marked request with the 400 page.
    """

    def guarded(environ, start_response):
        content_type, params = parse_header_parameters(environ.get("CONTENT_TYPE", ""))
        charset = params.get("charset")
        if charset is not None and not is_utf8(charset):
            environ = {**environ, "CONTENT_TYPE": content_type, REFUSED_CHARSET: charset}
        return application(environ, start_response)

    return guarded


class RequestGuardMiddleware:
    """Refuse, before anything reads the body, what no page on this site accepts.

    - a charset other than UTF-8 (every page and form here is UTF-8): 400;
    - a body over DATA_UPLOAD_MAX_MEMORY_SIZE, files included (Django's own limit skips files): 413;
    - multipart bodies: no form here takes files, so none is ever parsed or spooled to disk: 415.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        charset = request.META.get(REFUSED_CHARSET) or request.content_params.get("charset")
        if charset is not None and not is_utf8(charset):
            return error_response(400, "400.html")
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return error_response(400, "400.html")
        if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            return error_response(413, "400.html")
        if request.content_type == "multipart/form-data":
            return error_response(415, "400.html")
        return self.get_response(request)


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
        response = error_response(503, "503.html")  # rendered without a request or the database
        response["Retry-After"] = "60"
        return response
