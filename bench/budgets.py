"""The budgets a run is held to, and notes on what else happened while it was measured."""

from .config import BUDGET, CONNECTIONS, LIGHTHOUSE_PAGES, PAGES, PLAIN_NAME


def check_budgets(results: dict) -> list[str]:
    misses = []
    load = results["load"]
    article = load["article"]
    ratio = article["vs_plain"]
    if ratio is None or ratio < BUDGET["article_vs_plain_min"]:
        misses.append(
            f"article throughput {article['rps']:.0f} req/s is {ratio or 0:.0%} of the plain static server's "
            f"{load[PLAIN_NAME]['rps']:.0f} req/s (budget >= {BUDGET['article_vs_plain_min']:.0%})"
        )
    if article["p99_ms"] > BUDGET["article_p99_ms_max"]:
        misses.append(
            f"article p99 {article['p99_ms']:.2f} ms at {CONNECTIONS} connections "
            f"(budget <= {BUDGET['article_p99_ms_max']:g} ms)"
        )
    for name in [*PAGES, PLAIN_NAME]:
        p99 = load[name]["p99_ms"]
        if name in PAGES and p99 >= BUDGET["p99_ms_max"]:
            misses.append(
                f"{name} p99 {p99:.1f} ms at {CONNECTIONS} connections (budget < {BUDGET['p99_ms_max']:g} ms)"
            )
        if load[name]["errors"]:
            misses.append(f"{name}: {load[name]['errors']} wrk errors (non-2xx/3xx, timeouts or socket errors)")
    wire = results["html_bytes"]["article"]
    if wire["wire_br_bytes"] > BUDGET["article_wire_br_bytes_max"]:
        misses.append(
            f"article HTML on the wire with Accept-Encoding: br is {wire['wire_br_bytes']} bytes "
            f"(Content-Encoding: {wire['wire_br_encoding']}; budget <= {BUDGET['article_wire_br_bytes_max']} bytes)"
        )
    render = results["render"]
    if render["median_ms"] > BUDGET["render_median_ms_max"]:
        misses.append(
            f"article render in-process without the page cache: median {render['median_ms']:.2f} ms "
            f"(p95 {render['p95_ms']:.2f} ms; budget <= {BUDGET['render_median_ms_max']:g} ms); "
            f"profile in {render['profile']}"
        )
    scale = results["scale"]
    for name, budget in (("search", "search_p95_ms_max"), ("sitemap", "sitemap_p95_ms_max")):
        if scale[name]["p95_ms"] > BUDGET[budget]:
            misses.append(
                f"{name} with {scale['articles']} articles: p95 {scale[name]['p95_ms']:.1f} ms in process "
                f"(budget <= {BUDGET[budget]:g} ms)"
            )
    pl = results["page_load"]
    if pl["transferred_bytes"] > BUDGET["page_load_bytes_max"]:
        misses.append(
            f"article full load transferred {pl['transferred_bytes']} bytes "
            f"(budget <= {BUDGET['page_load_bytes_max']} bytes)"
        )
    if pl["requests"] > BUDGET["page_load_requests_max"]:
        misses.append(
            f"article full load made {pl['requests']} requests (budget <= {BUDGET['page_load_requests_max']})"
        )
    if len(pl["third_party"]) > BUDGET["third_party_requests_max"]:
        misses.append(f"article full load made third-party requests: {', '.join(pl['third_party'])}")
    lh = results["lighthouse"]
    if lh.get("skipped"):
        return misses
    for name in LIGHTHOUSE_PAGES:
        page = lh.get(name)
        if not page or "error" in page:
            misses.append(f"lighthouse {name}: {page.get('error') if page else 'not run'}")
            continue
        for category, minimum in BUDGET["lighthouse_min"].items():
            score = page["scores"].get(category)
            if score is None or score < minimum:
                audits = [f"{a['id']} ({a['score']})" for a in page["failing_audits"] if a["category"] == category]
                misses.append(
                    f"lighthouse {name} {category} {score} (budget >= {minimum})"
                    + (f"; failing audits: {', '.join(audits)}" if audits else "")
                )
    return misses


def notes(results: dict) -> list[str]:
    """Hints for whoever reads a miss: what else happened while it was measured."""
    out = []
    load = results["load"]
    recycled = {name: entry["worker_restarts"] for name, entry in load.items() if entry["worker_restarts"]}
    if recycled:
        slow = [
            f"{name} round {i} p99 {r['p99_ms']:.0f} ms with {r['worker_restarts']} restart(s)"
            for name, entry in load.items()
            for i, r in enumerate(entry["rounds"], 1)
            if r["worker_restarts"] and r["p99_ms"] >= BUDGET["p99_ms_max"]
        ]
        out.append(
            f"gunicorn workers were recycled {sum(recycled.values())} times during the wrk runs (max_requests in "
            f"gunicorn.conf.py); see bench/results/gunicorn.log. " + ("; ".join(slow[:6]) if slow else "")
        )
    busy = [
        f"{name} round {i}: {r['cpu_pct_other_processes']:.0f}% {r['top_other_processes'][:2]}"
        for name, entry in load.items()
        for i, r in enumerate(entry["rounds"], 1)
        if r["cpu_pct_other_processes"] >= 10
    ]
    render = results["render"]
    if render["cpu_pct_other_processes"] >= 10:
        busy.append(f"in-process renders: {render['cpu_pct_other_processes']:.0f}% {render['top_other_processes'][:2]}")
    if busy:
        out.append("other processes competed for the CPU in: " + "; ".join(busy))
    sizes = results["html_bytes"]
    if sizes["article"]["wire_br_encoding"] != sizes[PLAIN_NAME]["wire_br_encoding"]:
        out.append(
            f"the site sent the article as {sizes['article']['wire_br_encoding']} "
            f"({load['article']['bytes_per_request']} B per response in wrk), the plain static server as "
            f"{sizes[PLAIN_NAME]['wire_br_encoding']} ({load[PLAIN_NAME]['bytes_per_request']} B)"
        )
    return out
