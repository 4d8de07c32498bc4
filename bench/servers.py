"""Start and stop the app servers, pinned to the server core, and read their CPU time."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

SERVER_CORE = "1"
STARTUP_S = 180
CLIENT_CORE = "0"
_TICKS = os.sysconf("SC_CLK_TCK")
ROOT = Path(__file__).resolve().parent.parent
MODULES = {
    "H": "bench.apps.h",
    "O": "bench.apps.o",
    "F": "bench.apps.f",
    "P": "bench.apps.p",
}
SQLITE_MODULES = {**MODULES, "H": "bench.apps.h_sqlite"}


@dataclass(frozen=True, slots=True)
class Server:
    app: str
    port: int
    process: subprocess.Popen[bytes]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def pinned(core: str, argv: list[str]) -> list[str]:
    """Prefix ``argv`` with ``taskset`` when there is a second core to pin to."""
    if shutil.which("taskset") and (os.cpu_count() or 1) > 1:
        return ["taskset", "-c", core, *argv]
    return argv


def _command(
    app: str, port: int, server: str, sqlite: bool, modules: Mapping[str, str] | None
) -> list[str]:
    module = (modules or (SQLITE_MODULES if sqlite else MODULES))[app]
    target = module if ":" in module else f"{module}:create_app"  # "pkg.mod:factory" as is
    if server == "granian":
        return [
            sys.executable,
            "-m",
            "granian",
            "--interface",
            "asgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "1",
            "--loop",
            "uvloop",
            "--no-ws",
            "--log-level",
            "warning",
            "--factory",
            target,
        ]
    return [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        target,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "1",
        "--http",
        "httptools",
        "--loop",
        "uvloop",
        "--no-access-log",
        "--log-level",
        "warning",
    ]


def _wait_listening(server: Server, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.app} exited with {server.process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", server.port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"{server.app} did not listen on {server.port} in {timeout_s}s")


@contextmanager
def running(
    apps: tuple[str, ...],
    *,
    env: Mapping[str, str],
    server: str = "uvicorn",
    sqlite: bool = False,
    modules: Mapping[str, str] | None = None,
) -> Iterator[dict[str, Server]]:
    """Start every app (each on its own free port, all on the server core); stop them after.
    ``modules`` maps each app to its module (or ``module:factory``) when not the suite's."""
    started: dict[str, Server] = {}
    child_env = {**os.environ, **env, "PYTHONPATH": str(ROOT)}
    try:
        for app in apps:
            port = free_port()
            process = subprocess.Popen(
                pinned(SERVER_CORE, _command(app, port, server, sqlite, modules)),
                cwd=ROOT,
                env=child_env,
            )
            started[app] = Server(app, port, process)
        for item in started.values():
            # On a fresh clone nothing is byte-compiled yet: four apps importing FastAPI,
            # SQLAlchemy and pydantic cold on one core took more than 30 s.
            _wait_listening(item, timeout_s=STARTUP_S)
        yield started
    finally:
        for item in started.values():
            item.process.terminate()
        for item in started.values():
            try:
                item.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                item.process.kill()
                item.process.wait()


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def process_tree(pid: int) -> list[int]:
    """``pid`` and its descendants (granian runs its worker in a child process)."""
    tree, queue = [], [pid]
    while queue:
        current = queue.pop()
        tree.append(current)
        queue.extend(_children(current))
    return tree


def cpu_seconds(pids: list[int]) -> float:
    """utime + stime of ``pids`` from /proc, in seconds."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / _TICKS


def core_times(core: str) -> tuple[int, int]:
    """(busy, total) jiffies of one core from /proc/stat."""
    for line in Path("/proc/stat").read_text().splitlines():
        if line.startswith(f"cpu{core} "):
            values = [int(v) for v in line.split()[1:]]
            idle = values[3] + values[4]
            return sum(values) - idle, sum(values)
    return 0, 0
