"""Real servers for the socket tests: uvicorn subprocesses on 127.0.0.1, users with sessions,
WebSocket clients, and a cuttable TCP proxy in front of Redis."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import orjson
from fault_proxy import FaultProxy
from websockets.asyncio.client import ClientConnection, connect

from factories.logins import add_profile, make_login, make_session
from rlib import DatabaseConfig
from rlib.db.engine import Database

PG_URL = os.environ.get("ESENSI_TEST_DATABASE_URL")
BACKENDS = ["sqlite", *(["postgresql"] if PG_URL else [])]
REDIS_URL = os.environ.get("ESENSI_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    """One ``esensi`` app process under uvicorn."""

    port: int
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws/notif"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def server_env(
    database_url: str, *, redis_url: str | None, channel: str, **extra: str
) -> dict[str, str]:
    """The environment of a test server (mail worker off, a small pool, its own channel)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ESENSI_")}
    env.update(
        {
            "ESENSI_ENV": "test",
            "ESENSI_DATABASE_URL": database_url,
            "ESENSI_MAIL__WORKER": "false",
            "ESENSI_POOL__SIZE": "3",
            "ESENSI_POOL__MAX_OVERFLOW": "2",
            "ESENSI_NOTIFY__CHANNEL": channel,
            "ESENSI_LOG_LEVEL": "WARNING",
        }
    )
    if redis_url:
        env["ESENSI_REDIS_URL"] = redis_url
    env.update({f"ESENSI_{k.upper()}": v for k, v in extra.items()})
    return env


def _listening_socket() -> socket.socket:
    """A socket already bound and listening, for a child to inherit: a port picked by
    ``free_port`` and bound later by the child can be taken in between by another test's
    server, whose health answer would then be mistaken for ours."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def _spawn(
    env: Mapping[str, str], log_dir: Path, workers: int | None
) -> tuple[int, Path, subprocess.Popen[bytes]]:
    if workers is None:  # uvicorn itself, one process, on a socket bound here
        with _listening_socket() as sock:
            port = int(sock.getsockname()[1])
            command = [sys.executable, "-m", "uvicorn", "--factory", "esensi.app:create"]
            command += ["--fd", str(sock.fileno()), "--log-level", "warning"]
            return port, *_popen(command, env, log_dir / f"server-{port}.log", sock.fileno())
    # what an operator runs
    port = free_port()
    esensi = str(Path(sys.executable).parent / "esensi")
    command = [esensi, "serve", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--workers", str(workers)]
    return port, *_popen(command, env, log_dir / f"server-{port}.log")


def _popen(
    command: list[str], env: Mapping[str, str], log: Path, *pass_fds: int
) -> tuple[Path, subprocess.Popen[bytes]]:
    with log.open("wb") as output:  # the child keeps its own handle
        process = subprocess.Popen(
            command, env=dict(env), stdout=output, stderr=subprocess.STDOUT, pass_fds=pass_fds
        )
    return log, process


def launch(env: Mapping[str, str], log_dir: Path, *, workers: int | None = None) -> Server:
    """Start uvicorn with ``esensi.app:create`` (or ``esensi serve --workers N``) and wait
    (blocking) until it answers."""
    port, log, process = _spawn(env, log_dir, workers)
    server = Server(port, process, log)
    deadline = time.monotonic() + 120
    with httpx.Client() as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"server exited: {log.read_text()[-2000:]}")
            with contextlib.suppress(httpx.HTTPError):
                if client.get(f"{server.http}/api/health").status_code == 200:
                    return server
            time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"server did not start: {log.read_text()[-2000:]}")


async def start_servers(log_dir: Path, *envs: Mapping[str, str]) -> list[Server]:
    """Start one server per environment, in parallel."""
    return list(await asyncio.gather(*(asyncio.to_thread(launch, env, log_dir) for env in envs)))


@dataclass
class Login:
    """A committed login and a live session token for it."""

    id: uuid.UUID
    token: str
    email: str = ""


async def make_logins(
    database_url: str, count: int = 1, *, staff: bool = False, sessions: int = 1
) -> list[Login]:
    """``count`` logins (password ``PASSWORD``) with sessions, committed (staff: support and
    management roles). With ``sessions`` > 1 the extra sessions follow their login's entry."""
    database = Database(DatabaseConfig(url=database_url, pool_size=1))
    try:
        async with database.sessionmaker() as db:
            logins = []
            for _ in range(count):
                user = await make_login(db)
                if staff:
                    await add_profile(db, user, "internal")
                for _ in range(sessions):
                    logins.append(Login(user.id, await make_session(db, user), user.email))
            await db.commit()
        return logins
    finally:
        await database.dispose()


def bearer(login: Login) -> dict[str, str]:
    return {"Authorization": f"Bearer {login.token}"}


@asynccontextmanager
async def socket_of(server: Server, login: Login, **kwargs: Any) -> AsyncIterator[ClientConnection]:
    """A WebSocket to ``server`` as ``login`` (bearer), closed at the end."""
    headers = kwargs.pop("additional_headers", None) or bearer(login)
    async with connect(server.ws, additional_headers=headers, open_timeout=10, **kwargs) as ws:
        yield ws


async def next_frame(ws: ClientConnection, timeout: float = 5.0) -> dict[str, Any]:
    """The next frame that is not a keepalive ping. Pings are answered, as every client must:
    the hub closes (1001) a socket silent for its ping interval + pong timeout, which a slow
    run (1,000 notifications through SQLite's one writer on a busy runner) can outlast."""
    while True:
        raw = await asyncio.wait_for(ws.recv(), timeout)
        frame = orjson.loads(raw)
        if frame.get("action") != "ping":
            return dict(frame)
        await ws.send('{"action": "pong"}')


async def notif_ids(ws: ClientConnection, count: int, timeout: float = 20.0) -> list[int]:
    """Ids of the next ``count`` notification frames (fails on a timeout)."""
    ids: list[int] = []
    deadline = time.monotonic() + timeout
    while len(ids) < count:
        frame = await next_frame(ws, max(0.1, deadline - time.monotonic()))
        if "notif" in frame:
            ids.append(int(frame["notif"]["id"]))
    return ids


async def quiet(ws: ClientConnection, seconds: float) -> list[dict[str, Any]]:
    """Frames (pings aside) that arrive within ``seconds``."""
    frames = []
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(seconds):
            while True:
                frames.append(await next_frame(ws, seconds))
    return frames


async def announce(
    client: httpx.AsyncClient, server: Server, staff: Login, user_ids: list[uuid.UUID], message: str
) -> None:
    """One staff announcement through ``server``'s ``notif_create``."""
    response = await client.post(
        f"{server.http}/api/internal/notif/create",
        json={"user_ids": [str(u) for u in user_ids], "message": message},
        headers=bearer(staff),
    )
    assert response.status_code == 200, response.text


def writers_for(db_url: str) -> int:
    """Concurrent announcers a backend takes: SQLite has one writer at a time (more only meet
    "database is locked" and answer 503), PostgreSQL takes several."""
    return 8 if db_url.startswith("postgresql") else 1


async def announce_many(
    server: Server,
    staff: Login,
    user_id: uuid.UUID,
    count: int,
    *,
    concurrency: int = 8,
    padding: int = 0,
) -> None:
    """``count`` announcements for one user, ``concurrency`` requests at a time."""
    queue: asyncio.Queue[int] = asyncio.Queue()
    for n in range(count):
        queue.put_nowait(n)
    async with httpx.AsyncClient(timeout=30) as client:

        async def work() -> None:
            while not queue.empty():
                n = queue.get_nowait()
                await announce(client, server, staff, [user_id], f"pesan {n} " + "x" * padding)

        await asyncio.gather(*(work() for _ in range(concurrency)))


class CuttableProxy(FaultProxy):
    """The fault proxy (``fault_proxy``) in front of Redis or PostgreSQL that a test cuts
    (nothing listens, every connection dropped) and mends with :meth:`start`, so the shared
    server itself is never stopped."""

    async def cut(self) -> None:
        """Stop accepting and drop every open connection."""
        await self.set_mode("down")


class RawSocket:
    """A WebSocket client that never reads after the handshake (a slow consumer), with a
    small receive buffer so the server's send queue fills quickly."""

    def __init__(self, server: Server, login: Login) -> None:
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self.sock.settimeout(10)
        self.sock.connect(("127.0.0.1", server.port))
        key = base64.b64encode(os.urandom(16)).decode()
        request = (
            f"GET /ws/notif HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            f"Authorization: Bearer {login.token}\r\n\r\n"
        )
        self.sock.sendall(request.encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += self.sock.recv(1)  # byte by byte: leave the frames in the kernel buffer
        assert head.startswith(b"HTTP/1.1 101"), head

    def drain(self, timeout: float) -> tuple[bytes, bool]:
        """Read everything until the server closes (True) or ``timeout`` passes (False)."""
        self.sock.settimeout(timeout)
        data = b""
        try:
            while chunk := self.sock.recv(65536):
                data += chunk
        except TimeoutError:
            return data, False
        except ConnectionResetError:
            return data, True
        return data, True

    def close(self) -> None:
        self.sock.close()


def server_frames(data: bytes) -> list[tuple[int, bytes]]:
    """(opcode, payload) of each complete unmasked frame in ``data``."""
    frames, i = [], 0
    while i + 2 <= len(data):
        opcode, length = data[i] & 0x0F, data[i + 1] & 0x7F
        i += 2
        if length == 126:
            length, i = int.from_bytes(data[i : i + 2], "big"), i + 2
        elif length == 127:
            length, i = int.from_bytes(data[i : i + 8], "big"), i + 8
        if i + length > len(data):
            break
        frames.append((opcode, data[i : i + length]))
        i += length
    return frames
