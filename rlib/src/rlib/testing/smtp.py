"""SMTP servers for tests, bound to 127.0.0.1 on a free port, running in the test's own loop.

:class:`SmtpServer` is a real aiosmtpd server that records what it accepts and can be told to
answer the next messages with a given reply (``451 ...``, ``550 ...``). :class:`HangingServer`
accepts connections and never speaks, to exercise timeouts.
"""

from __future__ import annotations

import asyncio
import socket
from collections import deque
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.smtp import SMTP

from rlib.mail.accounts import MailAccount

_HOST = "127.0.0.1"


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens (connections are refused)."""
    with socket.socket() as probe:
        probe.bind((_HOST, 0))
        return int(probe.getsockname()[1])


class _Handler:
    def __init__(self, owner: SmtpServer) -> None:
        self.owner = owner

    async def handle_RCPT(  # aiosmtpd's hook name
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        if self.owner.rcpt_reply:
            return self.owner.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # aiosmtpd hook
        return await self.owner.on_data(bytes(envelope.content), list(envelope.rcpt_tos))


class SmtpServer:
    """A recording aiosmtpd server; ``port`` is fixed at the first start, kept across restarts."""

    def __init__(self) -> None:
        self.port = 0
        self.messages: list[EmailMessage] = []
        self.recipients: list[list[str]] = []
        self.data_replies: deque[str] = deque()
        self.rcpt_reply: str | None = None
        self.connections = 0
        self._server: asyncio.Server | None = None
        self._sessions: list[SMTP] = []
        self._changed = asyncio.Condition()

    async def start(self) -> SmtpServer:
        """Listen (again) on ``port``, a free one the first time."""
        handler = _Handler(self)

        def factory() -> SMTP:
            self.connections += 1
            session = SMTP(handler, hostname="localhost", timeout=30)
            self._sessions.append(session)
            return session

        self._server = await asyncio.get_running_loop().create_server(factory, _HOST, self.port)
        self.port = int(self._server.sockets[0].getsockname()[1])
        return self

    async def stop(self) -> None:
        """Stop listening and drop open connections."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        for session in self._sessions:
            if session.transport is not None:
                session.transport.close()
        self._sessions.clear()

    async def on_data(self, content: bytes, recipients: list[str]) -> str:
        """Accept a message, or answer with the next scripted reply."""
        reply = self.data_replies.popleft() if self.data_replies else "250 OK"
        if reply.startswith("250"):
            parsed = message_from_bytes(content, policy=policy.default)
            async with self._changed:
                self.messages.append(parsed)
                self.recipients.append(recipients)
                self._changed.notify_all()
        return reply

    async def wait_for(self, count: int, *, timeout_s: float = 10.0) -> list[EmailMessage]:
        """Wait until ``count`` messages arrived (TimeoutError after ``timeout_s``)."""
        async with asyncio.timeout(timeout_s), self._changed:
            await self._changed.wait_for(lambda: len(self.messages) >= count)
        return self.messages

    def account(self, name: str, **overrides: Any) -> MailAccount:
        """A plain-SMTP account pointing at this server."""
        values: dict[str, Any] = {
            "transport": "smtp",
            "host": _HOST,
            "port": self.port,
            "security": "none",
            "from_address": f"{name}@example.test",
            "timeout_s": 2.0,
            **overrides,
        }
        return MailAccount(name=name, **values)


class HangingServer:
    """Accepts TCP connections and never answers (an SMTP server that hangs)."""

    def __init__(self) -> None:
        self.port = 0
        self._server: asyncio.Server | None = None
        self._writers: list[asyncio.StreamWriter] = []

    async def start(self) -> HangingServer:
        """Listen on a free port."""

        async def hold(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            self._writers.append(writer)

        self._server = await asyncio.start_server(hold, _HOST, 0)
        self.port = int(self._server.sockets[0].getsockname()[1])
        return self

    async def stop(self) -> None:
        """Close held connections and stop listening."""
        for writer in self._writers:
            writer.close()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
