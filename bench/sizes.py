"""HTML bytes of each page: raw, gzip -6 and brotli as computed here, and as actually served."""

import gzip

from .config import ACCEPT_ENCODING
from .server import Server, fetch


def html_sizes(targets: dict[str, tuple[Server, str]]) -> dict:
    """For each target: the raw body (asked with Accept-Encoding: identity), what compression would
    give, and the body on the wire when asked with `Accept-Encoding: br` (the raw size when the response
    has no Content-Encoding). "_body" is the raw body, for the caller to compare and drop."""
    try:
        import brotli
    except ImportError:
        brotli = None
    sizes = {}
    for name, (server, path) in targets.items():
        url = server.base + path
        status, body, _headers = fetch(url)
        if status != 200:
            raise RuntimeError(f"{url} answered {status}")
        _, wire, wire_headers = fetch(url, {"Accept-Encoding": "br"})
        sizes[name] = {
            "raw": len(body),
            "gzip6": len(gzip.compress(body, compresslevel=6, mtime=0)),
            "brotli": len(brotli.compress(body)) if brotli else None,
            "wire_br_bytes": len(wire),
            "wire_br_encoding": wire_headers.get("Content-Encoding", "identity"),
            "served_encoding_when_accepted": fetch(url, {"Accept-Encoding": ACCEPT_ENCODING})[2].get(
                "Content-Encoding", "identity"
            ),
            "_body": body,
        }
    return sizes
