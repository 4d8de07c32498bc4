"""The real better-auth client from npm (1.2.9, as the original frontend pins it, and the latest
1.x) drives a running server through ``createAuthClient`` with ``twoFactorClient`` and a cookie
jar per browser: the scenario is ``clients/auth-compat/scenario.mjs``.

The server runs in a thread (uvicorn on 127.0.0.1, a free port) on a SQLite database of
its own, with a memory mailer; the node script asks this test over stdin/stdout for what only
the server side knows (the token of a mailed reset link, a TOTP code). In CI (``CI`` set) a
missing node or ``npm ci`` is a failure, not a skip.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import uvicorn

from conftest_helpers import migrate
from esensi.app import auth_kit, build_app
from esensi.settings import Settings
from factories.logins import PASSWORD, add_profile, make_login
from rlib import DatabaseConfig
from rlib.auth.mailer import MemoryAuthMailer
from rlib.auth.totp import code_at, step_at
from rlib.db.engine import Database

COMPAT = Path(__file__).resolve().parents[3] / "clients" / "auth-compat"
VERSIONS = ("v1.2", "latest")
TIMEOUT_S = 180


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


@dataclass
class Server:
    """A running test server and what the scenario needs from its side."""

    origin: str
    mail: MemoryAuthMailer
    last_steps: dict[str, int] = field(default_factory=dict)

    def answer(self, question: dict[str, Any]) -> dict[str, Any]:
        """The answer to one ``{"ask": ...}`` line of the scenario."""
        if "field" in question:
            sent = self.mail.last(question["mail"], question["to"])
            return {question["field"]: sent.context[question["field"]]}
        if "mail" in question:
            url = self.mail.last(question["mail"], question["to"]).context["url"]
            return {question["param"]: parse_qs(urlsplit(str(url)).query)[question["param"]][0]}
        if "totp" in question:
            return {"code": self._totp(question["totp"])}
        raise AssertionError(f"unknown question {question!r}")

    def _totp(self, secret: str) -> str:
        # Each step is accepted once: give the next unused one (one step of drift is allowed).
        now = step_at(dt.datetime.now(dt.UTC))
        step = max(self.last_steps.get(secret, now - 2) + 1, now - 1)
        assert step <= now + 1, "the scenario asked for more TOTP codes than the window holds"
        self.last_steps[secret] = step
        return code_at(secret, step)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _member(url: str) -> dict[str, str]:
    """A committed login with a username and a customer profile."""
    database = Database(DatabaseConfig(url=url, pool_size=1))
    try:
        async with database.sessionmaker() as db:
            user = await make_login(db, username=f"anggota_{os.urandom(4).hex()}")
            customer = await add_profile(db, user, "customer")
            await db.commit()
    finally:
        await database.dispose()
    assert user.username is not None
    return {
        "email": user.email,
        "username": user.username,
        "password": PASSWORD,
        "idCustomer": str(customer),
    }


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """A database of its own: the server commits, throttle counters of 127.0.0.1 included,
    which must not reach the other tests of the worker."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'compat.sqlite3'}"
    migrate(url)
    return url


@pytest.fixture
def server(database_url: str) -> Iterator[Server]:
    port = _free_port()
    origin = f"http://127.0.0.1:{port}"
    url = database_url
    settings = Settings(env="test", database_url=url, auth={"base_urls": {"auth": origin}})
    mail = MemoryAuthMailer()
    app = build_app(settings, kit=auth_kit(settings, mailer=mail))
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not running.started:
        assert thread.is_alive(), "the test server stopped"
        assert time.monotonic() < deadline, "the test server did not start"
        time.sleep(0.05)
    try:
        yield Server(origin=origin, mail=mail)
    finally:
        running.should_exit = True
        thread.join(timeout=20)


@pytest.mark.parametrize("version", VERSIONS)
def test_better_auth_client_works_unchanged(
    server: Server, database_url: str, version: str
) -> None:
    node = shutil.which("node")
    if node is None:
        _unavailable("node is not installed")
    folder = COMPAT / version
    if not (folder / "node_modules" / "better-auth").is_dir():
        _unavailable(f"run `npm ci` in {folder}")
    member = asyncio.run(_member(database_url))
    env = {**os.environ, "ESENSI_COMPAT": json.dumps({"origin": server.origin, "member": member})}
    with subprocess.Popen(
        [str(node), "run.mjs"],
        cwd=folder,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        done, stderr = _converse(process, server)
    assert process.returncode == 0, stderr
    assert done, stderr
    assert "ok get-session null after sign-out" in stderr


def _converse(process: subprocess.Popen[str], server: Server) -> tuple[bool, str]:
    """Answer the scenario's questions until it ends (killed after ``TIMEOUT_S``); whether it
    reported done, and its log."""
    assert process.stdin is not None
    assert process.stdout is not None
    assert process.stderr is not None
    timer = threading.Timer(TIMEOUT_S, process.kill)
    timer.start()
    done = False
    try:
        for line in process.stdout:
            message = json.loads(line)
            if message.get("done"):
                done = True
                continue
            process.stdin.write(json.dumps(server.answer(message["ask"])) + "\n")
            process.stdin.flush()
        process.wait()
    finally:
        timer.cancel()
        if process.poll() is None:
            process.kill()
    return done, process.stderr.read()
