"""Settings (from the environment), pages, budgets and paths shared by every step of the benchmark."""

import os
import shutil
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
BASE_DIR = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"

SECONDS = float(os.environ.get("BENCH_SECONDS", "5"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
GUNICORN_ARGS = os.environ.get("BENCH_GUNICORN_ARGS", "").split()
# Extra options for the plain static server, after its own (so they win), e.g. "--worker-class gthread --threads 4".
PLAIN_GUNICORN_ARGS = os.environ.get("BENCH_PLAIN_GUNICORN_ARGS", "").split()
CONNECTIONS, THREADS = 4, 2
SKIP_LIGHTHOUSE = os.environ.get("BENCH_SKIP_LIGHTHOUSE", "") not in ("", "0")
LH_DIR = Path(os.environ.get("BENCH_LIGHTHOUSE_DIR", "/tmp/lighthouse"))
LH_BIN = LH_DIR / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
# As tests/conftest.py: any host but the server fails at once, and is still seen as a request.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]
LH_CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"

PAGES = {"home": "/", "list": "/articles/", "article": "/articles/what-to-expect/"}
STATIC_NAME = "static copy"  # the article's bytes as a static file, served by the site's gunicorn (whitenoise)
STATIC_PATH = "/static/bench/article.html"  # settings.STATIC_URL is "static/"
PLAIN_NAME = "plain static"  # the same bytes from a minimal WSGI app (bench/static_app.py): the reference
PLAIN_PATH = "/bench/article.html"  # the plain app answers every path with the article
LIGHTHOUSE_PAGES = ("home", "article")
# What every wrk run and the "on the wire" size send, as browsers do.
ACCEPT_ENCODING = "br, gzip"
# Lines of the site's own access log, left out of bench/results/gunicorn.log.
ACCESS_LOGGERS = ("clinic.access",)

RENDERS, RENDER_WARMUPS = 50, 5
SCALE_ARTICLES = int(os.environ.get("BENCH_SCALE_ARTICLES", "500"))  # generated for bench/scale.py

BUDGET = {
    "article_vs_plain_min": 0.80,  # cached article req/s against the plain static server's
    "article_p99_ms_max": 5.0,
    "p99_ms_max": 50.0,  # home, list and article
    # The article's HTML as served with Accept-Encoding: br. 5,000 until issue 13 put link previews (~140 B),
    # JSON-LD (~260 B), the feed link and the header's search box (~85 B) on every article: 5,103 -> 5,626 B.
    "article_wire_br_bytes_max": 6_000,
    "render_median_ms_max": 3.0,  # the article rendered in-process, without the page cache
    "search_p95_ms_max": 20.0,  # with SCALE_ARTICLES more articles, in process
    "sitemap_p95_ms_max": 50.0,  # the same
    "page_load_bytes_max": 60_000,  # 60 kB (1 kB = 1000 bytes, as DevTools counts)
    "page_load_requests_max": 6,
    "third_party_requests_max": 0,
    "lighthouse_min": {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100},
}


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)
