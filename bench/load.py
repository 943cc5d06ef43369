"""Load generation with wrk: interleaved rounds over every target, with where the CPU went in each run."""

import os
import statistics
import subprocess
import time
from pathlib import Path

from .config import ACCEPT_ENCODING, CONNECTIONS, PLAIN_NAME, ROUNDS, SECONDS, STATIC_NAME, THREADS, log
from .machine import SERVICES, machine_cpu, processes_cpu
from .server import Server

# A run where the busiest worker did more than this share of the work had one worker idle.
ONE_WORKER_SHARE = 0.9

# Every request says what a browser says about compression; done() prints one line the bench parses.
WRK_LUA = (
    f'wrk.headers["Accept-Encoding"] = "{ACCEPT_ENCODING}"\n'
    + r"""
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH_RESULT requests=%d duration_us=%d bytes=%d connect=%d read=%d write=%d status=%d timeout=%d " ..
    "p50_us=%d p90_us=%d p99_us=%d mean_us=%.1f max_us=%d\n",
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean, latency.max))
end
"""
)


def cpu_snapshot(servers: list[Server]) -> dict:
    return {
        "t": time.monotonic(),
        "machine": machine_cpu(),
        "procs": processes_cpu(),
        "gunicorn": sum(server.cpu_seconds() for server in servers),
        "bench": sum(os.times()[:4]),
        "pids": {pid for server in servers for pid in [server.proc.pid, *server.worker_pids()]},
    }


def cpu_shares(before: dict, after: dict) -> dict:
    """Where the machine's CPU went during one wrk run, in % of all cores (gunicorn: both servers)."""
    capacity = (after["t"] - before["t"]) * len(os.sched_getaffinity(0))
    gunicorn = after["gunicorn"] - before["gunicorn"]
    bench = after["bench"] - before["bench"]  # this script and the wrk run it waited for
    ours = {os.getpid()} | before["pids"] | after["pids"]
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


def busiest_worker_share(server: Server, before: dict, after: dict) -> float | None:
    """The busiest worker's share of the workers' CPU time during one run.

    wrk keeps its 4 connections open; a gthread worker that accepted them all serves them all while
    the other idles (about one run in five here), which halves throughput for reasons that say
    nothing about the page. Such runs are reported, and left out of the medians when others exist.
    """
    spent = [
        after["procs"].get(pid, ("", 0.0))[1] - before["procs"].get(pid, ("", 0.0))[1] for pid in server.worker_pids()
    ]
    return round(max(spent) / sum(spent), 2) if len(spent) > 1 and sum(spent) > 0 else None


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
        "bytes_per_request": round(int(fields["bytes"]) / max(requests, 1)),  # headers and body, as sent
    }


def load_test(targets: dict[str, tuple[Server, str]], workdir: Path) -> dict:
    """targets: name -> (server, path). Medians across ROUNDS interleaved rounds."""
    script = workdir / "report.lua"
    script.write_text(WRK_LUA)
    servers = list({id(server): server for server, _ in targets.values()}.values())
    runs = {name: [] for name in targets}
    for round_no in range(1, ROUNDS + 1):
        for name, (server, path) in targets.items():  # interleaved, so drift in the machine hits every target alike
            boots = server.worker_boots()
            before = cpu_snapshot(servers)
            result = run_wrk(server.base + path, script, SECONDS)
            after = cpu_snapshot(servers)
            result.update(cpu_shares(before, after))
            result["busiest_worker_share"] = busiest_worker_share(server, before, after)
            result["one_worker"] = (result["busiest_worker_share"] or 0) > ONE_WORKER_SHARE
            result["worker_restarts"] = server.worker_boots() - boots
            runs[name].append(result)
            log(
                f"round {round_no}/{ROUNDS} {name:12} {result['rps']:8.1f} req/s  p50 {result['p50_ms']:.2f} ms"
                f"  p99 {result['p99_ms']:.2f} ms  errors {sum(result['errors'].values())}"
                f"  worker restarts {result['worker_restarts']}  {result['bytes_per_request']} B/request"
                f"  CPU % gunicorn {result['cpu_pct_gunicorn']} wrk {result['cpu_pct_wrk_and_bench']}"
                f" redis+pg {result['cpu_pct_redis_postgres']} irq {result['cpu_pct_kernel_irq']}"
                f" steal {result['cpu_pct_steal']} other {result['cpu_pct_other_processes']}"
                f" {result['top_other_processes']}  busiest worker {result['busiest_worker_share']}"
                + ("  (one worker had every connection: left out of the median)" if result["one_worker"] else "")
            )
    summary = {}
    for name, all_results in runs.items():
        results = [r for r in all_results if not r["one_worker"]] or all_results
        summary[name] = {
            "rps": statistics.median(r["rps"] for r in results),
            "p50_ms": statistics.median(r["p50_ms"] for r in results),
            "p99_ms": statistics.median(r["p99_ms"] for r in results),
            "errors": sum(sum(r["errors"].values()) for r in results),
            "worker_restarts": sum(r["worker_restarts"] for r in results),
            "cpu_pct_other_processes": statistics.median(r["cpu_pct_other_processes"] for r in results),
            "bytes_per_request": results[-1]["bytes_per_request"],
            "one_worker_rounds": len(all_results) - len(results),
            "rounds": all_results,
        }
    for reference, key in ((PLAIN_NAME, "vs_plain"), (STATIC_NAME, "vs_static")):
        rps = summary[reference]["rps"] if reference in summary else None
        for entry in summary.values():
            entry[key] = round(entry["rps"] / rps, 3) if rps else None
    return summary
