"""Benchmark of the production configuration (gunicorn + PostgreSQL + Redis + whitenoise).

Run with `make bench` (which migrates, collects static files, loads content/ and exports the
production environment). Not a test: it measures, prints one table, writes bench/results/latest.json
and exits 1 when a budget is missed (2 on an error of the benchmark itself). See bench/README.md.

Environment: BENCH_SECONDS (per wrk run, default 5), BENCH_ROUNDS (default 3), BENCH_WORKERS
(gunicorn workers, default 2), BENCH_SKIP_LIGHTHOUSE=1, BENCH_LIGHTHOUSE_DIR (default /tmp/lighthouse),
BENCH_GUNICORN_ARGS (extra gunicorn options for experiments, e.g. "--max-requests 0"; default none, so
the production gunicorn.conf.py is measured as it is).
"""

import gzip
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS_DIR = Path(__file__).resolve().parent / "results"
sys.path.insert(0, str(BASE_DIR))

SECONDS = float(os.environ.get("BENCH_SECONDS", "5"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
GUNICORN_ARGS = os.environ.get("BENCH_GUNICORN_ARGS", "").split()
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
STATIC_NAME = "static copy"
STATIC_PATH = "/static/bench/article.html"  # settings.STATIC_URL is "static/"
LIGHTHOUSE_PAGES = ("home", "article")

BUDGET = {
    "article_vs_static_min": 0.60,
    "p99_ms_max": 50.0,
    "page_load_bytes_max": 60_000,  # 60 kB (1 kB = 1000 bytes, as DevTools counts)
    "page_load_requests_max": 6,
    "third_party_requests_max": 0,
    "lighthouse_min": {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100},
}

WRK_LUA = r"""
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH_RESULT requests=%d duration_us=%d bytes=%d connect=%d read=%d write=%d status=%d timeout=%d " ..
    "p50_us=%d p90_us=%d p99_us=%d mean_us=%.1f max_us=%d\n",
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean, latency.max))
end
"""


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def machine() -> dict:
    load = os.getloadavg()
    return {
        "loadavg_1_5_15": [round(x, 2) for x in load],
        "nproc": len(os.sched_getaffinity(0)),
        "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


SERVICES = ("redis-server", "postgres")  # part of the system under test, though shared with others


def machine_cpu() -> dict:
    """Seconds of CPU since boot, all cores: busy (without steal), interrupts, and steal by the hypervisor."""
    f = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]] + [0] * 8
    tick = os.sysconf("SC_CLK_TCK")
    # user nice system idle iowait irq softirq steal
    return {"busy": (f[0] + f[1] + f[2] + f[5] + f[6]) / tick, "irq": (f[5] + f[6]) / tick, "steal": f[7] / tick}


def processes_cpu() -> dict[int, tuple[str, float]]:
    """pid: (command name, user + system seconds) of every process now running."""
    tick, out = os.sysconf("SC_CLK_TCK"), {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        parts = text.rsplit(")", 1)[1].split()
        out[int(stat.parent.name)] = (
            text[text.index("(") + 1 : text.rindex(")")],
            (int(parts[11]) + int(parts[12])) / tick,
        )
    return out


def process_cpu_seconds(pid: int, with_reaped_children: bool = False) -> float:
    try:
        parts = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = int(parts[11]) + int(parts[12]) + ((int(parts[13]) + int(parts[14])) if with_reaped_children else 0)
    return ticks / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# 1. In-process setup: the static copy of the article and SQL query counts -------------------------


def setup_django() -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic_site.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from clinic.caching import invalidate_pages
    from clinic.models import CACHE_KEY as DETAILS_KEY

    if settings.DEBUG:
        raise RuntimeError("bench: DEBUG is on; run through `make bench` for the production settings")
    client = Client(HTTP_HOST="127.0.0.1")
    queries, article_html = {}, None
    for name, path in PAGES.items():
        invalidate_pages()
        cache.delete(DETAILS_KEY)
        counts = []
        for _ in ("cold", "warm"):
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path)
            if response.status_code != 200:
                raise RuntimeError(f"{path} answered {response.status_code} in-process")
            counts.append(len(captured.captured_queries))
            if name == "article" and article_html is None:
                article_html = response.content
        queries[name] = {"cold": counts[0], "warm": counts[1]}
    connection.close()

    static_file = Path(settings.STATIC_ROOT) / STATIC_PATH.removeprefix("/static/")
    static_file.parent.mkdir(parents=True, exist_ok=True)
    static_file.write_bytes(article_html)  # before gunicorn starts: whitenoise indexes files at startup
    return {
        "queries": queries,
        "static_file": str(static_file),
        "static_bytes": len(article_html),
        "static_url": "/" + settings.STATIC_URL.strip("/") + "/bench/article.html",
    }


# 2. gunicorn ------------------------------------------------------------------------------------


class Server:
    def __init__(self, port: int, workers: int, log_path: Path):
        self.port, self.workers, self.log_path = port, workers, log_path
        self.base = f"http://127.0.0.1:{port}"
        self.proc = None

    def start(self) -> None:
        env = {**os.environ, "GUNICORN_BIND": f"127.0.0.1:{self.port}", "WEB_CONCURRENCY": str(self.workers)}
        gunicorn = Path(sys.executable).with_name("gunicorn")  # the venv's: `uv run gunicorn` without uv in between
        command = [str(gunicorn)] if gunicorn.exists() else [sys.executable, "-m", "gunicorn"]
        self.log_file = open(self.log_path, "wb")
        # Own session: Ctrl-C does not reach it, and we stop it (and only it) ourselves.
        self.proc = subprocess.Popen(
            command + GUNICORN_ARGS + ["clinic_site.wsgi"],
            cwd=BASE_DIR,
            env=env,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.base + "/healthz/", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer /healthz/ within 30 s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_path.read_text(errors="replace").splitlines()
            return "\n".join([line for line in text if "clinic.access" not in line][-lines:])
        except OSError:
            return ""

    def worker_boots(self) -> int:
        """Workers started so far (gunicorn logs one line per boot): more than WORKERS means recycling."""
        try:
            return self.log_path.read_text(errors="replace").count("Booting worker with pid")
        except OSError:
            return 0

    def cpu_seconds(self) -> float:
        """gunicorn's CPU time: the master with the workers it has reaped, plus the live workers."""
        return process_cpu_seconds(self.proc.pid, with_reaped_children=True) + sum(
            process_cpu_seconds(pid) for pid in self.worker_pids()
        )

    def worker_pids(self) -> list[int]:
        pid = self.proc.pid
        children = Path(f"/proc/{pid}/task/{pid}/children")
        if children.exists():
            return [int(x) for x in children.read_text().split()]
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    pids.append(int(stat.parent.name))
            except (OSError, IndexError, ValueError):
                pass
        return pids

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            os.kill(self.proc.pid, signal.SIGTERM)  # gunicorn's graceful shutdown of master and workers
            self.proc.wait(timeout=25)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)  # the group of the master we started
            self.proc.wait(timeout=5)
        except ProcessLookupError:
            pass
        finally:
            self.log_file.close()


def rss_kib(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def fetch(url: str, headers: dict | None = None) -> tuple[int, bytes, dict]:
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.read(), dict(response.headers)


# 3. wrk -----------------------------------------------------------------------------------------


def cpu_snapshot(server: "Server") -> dict:
    return {
        "t": time.monotonic(),
        "machine": machine_cpu(),
        "procs": processes_cpu(),
        "gunicorn": server.cpu_seconds(),
        "bench": sum(os.times()[:4]),
        "workers": set(server.worker_pids()),
    }


def cpu_shares(before: dict, after: dict, server: "Server") -> dict:
    """Where the machine's CPU went during one wrk run, in % of all cores."""
    capacity = (after["t"] - before["t"]) * len(os.sched_getaffinity(0))
    gunicorn = after["gunicorn"] - before["gunicorn"]
    bench = after["bench"] - before["bench"]  # this script and the wrk run it waited for
    ours = {os.getpid(), server.proc.pid} | before["workers"] | after["workers"]
    services, others = 0.0, {}
    for pid, (comm, seconds) in after["procs"].items():
        if pid in ours:
            continue
        spent = seconds - before["procs"].get(pid, (comm, 0.0))[1]
        if comm in SERVICES:
            services += spent
        elif spent > 0:
            others[comm] = others.get(comm, 0.0) + spent
    machine = {k: after["machine"][k] - before["machine"][k] for k in ("busy", "irq", "steal")}
    # Everything else, including processes that started and ended within the run (other people's tests).
    other = max(0.0, machine["busy"] - machine["irq"] - gunicorn - bench - services)
    pct = lambda seconds: round(100 * seconds / capacity, 1)  # noqa: E731
    return {
        "cpu_pct_gunicorn": pct(gunicorn),
        "cpu_pct_wrk_and_bench": pct(bench),
        "cpu_pct_redis_postgres": pct(services),
        "cpu_pct_kernel_irq": pct(machine["irq"]),
        "cpu_pct_steal": pct(machine["steal"]),
        "cpu_pct_other_processes": pct(other),
        "top_other_processes": [[c, pct(t)] for c, t in sorted(others.items(), key=lambda x: -x[1])[:3]],
    }


def run_wrk(url: str, script: Path, seconds: float) -> dict:
    command = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds:g}s", "--timeout", "5s", "-s", str(script), url]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 30)
    line = next((x for x in done.stdout.splitlines() if x.startswith("BENCH_RESULT ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stdout}\n{done.stderr}")
    fields = dict(pair.split("=") for pair in line.split()[1:])
    requests, duration = int(fields["requests"]), int(fields["duration_us"]) / 1e6
    errors = {k: int(fields[k]) for k in ("connect", "read", "write", "status", "timeout")}
    return {
        "requests": requests,
        "rps": round(requests / duration, 1),
        "errors": errors,
        "p50_ms": int(fields["p50_us"]) / 1000,
        "p90_ms": int(fields["p90_us"]) / 1000,
        "p99_ms": int(fields["p99_us"]) / 1000,
        "mean_ms": round(float(fields["mean_us"]) / 1000, 3),
        "max_ms": int(fields["max_us"]) / 1000,
        "bytes_per_request": round(int(fields["bytes"]) / max(requests, 1)),
    }


def load_test(server: Server, targets: dict, workdir: Path) -> dict:
    script = workdir / "report.lua"
    script.write_text(WRK_LUA)
    runs = {name: [] for name in targets}
    for round_no in range(1, ROUNDS + 1):
        for name, path in targets.items():  # interleaved, so drift in the machine hits every target alike
            boots = server.worker_boots()
            before = cpu_snapshot(server)
            result = run_wrk(server.base + path, script, SECONDS)
            result.update(cpu_shares(before, cpu_snapshot(server), server))
            result["worker_restarts"] = server.worker_boots() - boots
            runs[name].append(result)
            log(
                f"round {round_no}/{ROUNDS} {name:12} {result['rps']:8.1f} req/s  p50 {result['p50_ms']:.2f} ms"
                f"  p99 {result['p99_ms']:.2f} ms  errors {sum(result['errors'].values())}"
                f"  worker restarts {result['worker_restarts']}"
                f"  CPU % gunicorn {result['cpu_pct_gunicorn']} wrk {result['cpu_pct_wrk_and_bench']}"
                f" redis+pg {result['cpu_pct_redis_postgres']} irq {result['cpu_pct_kernel_irq']}"
                f" steal {result['cpu_pct_steal']} other {result['cpu_pct_other_processes']}"
                f" {result['top_other_processes']}"
            )
    summary = {}
    for name, results in runs.items():
        summary[name] = {
            "rps": statistics.median(r["rps"] for r in results),
            "p50_ms": statistics.median(r["p50_ms"] for r in results),
            "p99_ms": statistics.median(r["p99_ms"] for r in results),
            "errors": sum(sum(r["errors"].values()) for r in results),
            "worker_restarts": sum(r["worker_restarts"] for r in results),
            "cpu_pct_other_processes": statistics.median(r["cpu_pct_other_processes"] for r in results),
            "bytes_per_request": results[-1]["bytes_per_request"],
            "rounds": results,
        }
    static_rps = summary[STATIC_NAME]["rps"]
    for entry in summary.values():
        entry["vs_static"] = round(entry["rps"] / static_rps, 3) if static_rps else None
    return summary


# 4. HTML bytes ------------------------------------------------------------------------------------


def html_sizes(server: Server) -> dict:
    try:
        import brotli
    except ImportError:
        brotli = None
    sizes = {}
    for name, path in {**PAGES, STATIC_NAME: STATIC_PATH}.items():
        status, body, headers = fetch(server.base + path)  # no Accept-Encoding: the raw bytes
        sizes[name] = {
            "raw": len(body),
            "gzip6": len(gzip.compress(body, compresslevel=6, mtime=0)),
            "brotli": len(brotli.compress(body)) if brotli else None,
            "served_encoding_when_accepted": fetch(server.base + path, {"Accept-Encoding": "br, gzip"})[2].get(
                "Content-Encoding", "identity"
            ),
            "_body": body,
        }
    return sizes


# 5. Full page load in chromium --------------------------------------------------------------------


def page_load(server: Server, path: str) -> dict:
    from playwright.sync_api import sync_playwright

    own = urlsplit(server.base).netloc
    resources: dict[str, dict] = {}

    def entry(params):
        return resources.setdefault(params["requestId"], {})

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context()
            page = context.new_page()
            playwright_urls = []
            page.on("request", lambda request: playwright_urls.append(request.url))
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
            cdp.on("Network.requestWillBeSent", lambda p: entry(p).update(url=p["request"]["url"], type=p.get("type")))
            cdp.on(
                "Network.responseReceived",
                lambda p: entry(p).update(
                    status=p["response"]["status"],
                    mime=p["response"].get("mimeType"),
                    encoding={k.lower(): v for k, v in p["response"].get("headers", {}).items()}.get(
                        "content-encoding"
                    ),
                ),
            )
            cdp.on("Network.loadingFinished", lambda p: entry(p).update(transferred=int(p["encodedDataLength"])))
            cdp.on("Network.loadingFailed", lambda p: entry(p).update(failed=p.get("errorText"), transferred=0))
            started = time.perf_counter()
            page.goto(server.base + path, wait_until="load", timeout=30_000)
            load_ms = (time.perf_counter() - started) * 1000
            try:
                page.wait_for_load_state("networkidle", timeout=5_000)
            except Exception:
                pass
            page.wait_for_timeout(300)  # let the last loadingFinished events arrive
        finally:
            browser.close()

    requests = [r for r in resources.values() if r.get("url", "").split(":", 1)[0] in ("http", "https", "ws", "wss")]
    third_party = sorted(
        {r["url"] for r in requests if urlsplit(r["url"]).netloc != own}
        | {
            u
            for u in playwright_urls
            if urlsplit(u).scheme in ("http", "https", "ws", "wss") and urlsplit(u).netloc != own
        }
    )
    return {
        "url": path,
        "load_ms": round(load_ms),
        "requests": len(requests),
        "transferred_bytes": sum(r.get("transferred", 0) for r in requests),
        "third_party": third_party,
        "resources": [
            {k: r.get(k) for k in ("url", "type", "status", "encoding", "transferred", "failed")} for r in requests
        ],
    }


# 7. Lighthouse --------------------------------------------------------------------------------------


def lighthouse_binary() -> tuple[Path | None, str | None]:
    if SKIP_LIGHTHOUSE:
        return None, "BENCH_SKIP_LIGHTHOUSE is set"
    if not LH_BIN.exists():
        if not shutil.which("npm"):
            return None, "npm not found"
        log(f"installing lighthouse@12 into {LH_DIR} (about 20 s, once)")
        done = subprocess.run(
            [
                "npm",
                "install",
                "--prefix",
                str(LH_DIR),
                "--no-package-lock",
                "--no-audit",
                "--no-fund",
                "lighthouse@12",
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode != 0 or not LH_BIN.exists():
            return None, f"npm install failed: {done.stderr[-500:]}"
    return LH_BIN, None


def short_details(audit: dict, limit: int = 8) -> list:
    items = (audit.get("details") or {}).get("items") or []
    out = []
    for item in items[:limit]:
        flat = {}
        for key, value in item.items():
            if isinstance(value, dict):  # nodes: keep what identifies them
                value = {k: value[k] for k in ("selector", "snippet", "nodeLabel", "explanation", "url") if k in value}
            elif isinstance(value, list):
                value = value[:3]
            flat[key] = value
        out.append(flat)
    return out


def run_lighthouse(binary: Path, url: str, out_path: Path) -> dict:
    command = [
        str(binary),
        url,
        "--quiet",
        f"--chrome-flags={LH_CHROME_FLAGS}",
        "--only-categories=performance,accessibility,best-practices,seo",
        "--output=json",
        f"--output-path={out_path}",
    ]
    done = subprocess.run(
        command, env={**os.environ, "CHROME_PATH": CHROMIUM}, capture_output=True, text=True, timeout=150
    )
    if done.returncode != 0 or not out_path.exists():
        raise RuntimeError(f"lighthouse failed ({done.returncode}): {done.stderr[-1000:]}")
    report = json.loads(out_path.read_text())
    if report.get("runtimeError"):
        raise RuntimeError(f"lighthouse runtime error: {report['runtimeError']}")
    scores, failing = {}, []
    for category_id, category in report["categories"].items():
        score = category.get("score")
        scores[category_id] = None if score is None else round(score * 100)
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            mode = audit.get("scoreDisplayMode")
            if mode in ("notApplicable", "informative", "manual") or audit.get("score") is None:
                continue
            if audit["score"] < 1 and (ref.get("weight", 0) > 0 or category_id != "performance"):
                failing.append(
                    {
                        "category": category_id,
                        "id": ref["id"],
                        "title": audit.get("title"),
                        "score": audit["score"],
                        "weight": ref.get("weight"),
                        "displayValue": audit.get("displayValue"),
                        "details": short_details(audit),
                    }
                )
    metrics = {
        m: report["audits"][m].get("displayValue")
        for m in (
            "first-contentful-paint",
            "largest-contentful-paint",
            "total-blocking-time",
            "cumulative-layout-shift",
            "speed-index",
        )
        if m in report["audits"]
    }
    return {
        "scores": scores,
        "failing_audits": failing,
        "metrics": metrics,
        "form_factor": report.get("configSettings", {}).get("formFactor"),
        "lighthouse_version": report.get("lighthouseVersion"),
        "report": str(out_path),
    }


# 8./9. Report and budgets -----------------------------------------------------------------------------


def check_budgets(results: dict) -> list[str]:
    misses = []
    load = results["load"]
    ratio = load["article"]["vs_static"]
    if ratio is None or ratio < BUDGET["article_vs_static_min"]:
        misses.append(
            f"article throughput {load['article']['rps']:.0f} req/s is {ratio:.0%} of the static copy's "
            f"{load[STATIC_NAME]['rps']:.0f} req/s (budget >= {BUDGET['article_vs_static_min']:.0%})"
        )
    for name in PAGES:
        p99 = load[name]["p99_ms"]
        if p99 >= BUDGET["p99_ms_max"]:
            misses.append(
                f"{name} p99 {p99:.1f} ms at {CONNECTIONS} connections (budget < {BUDGET['p99_ms_max']:g} ms)"
            )
        if load[name]["errors"]:
            misses.append(f"{name}: {load[name]['errors']} wrk errors (non-2xx/3xx, timeouts or socket errors)")
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
    if busy:
        out.append("other processes competed for the CPU in: " + "; ".join(busy))
    return out


def fmt(value, spec="") -> str:
    return "-" if value is None else format(value, spec)


def print_table(results: dict) -> None:
    load, sizes, queries, lh = results["load"], results["html_bytes"], results["sql_queries"], results["lighthouse"]
    header = [
        "page",
        "req/s",
        "p50 ms",
        "p99 ms",
        "vs static",
        "restarts",
        "other CPU",
        "SQL cold/warm",
        "HTML B",
        "gzip6 B",
        "br B",
        "LH perf/a11y/bp/seo",
    ]
    rows = [header]
    for name in [*PAGES, STATIC_NAME]:
        q = queries.get(name)
        scores = (lh.get(name) or {}).get("scores") if not lh.get("skipped") else None
        rows.append(
            [
                name,
                fmt(load[name]["rps"], ".0f"),
                fmt(load[name]["p50_ms"], ".2f"),
                fmt(load[name]["p99_ms"], ".2f"),
                fmt(load[name]["vs_static"], ".0%"),
                fmt(load[name]["worker_restarts"]),
                fmt(load[name]["cpu_pct_other_processes"], ".0f") + "%",
                f"{q['cold']}/{q['warm']}" if q else "-",
                fmt(sizes[name]["raw"]),
                fmt(sizes[name]["gzip6"]),
                fmt(sizes[name]["brotli"]),
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
        f"medians across rounds; gunicorn workers: {results['config']['workers']}"
        + (f", extra gunicorn args: {' '.join(GUNICORN_ARGS)}" if GUNICORN_ARGS else "")
        + "; restarts = workers booted during that page's wrk runs (max_requests recycling);"
        + " other CPU = share of the machine's CPU used by processes other than gunicorn, wrk, redis"
        + " and postgres (median)"
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
            "budget": BUDGET,
        },
    }
    for tool in ("wrk",):
        if not shutil.which(tool):
            raise RuntimeError(f"bench: {tool} not found (apt-get install -y {tool})")
    setup = setup_django()
    results["sql_queries"] = setup["queries"]
    results["static_copy"] = {k: setup[k] for k in ("static_file", "static_url", "static_bytes")}
    log(f"SQL queries cold/warm: {setup['queries']}; static copy {setup['static_file']} ({setup['static_bytes']} B)")

    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="clinic-bench-") as tmp:
        workdir = Path(tmp)
        server = Server(free_port(), WORKERS, workdir / "gunicorn.log")
        try:
            server.start()
            log(f"gunicorn up on {server.base} (master {server.proc.pid}, workers {server.worker_pids()})")
            targets = {**PAGES, STATIC_NAME: STATIC_PATH}
            for path in targets.values():  # warm: fill the page cache and each worker's lazy imports
                for _ in range(WORKERS * 4):
                    status, _body, _headers = fetch(server.base + path)
                    if status != 200:
                        raise RuntimeError(f"{path} answered {status}")
            workers_before = server.worker_pids()

            sizes = html_sizes(server)
            live_article = sizes["article"].pop("_body")
            for entry in sizes.values():
                entry.pop("_body", None)
            results["html_bytes"] = sizes
            results["static_copy"]["matches_live_article"] = live_article == Path(setup["static_file"]).read_bytes()

            results["load"] = load_test(server, targets, workdir)

            log("full page load of the article in chromium")
            results["page_load"] = page_load(server, PAGES["article"])

            binary, why_not = lighthouse_binary()
            lighthouse = {}
            if binary is None:
                lighthouse["skipped"] = why_not
                log(f"lighthouse skipped: {why_not}")
            for name in LIGHTHOUSE_PAGES if binary else ():
                log(f"lighthouse on {name}")
                out = RESULTS_DIR / f"lighthouse-{name}.json"
                for attempt in (1, 2):  # Lighthouse now and then fails to record a trace (NO_NAVSTART): retry once
                    try:
                        lighthouse[name] = run_lighthouse(binary, server.base + PAGES[name], out)
                        lighthouse[name]["attempts"] = attempt
                        break
                    except (RuntimeError, subprocess.TimeoutExpired, json.JSONDecodeError) as error:
                        lighthouse[name] = {"error": str(error)[-1500:], "attempts": attempt}
                        log(f"lighthouse on {name} failed (attempt {attempt}): {str(error)[-300:]}")
            results["lighthouse"] = lighthouse

            workers = server.worker_pids()
            results["memory"] = {
                "master_pid": server.proc.pid,
                "master_rss_kib": rss_kib(server.proc.pid),
                "workers": [{"pid": pid, "rss_kib": rss_kib(pid)} for pid in workers],
                "workers_replaced_during_run": sorted(set(workers_before) - set(workers)),
                "worker_boots_total": server.worker_boots(),
            }
        except Exception:
            tail = server.log_tail()
            if tail:
                log("gunicorn log tail:\n" + tail)
            raise
        finally:
            server.stop()
            # gunicorn's own lines (worker boots, errors) without the per-request access log.
            (RESULTS_DIR / "gunicorn.log").write_text(server.log_tail(lines=1000) + "\n")

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


if __name__ == "__main__":
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
