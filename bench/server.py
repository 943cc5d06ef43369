"""The gunicorn processes under test: the site (clinic_site.wsgi with gunicorn.conf.py) and the plain
static server (bench/static_app.py, no Django, no gunicorn.conf.py) that serves as the reference."""

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from .config import ACCESS_LOGGERS, BASE_DIR, BENCH_DIR, GUNICORN_ARGS, PLAIN_GUNICORN_ARGS
from .machine import child_pids, process_cpu_seconds


def gunicorn_command() -> list[str]:
    gunicorn = Path(sys.executable).with_name("gunicorn")  # the venv's: `uv run gunicorn` without uv in between
    return [str(gunicorn)] if gunicorn.exists() else [sys.executable, "-m", "gunicorn"]


def fetch(url: str, headers: dict | None = None) -> tuple[int, bytes, dict]:
    """Status, body as sent (urllib does not decode Content-Encoding) and headers."""
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.read(), dict(response.headers)


class Server:
    def __init__(self, name: str, port: int, workers: int, log_path: Path, command: list[str], env: dict):
        self.name, self.port, self.workers, self.log_path = name, port, workers, log_path
        self.command, self.env = command, env
        self.base = f"http://127.0.0.1:{port}"
        self.proc = None
        self.log_file = None

    def start(self, health_path: str = "/healthz/") -> None:
        self.log_file = open(self.log_path, "wb")
        # Own session: Ctrl-C does not reach it, and we stop it (and only it) ourselves.
        self.proc = subprocess.Popen(
            self.command,
            cwd=BASE_DIR,
            env=self.env,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.base + health_path, timeout=2) as response:
                    if response.status == 200 and len(self.worker_pids()) >= self.workers:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not answer {health_path} within 30 s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_path.read_text(errors="replace").splitlines()
            return "\n".join([line for line in text if not any(name in line for name in ACCESS_LOGGERS)][-lines:])
        except OSError:
            return ""

    def worker_boots(self) -> int:
        """Workers started so far (gunicorn logs one line per boot): more than `workers` means recycling."""
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
        return child_pids(self.proc.pid)

    def stop(self) -> None:
        try:
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
            if self.log_file is not None:
                self.log_file.close()


def site_server(port: int, workers: int, log_path: Path) -> Server:
    """The site as in production: clinic_site.wsgi with gunicorn.conf.py (plus BENCH_GUNICORN_ARGS)."""
    env = {**os.environ, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": str(workers)}
    return Server("gunicorn", port, workers, log_path, gunicorn_command() + GUNICORN_ARGS + ["clinic_site.wsgi"], env)


def plain_server(port: int, workers: int, log_path: Path, static_file: Path, conf: Path) -> Server:
    """bench/static_app.py under gunicorn with `workers` sync workers; `conf` is an empty config file, so
    neither gunicorn.conf.py nor GUNICORN_CMD_ARGS applies and every setting is on the command line."""
    conf.write_text("# empty: the plain static server takes its settings from the command line\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GUNICORN_", "WEB_CONCURRENCY"))}
    env["BENCH_STATIC_FILE"] = str(static_file)
    command = gunicorn_command() + [
        f"--config={conf}",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        "--worker-class=sync",
        "--max-requests=0",
        "--error-logfile=-",
        "--no-control-socket",  # gunicorn 27's default socket path is shared with the site's gunicorn
        f"--pythonpath={BENCH_DIR}",  # static_app alone: not the bench package, not Django
        *PLAIN_GUNICORN_ARGS,
        "static_app:application",
    ]
    return Server("plain static gunicorn", port, workers, log_path, command, env)
