"""The benchmark's steps in order, the results file and the exit code (see bench/README.md)."""

import json
import shutil
import signal
import sys
import tempfile
import time
import traceback
from pathlib import Path

from .budgets import check_budgets, notes
from .config import (
    BUDGET,
    CONNECTIONS,
    GUNICORN_ARGS,
    PAGES,
    PLAIN_GUNICORN_ARGS,
    PLAIN_NAME,
    PLAIN_PATH,
    RESULTS_DIR,
    ROUNDS,
    SECONDS,
    STATIC_NAME,
    STATIC_PATH,
    THREADS,
    WORKERS,
    log,
)
from .inprocess import setup_django
from .lighthouse import lighthouse_all
from .load import load_test
from .machine import free_port, machine, rss_kib
from .page_load import page_load
from .report import print_table
from .scale import measure_scale
from .server import fetch, plain_server, site_server
from .sizes import html_sizes


def measure(results: dict, setup: dict, workdir: Path) -> None:
    """Steps 2 to 7, against the two gunicorns; fills `results`."""
    server = site_server(free_port(), WORKERS, workdir / "gunicorn.log")
    plain = plain_server(
        free_port(), WORKERS, workdir / "plain-static.log", Path(setup["static_file"]), workdir / "plain.conf.py"
    )
    try:
        server.start()
        log(f"gunicorn up on {server.base} (master {server.proc.pid}, workers {server.worker_pids()})")
        plain.start(health_path=PLAIN_PATH)
        log(f"plain static server up on {plain.base} (master {plain.proc.pid}, workers {plain.worker_pids()})")
        targets = {name: (server, path) for name, path in PAGES.items()}
        targets[STATIC_NAME] = (server, STATIC_PATH)
        targets[PLAIN_NAME] = (plain, PLAIN_PATH)
        for target, path in targets.values():  # warm: fill the page cache and each worker's lazy imports
            for _ in range(WORKERS * 4):
                status, _body, _headers = fetch(target.base + path)
                if status != 200:
                    raise RuntimeError(f"{path} answered {status}")
        workers_before = server.worker_pids()

        sizes = html_sizes(targets)
        live_article = sizes["article"]["_body"]
        for entry in sizes.values():
            entry.pop("_body", None)
        results["html_bytes"] = sizes
        results["static_copy"]["matches_live_article"] = live_article == Path(setup["static_file"]).read_bytes()

        results["load"] = load_test(targets, workdir)

        log("full page load of the article in chromium")
        results["page_load"] = page_load(server, PAGES["article"])

        results["lighthouse"] = lighthouse_all(server.base)

        workers = server.worker_pids()
        results["memory"] = {
            "master_pid": server.proc.pid,
            "master_rss_kib": rss_kib(server.proc.pid),
            "workers": [{"pid": pid, "rss_kib": rss_kib(pid)} for pid in workers],
            "workers_replaced_during_run": sorted(set(workers_before) - set(workers)),
            "worker_boots_total": server.worker_boots(),
            "plain_static_rss_kib": [rss_kib(pid) for pid in [plain.proc.pid, *plain.worker_pids()]],
        }
    except Exception:
        for each in (server, plain):
            tail = each.log_tail()
            if tail:
                log(f"{each.name} log tail:\n{tail}")
        raise
    finally:
        plain.stop()
        server.stop()
        # gunicorn's own lines (worker boots, errors) without the per-request access log.
        (RESULTS_DIR / "gunicorn.log").write_text(server.log_tail(lines=1000) + "\n")


def main() -> int:
    started = time.monotonic()
    results = {
        "machine": {"start": machine()},
        "config": {
            "seconds": SECONDS,
            "rounds": ROUNDS,
            "workers": WORKERS,
            "connections": CONNECTIONS,
            "threads": THREADS,
            "gunicorn_args": GUNICORN_ARGS,
            "plain_static_gunicorn_args": ["--worker-class=sync", *PLAIN_GUNICORN_ARGS],
            "budget": BUDGET,
        },
    }
    for tool in ("wrk",):
        if not shutil.which(tool):
            raise RuntimeError(f"bench: {tool} not found (apt-get install -y {tool})")
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    setup = setup_django()
    results["sql_queries"] = setup["queries"]
    results["render"] = render = setup["render"]
    results["static_copy"] = {k: setup[k] for k in ("static_file", "static_url", "static_bytes")}
    log(f"SQL queries cold/warm: {setup['queries']}; static copy {setup['static_file']} ({setup['static_bytes']} B)")
    log(
        f"article render without the page cache: median {render['median_ms']:.2f} ms, p95 {render['p95_ms']:.2f} ms"
        f" ({render['renders']} renders); profile in {render['profile']}"
    )

    log("generated articles: search, sitemap and list in process")
    results["scale"] = measure_scale()

    with tempfile.TemporaryDirectory(prefix="clinic-bench-") as tmp:
        measure(results, setup, Path(tmp))

    results["machine"]["end"] = machine()
    results["runtime_s"] = round(time.monotonic() - started, 1)
    results["budget_misses"] = misses = check_budgets(results)
    results["notes"] = notes(results)
    (RESULTS_DIR / "latest.json").write_text(json.dumps(results, indent=2) + "\n")
    print_table(results)
    if misses:
        print("\nBUDGET MISSED:")
        for miss in misses:
            print(f"  - {miss}")
        for note in results["notes"]:
            print(f"  note: {note}")
        return 1
    print("\nall budgets met")
    return 0


def _terminate(signum, frame):
    raise KeyboardInterrupt  # unwinds through the finally that stops gunicorn


def run() -> None:
    """Entry point: exit 0 when every budget is met, 1 on a missed budget, 2 when the benchmark fails."""
    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started with SIGINT ignored
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        log("interrupted; gunicorn stopped")
        sys.exit(130)
    except Exception:
        traceback.print_exc()
        log("the benchmark itself failed (exit 2); no budget was checked")
        sys.exit(2)
