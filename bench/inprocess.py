"""Step 1, in-process with the production settings: SQL query counts per page, the article's bytes as
static files for the two static servers, and the article's render time without the page cache."""

import contextlib
import cProfile
import gzip
import io
import logging
import os
import pstats
import re
import statistics
import sys
import sysconfig
import time
from pathlib import Path

from .config import BASE_DIR, PAGES, RENDER_WARMUPS, RENDERS, RESULTS_DIR, STATIC_PATH
from .load import cpu_shares, cpu_snapshot


def write_static_copy(static_root: Path, html: bytes) -> Path:
    """The article as STATIC_ROOT/bench/article.html, with .br and .gz bodies as collectstatic would write
    them: whitenoise (which indexes files when gunicorn starts) and static_app both send these bytes."""
    static_file = static_root / STATIC_PATH.removeprefix("/static/")
    static_file.parent.mkdir(parents=True, exist_ok=True)
    static_file.write_bytes(html)
    Path(f"{static_file}.gz").write_bytes(gzip.compress(html, compresslevel=9, mtime=0))
    try:
        import brotli
    except ImportError:
        Path(f"{static_file}.br").unlink(missing_ok=True)
    else:
        Path(f"{static_file}.br").write_bytes(brotli.compress(html))
    return static_file


def setup_django() -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic_site.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext

    from practice.models import forget_cached_details
    from web.page_cache import invalidate_pages
    from web.wsgi import in_front_of_django

    if settings.DEBUG:
        raise RuntimeError("bench: DEBUG is on; run through `make bench` for the production settings")
    application, factory = in_front_of_django(WSGIHandler()), RequestFactory(HTTP_HOST="127.0.0.1")
    queries, article_html = {}, None
    for name, path in PAGES.items():
        invalidate_pages()
        forget_cached_details()
        counts = []
        for _ in ("cold", "warm"):  # through the whole WSGI stack, as gunicorn calls it: warm is a page cache hit
            with CaptureQueriesContext(connection) as captured:
                status, body = wsgi_get(application, factory, path)
            if status != 200:
                raise RuntimeError(f"{path} answered {status} in-process")
            counts.append(len(captured.captured_queries))
            if name == "article" and article_html is None:
                article_html = body
        queries[name] = {"cold": counts[0], "warm": counts[1]}

    render = time_renders(PAGES["article"], article_html)
    connection.close()

    static_file = write_static_copy(Path(settings.STATIC_ROOT), article_html)  # before gunicorn starts
    return {
        "queries": queries,
        "render": render,
        "static_file": str(static_file),
        "static_bytes": len(article_html),
        "static_url": "/" + settings.STATIC_URL.strip("/") + "/bench/article.html",
    }


def wsgi_get(application, factory, path: str) -> tuple[int, bytes]:
    """GET `path` from a WSGI application; the body as rendered (no Accept-Encoding)."""
    answer = []
    result = application(factory.get(path).environ, lambda status, headers, exc_info=None: answer.append(status))
    body = b"".join(result)
    getattr(result, "close", lambda: None)()
    return int(answer[0][:3]), body


# Render time ------------------------------------------------------------------------------------------


def markers(html: bytes) -> list[bytes]:
    """Parts of the article page that only a render of that article contains: its <title> and <h1>."""
    found = [re.search(rb"<title>.*?</title>", html, re.S), re.search(rb"<h1[^>]*>.*?</h1>", html, re.S)]
    return [m.group(0) for m in found if m]


def count_template_renders(client, path: str) -> tuple[int, object]:
    """Django templates rendered for one request: at least one, or the page came from a cache."""
    from django.template.backends.django import Template

    original, calls = Template.render, []

    def counting(self, *args, **kwargs):
        calls.append(getattr(self.template, "name", None))
        return original(self, *args, **kwargs)

    Template.render = counting
    try:
        response = client.get(path)
    finally:
        Template.render = original
    return len(calls), response


@contextlib.contextmanager
def log_to_devnull():
    """Log handlers that write to stderr write to /dev/null instead: each render still formats and
    writes its access-log line, as in production, without a hundred lines in the bench's output."""
    handlers = [
        h
        for h in logging.getLogger().handlers
        if isinstance(h, logging.StreamHandler) and getattr(h, "stream", None) in (sys.stderr, sys.__stderr__)
    ]
    with open(os.devnull, "w") as devnull:
        previous = [h.setStream(devnull) for h in handlers]
        try:
            yield
        finally:
            for handler, stream in zip(handlers, previous, strict=True):
                handler.setStream(stream)


def profile_text(profiler: cProfile.Profile, header: str) -> str:
    """Top 15 by cumulative time, then by own time, with paths shortened to the project or the package."""
    sections = []
    for key in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(key).print_stats(15)
        sections.append(f"--- sorted by {key} ---\n" + out.getvalue().strip("\n"))
    text = f"{header}\n\n" + "\n\n".join(sections) + "\n"
    paths = sysconfig.get_paths()
    for prefix in sorted({paths["purelib"], paths["stdlib"], str(BASE_DIR)}, key=len, reverse=True):
        text = text.replace(prefix.rstrip("/") + "/", "")
    return text


def time_renders(path: str, article_html: bytes) -> dict:
    """RENDERS renders of `path` through django.test.Client: the whole middleware chain and the view,
    but not the page cache, which is a WSGI layer in front of Django (web/wsgi.py), so each one is a real
    render. Then the same number again under cProfile, into results/render-profile.txt."""
    from django.test import Client

    with log_to_devnull():
        client = Client(HTTP_HOST="127.0.0.1")

        def get():
            client.cookies.clear()  # every request anonymous and alike (no csrftoken carried over)
            return client.get(path)

        for _ in range(RENDER_WARMUPS):
            get()
        templates, response = count_template_renders(client, path)
        expected = markers(article_html)
        if response.status_code != 200 or not templates or not all(m in response.content for m in expected):
            raise RuntimeError(
                f"bench: {path} in-process gave {response.status_code}, {templates} template renders, "
                f"article markers present: {[m in response.content for m in expected]}; not a real render"
            )
        times, statuses = [], set()
        before = cpu_snapshot([])
        for _ in range(RENDERS):
            client.cookies.clear()
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
            statuses.add(response.status_code)
        cpu = cpu_shares(before, cpu_snapshot([]))
        if statuses != {200}:
            raise RuntimeError(f"bench: {path} in-process answered {sorted(statuses)} while timing renders")

        profiler = cProfile.Profile()
        for _ in range(RENDERS):
            client.cookies.clear()
            profiler.enable()
            client.get(path)
            profiler.disable()

    profile_path = RESULTS_DIR / "render-profile.txt"
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    header = (
        f"cProfile of {RENDERS} renders of {path} in-process (django.test.Client, production settings, "
        f"below the page cache), run after the {RENDERS} timed renders "
        f"(median {statistics.median(times):.2f} ms without the profiler)"
    )
    profile_path.write_text(profile_text(profiler, header))
    return {
        "path": path,
        "renders": RENDERS,
        "warmups": RENDER_WARMUPS,
        "median_ms": round(statistics.median(times), 3),
        "p95_ms": round(statistics.quantiles(times, n=20, method="inclusive")[18], 3),
        "min_ms": round(min(times), 3),
        "max_ms": round(max(times), 3),
        "templates_per_render": templates,
        "cpu_pct_other_processes": cpu["cpu_pct_other_processes"],  # while timing: as in the wrk runs
        "top_other_processes": cpu["top_other_processes"],
        "profile": str(profile_path),
    }
