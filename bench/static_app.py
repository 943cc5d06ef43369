"""The plain static server: a minimal WSGI app (no Django) answering every GET with one file.

The reference for the site's cached pages: how fast gunicorn alone serves the article's bytes.
`bench` runs it under gunicorn with sync workers and no gunicorn.conf.py (see server.plain_server).
BENCH_STATIC_FILE names the file; FILE.br and FILE.gz, when present, are its precomputed brotli and
gzip bodies, sent as whitenoise would send them to a client that accepts them.
"""

import os

PATH = os.environ["BENCH_STATIC_FILE"]


def _read(path: str) -> bytes | None:
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        return None


RAW = _read(PATH)
BODIES = {encoding: _read(PATH + suffix) for encoding, suffix in (("br", ".br"), ("gzip", ".gz"))}
# As whitenoise: the smallest body the client accepts.
PREFERENCE = sorted((e for e, body in BODIES.items() if body is not None), key=lambda e: len(BODIES[e]))
BASE_HEADERS = [("Content-Type", "text/html; charset=utf-8"), ("Vary", "Accept-Encoding")]


def accepted(header: str) -> set[str]:
    """Codings the client accepts: "br, gzip;q=0.8" gives {"br", "gzip"}; q=0 refuses one."""
    out = set()
    for part in header.lower().split(","):
        coding, _, params = part.strip().partition(";")
        if params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000"):
            out.add(coding.strip())
    return out


def application(environ, start_response):
    if environ["REQUEST_METHOD"] not in ("GET", "HEAD"):
        start_response("405 Method Not Allowed", [("Allow", "GET, HEAD"), ("Content-Length", "0")])
        return [b""]
    codings = accepted(environ.get("HTTP_ACCEPT_ENCODING", ""))
    body, headers = RAW, list(BASE_HEADERS)
    for encoding in PREFERENCE:
        if encoding in codings:
            body = BODIES[encoding]
            headers.append(("Content-Encoding", encoding))
            break
    headers.append(("Content-Length", str(len(body))))
    start_response("200 OK", headers)
    return [b""] if environ["REQUEST_METHOD"] == "HEAD" else [body]
