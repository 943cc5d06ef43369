"""The table and the lines under it."""

from .config import (
    ACCEPT_ENCODING,
    CONNECTIONS,
    GUNICORN_ARGS,
    LIGHTHOUSE_PAGES,
    PAGES,
    PLAIN_GUNICORN_ARGS,
    PLAIN_NAME,
    RESULTS_DIR,
    ROUNDS,
    SECONDS,
    STATIC_NAME,
    THREADS,
)
from .scale import SCALE_PAGES


def fmt(value, spec="") -> str:
    return "-" if value is None else format(value, spec)


def one_worker_rounds(results: dict) -> str:
    counts = {name: entry.get("one_worker_rounds", 0) for name, entry in results["load"].items()}
    return ", ".join(f"{name} {count}" for name, count in counts.items() if count) or "none"


def print_table(results: dict) -> None:
    load, sizes, queries, lh = results["load"], results["html_bytes"], results["sql_queries"], results["lighthouse"]
    header = [
        "page",
        "req/s",
        "p50 ms",
        "p99 ms",
        "vs plain",
        "vs static",
        "restarts",
        "other CPU",
        "SQL cold/warm",
        "HTML B",
        "gzip6 B",
        "br B",
        "wire B (enc)",
        "LH perf/a11y/bp/seo",
    ]
    rows = [header]
    for name in [*PAGES, STATIC_NAME, PLAIN_NAME]:
        q = queries.get(name)
        scores = (lh.get(name) or {}).get("scores") if not lh.get("skipped") else None
        rows.append(
            [
                name,
                fmt(load[name]["rps"], ".0f"),
                fmt(load[name]["p50_ms"], ".2f"),
                fmt(load[name]["p99_ms"], ".2f"),
                fmt(load[name]["vs_plain"], ".0%"),
                fmt(load[name]["vs_static"], ".0%"),
                fmt(load[name]["worker_restarts"]),
                fmt(load[name]["cpu_pct_other_processes"], ".0f") + "%",
                f"{q['cold']}/{q['warm']}" if q else "-",
                fmt(sizes[name]["raw"]),
                fmt(sizes[name]["gzip6"]),
                fmt(sizes[name]["brotli"]),
                f"{sizes[name]['wire_br_bytes']} ({sizes[name]['wire_br_encoding']})",
                "/".join(fmt(scores.get(c)) for c in ("performance", "accessibility", "best-practices", "seo"))
                if scores
                else "-",
            ]
        )
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(header))]
    line = "  ".join("-" * w for w in widths)
    print()
    print(
        f"wrk: {CONNECTIONS} connections, {THREADS} threads, {ROUNDS} rounds x {SECONDS:g} s per page, "
        f"medians across rounds (leaving out rounds in which one worker held all {CONNECTIONS} keep-alive"
        f" connections and the other idled: {one_worker_rounds(results)});"
        f" gunicorn workers: {results['config']['workers']}"
        + (f", extra gunicorn args: {' '.join(GUNICORN_ARGS)}" if GUNICORN_ARGS else "")
        + "; restarts = workers booted during that page's wrk runs (max_requests recycling);"
        + " other CPU = share of the machine's CPU used by processes other than gunicorn, wrk, redis"
        + " and postgres (median)"
        + f"; every request sends Accept-Encoding: {ACCEPT_ENCODING}; {STATIC_NAME} = the article's bytes as a"
        + f" static file from the site's gunicorn (whitenoise); {PLAIN_NAME} = the same bytes from a minimal WSGI"
        + f" app under gunicorn, {results['config']['workers']} workers, "
        + (f"sync overridden by {' '.join(PLAIN_GUNICORN_ARGS)}" if PLAIN_GUNICORN_ARGS else "sync")
        + " (the reference for 'vs plain');"
        + " wire B = HTML body as served with Accept-Encoding: br"
    )
    print(line)
    for i, row in enumerate(rows):
        print(
            "  ".join(
                str(c).ljust(w) if j == 0 else str(c).rjust(w) for j, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )
        if i == 0:
            print(line)
    print(line)
    render = results["render"]
    print(
        f"article render in-process without the page cache ({render['renders']} renders after "
        f"{render['warmups']} warm-ups, django.test.Client): median {render['median_ms']:.2f} ms, "
        f"p95 {render['p95_ms']:.2f} ms, other CPU {render['cpu_pct_other_processes']:.0f}%; "
        f"cProfile top 15: {render['profile']}"
    )
    scale, search = results["scale"], results["scale"]["search"]
    pages = "; ".join(f"{name} {scale[name]['path']} p95 {scale[name]['p95_ms']:.1f} ms" for name in SCALE_PAGES)
    print(
        f"with {scale['articles']} published articles, in process, without the page cache: search p95 "
        f"{search['p95_ms']:.1f} ms (median {search['median_ms']:.1f}, max {search['max_ms']:.1f}, "
        f"{search['runs']} runs over {len(search['queries'])} queries); {pages}"
    )
    for text, each in search["queries"].items():
        print(
            f"    search {text!r:26} {each['results']:>4} results, "
            f"median {each['median_ms']:5.1f} ms, p95 {each['p95_ms']:5.1f} ms"
        )
    pl = results["page_load"]
    print(
        f"article full load (chromium, empty cache): {pl['requests']} requests, {pl['transferred_bytes']} bytes "
        f"transferred, {len(pl['third_party'])} third-party, load event {pl['load_ms']} ms"
    )
    for r in pl["resources"]:
        print(f"    {fmt(r['status']):>4} {fmt(r['transferred']):>7} B  {fmt(r['encoding']):9} {r['url']}")
    mem = results["memory"]
    print(
        f"gunicorn RSS after the run: master {fmt(mem['master_rss_kib'])} KiB; workers "
        + ", ".join(f"{w['pid']}: {fmt(w['rss_kib'])} KiB" for w in mem["workers"])
        + f" ({mem['worker_boots_total']} worker boots in all)"
    )
    m0, m1 = results["machine"]["start"], results["machine"]["end"]
    print(
        f"machine: nproc {m0['nproc']}/{m1['nproc']}, load avg start {m0['loadavg_1_5_15']} end {m1['loadavg_1_5_15']}"
    )
    other = max(r["cpu_pct_other_processes"] for entry in load.values() for r in entry["rounds"])
    if other >= 10:
        print(
            f"WARNING: other processes used up to {other:.0f}% of the machine's CPU during the wrk runs; "
            "throughput and latency are not reliable (rerun on a quiet machine)"
        )
    if lh.get("skipped"):
        print(f"lighthouse: skipped ({lh['skipped']})")
    else:
        for name in LIGHTHOUSE_PAGES:
            page = lh.get(name) or {}
            if "metrics" in page:
                print(
                    f"lighthouse {name} ({page['form_factor']}): "
                    + ", ".join(f"{k} {v}" for k, v in page["metrics"].items())
                )
            for audit in page.get("failing_audits", []):
                print(
                    f"    {audit['category']}: {audit['id']} score {audit['score']} - {audit['title']}"
                    + (f" ({audit['displayValue']})" if audit.get("displayValue") else "")
                )
    print(f"runtime: {results['runtime_s']:.0f} s; results: {RESULTS_DIR / 'latest.json'}")
