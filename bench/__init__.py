"""Benchmark of the production configuration (gunicorn + PostgreSQL + Redis + whitenoise).

Run with `make bench` (bench/run.py), or `python -m bench` with the same environment. Not a test: it
measures, prints one table, writes bench/results/latest.json and exits 1 when a budget is missed
(2 on an error of the benchmark itself). See bench/README.md for the steps, budgets and settings.

Modules: config (settings, pages, budgets), machine (/proc: CPU, memory; free ports), server (the
site's gunicorn and the plain static server), static_app (that server's WSGI app), inprocess (query
counts, static copy, render time), load (wrk), sizes (HTML bytes), page_load (chromium), lighthouse,
budgets, report (the table) and cli (the steps in order, exit codes).
"""


def main() -> None:
    """Run the benchmark and exit with its code (imported here, so `import bench` stays light)."""
    from .cli import run

    run()
