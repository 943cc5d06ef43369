"""The machine under the benchmark: load, CPU seconds from /proc, memory of a process, free ports."""

import os
import socket
import time
from pathlib import Path

SERVICES = ("redis-server", "postgres")  # part of the system under test, though shared with others


def machine() -> dict:
    load = os.getloadavg()
    return {
        "loadavg_1_5_15": [round(x, 2) for x in load],
        "nproc": len(os.sched_getaffinity(0)),
        "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


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


def child_pids(pid: int) -> list[int]:
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


def rss_kib(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
