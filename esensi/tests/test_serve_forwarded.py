"""``esensi serve`` on a real socket trusts forwarded headers only from ESENSI_TRUSTED_PROXIES.

uvicorn's own default trusts 127.0.0.1, so before the fix a local client chose the address rlib
throttles and logs by sending ``X-Forwarded-For``. Each test starts the server in a subprocess on
a free port of 127.0.0.1 and reads the address rlib saw from its "sign-in failed" log line and
from the per-IP sign-in throttle.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import httpx
import orjson
import pytest

from rlib.cli import uvicorn_proxy_options

pytestmark = pytest.mark.slow

ESENSI = str(Path(sys.executable).parent / "esensi")
SPOOFED = "198.51.100.7"
STAFF = "staf@contoh.id"
PASSWORD = "staf-rahasia-123"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """A running ``esensi serve`` and the JSON log lines it wrote to stderr."""

    def __init__(self, process: subprocess.Popen[bytes], base: str, log: Path) -> None:
        self.process = process
        self.base = base
        self.log = log

    def sign_in_ips(self) -> list[str]:
        lines = [
            orjson.loads(line) for line in self.log.read_bytes().splitlines() if line[:1] == b"{"
        ]
        return [line["ip"] for line in lines if line.get("msg") == "sign-in failed"]


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[object]:
    started: list[tuple[subprocess.Popen[bytes], IO[bytes]]] = []

    def start(trusted_proxies: str) -> Server:
        env = {
            **os.environ,
            "ESENSI_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'serve.sqlite3'}",
            "ESENSI_TRUSTED_PROXIES": trusted_proxies,
            "ESENSI_LOG_JSON": "true",
        }
        for name in ("FORWARDED_ALLOW_IPS", "ESENSI_REDIS_URL"):  # the database throttle
            env.pop(name, None)
        subprocess.run([ESENSI, "db", "upgrade"], env=env, check=True, capture_output=True)
        subprocess.run(
            [ESENSI, "user", "create-staff", "--email", STAFF, "--name", "Staf", "--role", "it"],
            env=env,
            input=f"{PASSWORD}\n{PASSWORD}\n".encode(),
            check=True,
            capture_output=True,
        )
        port = _free_port()
        log = tmp_path / f"serve-{port}.log"
        sink = log.open("wb")
        process = subprocess.Popen(
            [ESENSI, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=sink,
        )
        started.append((process, sink))
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert process.poll() is None, log.read_text()
            try:
                if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                    return Server(process, base, log)
            except httpx.TransportError:
                time.sleep(0.1)
        raise AssertionError("esensi serve did not start: " + log.read_text())

    yield start
    for process, sink in started:
        process.terminate()
        process.wait(timeout=10)
        sink.close()


def _wrong_sign_in(server: Server, n: int, forwarded_for: str) -> int:
    response = httpx.post(
        f"{server.base}/api/auth/sign-in/email",
        json={"email": f"u{n}@contoh.id", "password": "salah-salah-1"},
        headers={"x-forwarded-for": forwarded_for, "x-forwarded-proto": "https"},
        timeout=10,
    )
    return response.status_code


def _session_cookie_over_forwarded_https(server: Server) -> str:
    """The name of the session cookie a sign-in sets when ``X-Forwarded-Proto: https`` is sent
    over plain http (``__Host-session`` only when the server believes it is https)."""
    response = httpx.post(
        f"{server.base}/api/auth/sign-in/email",
        json={"email": STAFF, "password": PASSWORD},
        headers={"x-forwarded-proto": "https"},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    return response.headers["set-cookie"].split("=", 1)[0]


def test_without_trusted_proxies_a_local_client_cannot_choose_its_address(serve):
    server = serve("[]")
    statuses = [_wrong_sign_in(server, n, f"198.51.100.{n}") for n in range(11)]
    # One bucket for 127.0.0.1 whatever the header says: the eleventh failure is throttled.
    assert statuses == [401] * 10 + [429]
    assert set(server.sign_in_ips()) == {"127.0.0.1"}


def test_without_trusted_proxies_a_local_client_cannot_claim_https(serve):
    assert _session_cookie_over_forwarded_https(serve("[]")) == "session"


def test_a_trusted_proxy_forwards_the_client_address(serve):
    server = serve('["127.0.0.1/32"]')
    assert _wrong_sign_in(server, 1, "198.51.100.1") == 401
    # A client's own header is kept by the proxy, which appends the address it saw.
    assert _wrong_sign_in(server, 2, f"203.0.113.9, {SPOOFED}") == 401
    assert server.sign_in_ips() == ["198.51.100.1", SPOOFED]
    assert _session_cookie_over_forwarded_https(server) == "__Host-session"


@pytest.mark.parametrize(
    ("trusted", "options"),
    [
        ((), {"proxy_headers": False, "forwarded_allow_ips": []}),
        (
            ("10.0.0.0/8", "::1"),
            {"proxy_headers": True, "forwarded_allow_ips": ["10.0.0.0/8", "::1/128"]},
        ),
    ],
)
def test_uvicorn_options_follow_the_trusted_proxies(trusted, options):
    assert uvicorn_proxy_options(trusted) == options
