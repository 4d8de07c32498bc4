"""A real ``esensi serve`` on 127.0.0.1 (free port, its own SQLite file, the demo data), for the
tests that drive the app from outside the process: the TypeScript smoke script and the browser."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
CLIENT_DIR = ROOT / "clients" / "typescript"
ESENSI = Path(sys.executable).parent / "esensi"


def require(found: object, what: str) -> None:
    """Skip when a tool is missing on a developer's machine; in CI (``CI`` set) fail instead."""
    if found:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing; .ci/run installs it")
    pytest.skip(f"{what} is missing (run .ci/run, or see the README)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _environment(workdir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ESENSI_")}
    env.update(
        ESENSI_ENV="development",
        ESENSI_DATABASE_URL=f"sqlite+aiosqlite:///{workdir / 'live.sqlite3'}",
        ESENSI_LOG_JSON="true",
        ESENSI_LOG_LEVEL="WARNING",
    )
    return env


def _run(args: list[str], workdir: Path, env: dict[str, str]) -> None:
    done = subprocess.run(
        [str(ESENSI), *args], cwd=workdir, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, f"esensi {' '.join(args)}: {done.stderr[-2000:]}"


def _wait_until_up(origin: str, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("esensi serve exited before answering")
        try:
            if httpx.get(origin + "/api/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError("esensi serve did not answer /api/health within 60 s")


@contextmanager
def live_server(workdir: Path, extra_env: dict[str, str] | None = None) -> Iterator[str]:
    """Migrate, seed the demo data, serve; yield the origin; stop the server.

    ``extra_env`` adds settings (``ESENSI_MAIL__WORKER=false`` keeps the outbox worker, which
    drains the demo's queued mail at start, from competing for SQLite's one writer)."""
    env = {**_environment(workdir), **(extra_env or {})}
    _run(["db", "upgrade"], workdir, env)
    _run(["seed", "--demo", "--quiet"], workdir, env)
    port = free_port()
    log = (workdir / "serve.log").open("w")
    process = subprocess.Popen(
        [str(ESENSI), "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=workdir,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    origin = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(origin, process)
        yield origin
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def node_tools() -> tuple[str, Path]:
    """node and the locally installed tsc (``npm ci`` in clients/typescript)."""
    node = shutil.which("node")
    require(node, "node")
    tsc = CLIENT_DIR / "node_modules" / ".bin" / "tsc"
    require(tsc.exists(), "TypeScript (npm ci in clients/typescript)")
    return str(node), tsc
