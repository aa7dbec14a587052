"""The production server as README describes it, started and stopped by a benchmark.

`python -m studio_clone.serve` (uvicorn workers, each on a socket of its own), DEBUG off, a
fresh SECRET_KEY, on the database this process uses (PostgreSQL when DATABASE_URL says so) and,
when REDIS_URL is set, the Redis channel layer. It listens on a free loopback port only.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from types import TracebackType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BOOT = 60.0  # seconds the workers may take to start on a loaded machine
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
APPLICATION = "studio_clone.asgi:application"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url() -> str:
    """The URL of the database Django uses in this process, for the server to use too."""
    from django.db import connection

    db = connection.settings_dict
    if connection.vendor == "sqlite":
        name = str(db["NAME"])
        if not Path(name).is_absolute():
            raise RuntimeError(f"the server cannot share an in-memory SQLite database: {name}")
        return f"sqlite:///{name}"
    if connection.vendor != "postgresql":
        raise RuntimeError(f"no URL for a {connection.vendor} database")
    user = urllib.parse.quote(db["USER"] or "", safe="")
    password = urllib.parse.quote(db["PASSWORD"] or "", safe="")
    auth = f"{user}:{password}@" if password else f"{user}@" if user else ""
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{auth}{db['HOST'] or '127.0.0.1'}{port}/{db['NAME']}"


def vacuum() -> None:
    """On PostgreSQL, VACUUM ANALYZE the database before a benchmark measures it.

    The benchmarks delete everything they create, which leaves dead rows behind; with
    autovacuum off (as on the machine of bench/RESULTS.md) or behind, every later run would
    write its rows into tables and indexes bloated by the earlier runs' (after about twenty
    B6 runs PostgreSQL's CPU per create had doubled, 0.9 → 1.8 to 2.2 ms)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of one process so far (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime


def main_thread_cpu_seconds(pid: int) -> float:
    """CPU time of a process's main thread alone (for uvicorn, its event loop)."""
    return cpu_seconds_of(Path(f"/proc/{pid}/task/{pid}/stat"))


def cpu_seconds_of(stat: Path) -> float:
    try:
        fields = stat.read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime


def rss_bytes(pid: int) -> int:
    """Resident set size of one process (0 once it is gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return 0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def children_of(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(p) for p in (task / "children").read_text().split()]
        except FileNotFoundError:
            continue
    return found


class Server:
    """`with Server(workers=2) as server:` serves on `server.url` until the block ends."""

    def __init__(
        self, *, workers: int, env: dict[str, str] | None = None, app: str = APPLICATION
    ) -> None:
        self.workers = workers
        self.app = app
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.extra_env = env or {}
        self.popen: subprocess.Popen[bytes] | None = None
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (kept open until stop(), for output())

    def environment(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE="studio_clone.settings",
            DATABASE_URL=database_url(),
            DEBUG="false",
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS="127.0.0.1",
            LOG_LEVEL="WARNING",
            PYTHONUNBUFFERED="1",
        )
        env.update(self.extra_env)
        return env

    def command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "studio_clone.serve",
            f"--app={self.app}",
            "--host=127.0.0.1",
            f"--port={self.port}",
            f"--workers={self.workers}",
            "--no-access-log",
            # With Redis, websocket consumers can outlive their closed sockets by up to the
            # layer's read timeout (studio_clone/settings.py); shutdown is not measured.
            "--timeout-graceful-shutdown=3",
            "--log-level=warning",
            # Server options to compare (bench/RESULTS.md B3), e.g. "--loop=uvloop
            # --http=httptools --ws=websockets-sansio --no-ws-per-message-deflate".
            *os.environ.get("BENCH_UVICORN_OPTIONS", "").split(),
        ]

    def __enter__(self) -> Server:
        self.popen = subprocess.Popen(
            self.command(),
            cwd=ROOT,
            env=self.environment(),
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            self.wait_until_serving()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()

    def wait_until_serving(self) -> None:
        """Until every worker has answered once is not knowable from outside; wait for one,
        then for the number of worker processes uvicorn was asked for."""
        deadline = time.monotonic() + BOOT
        while time.monotonic() < deadline:
            if self.popen is not None and self.popen.poll() is not None:
                raise RuntimeError(f"the server exited:\n{self.output()}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as answer:
                    if answer.status == 200 and len(self.worker_pids()) >= self.workers:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        raise RuntimeError(f"the server did not answer within {BOOT:g} s:\n{self.output()}")

    def worker_pids(self) -> list[int]:
        """The processes that serve requests: uvicorn's workers, or itself when alone."""
        if self.popen is None:
            return []
        if self.workers == 1:
            return [self.popen.pid]
        return children_of(self.popen.pid)

    def cpu(self) -> float:
        """CPU seconds the serving processes have used so far."""
        return sum(cpu_seconds(pid) for pid in self.worker_pids())

    def loop_cpu(self) -> float:
        """CPU seconds the serving processes' main threads (the event loops) have used."""
        return sum(main_thread_cpu_seconds(pid) for pid in self.worker_pids())

    def rss(self) -> int:
        """Bytes resident in the serving processes."""
        return sum(rss_bytes(pid) for pid in self.worker_pids())

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-4000:]

    def stop(self) -> None:
        """SIGTERM for a graceful shutdown, SIGKILL if it takes too long."""
        if self.popen is None or self.popen.poll() is not None:
            return
        os.killpg(self.popen.pid, signal.SIGTERM)
        try:
            self.popen.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(timeout=10)

    def info(self) -> dict[str, Any]:
        return {
            "server": "uvicorn",
            "app": self.app,
            "workers": self.workers,
            "options": os.environ.get("BENCH_UVICORN_OPTIONS", ""),
        }
