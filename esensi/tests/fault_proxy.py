"""An asyncio TCP fault proxy on 127.0.0.1 for the fault tests (security.md §16 T8).

It sits in front of a real server (PostgreSQL, Redis, SMTP, the Midtrans stand-in) so a test
can make that server look broken without touching it — the shared servers are never stopped:

- ``pass``: forward bytes both ways (the default);
- ``down``: nothing listens on the port (connection refused) and open links are dropped;
- ``reset``: connections are accepted and at once reset (RST), open links too;
- ``latency``: forward, each chunk held ``latency_s`` first;
- ``blackhole``: connections are accepted, what they send is swallowed, nothing comes back.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
from typing import Literal

Mode = Literal["pass", "down", "reset", "latency", "blackhole"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _reset(writer: asyncio.StreamWriter) -> None:
    """Close with an RST (linger 0) instead of a FIN."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


class FaultProxy:
    """A TCP proxy from ``127.0.0.1:port`` to ``target``; :meth:`set_mode` changes its fault."""

    def __init__(self, target_host: str, target_port: int, *, latency_s: float = 0.5) -> None:
        self.target = (target_host, target_port)
        self.port = free_port()
        self.mode: Mode = "pass"
        self.latency_s = latency_s
        self.accepted = 0  # connections accepted since the start (a test sees reconnects)
        self._server: asyncio.Server | None = None
        self._links: set[asyncio.StreamWriter] = set()

    async def __aenter__(self) -> FaultProxy:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def start(self) -> None:
        """Listen (again) and forward: mode ``pass``."""
        await self.set_mode("pass")

    async def set_mode(self, mode: Mode) -> None:
        self.mode = mode
        if mode == "down":
            await self._stop_listening()
            self._drop(reset=False)
            return
        if mode == "reset":
            self._drop(reset=True)
        if self._server is None:
            self._server = await asyncio.start_server(self._accept, "127.0.0.1", self.port)

    async def close(self) -> None:
        """Stop for good: nothing listens, every link dropped."""
        await self.set_mode("down")

    async def _stop_listening(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    def _drop(self, *, reset: bool) -> None:
        for writer in list(self._links):
            _reset(writer) if reset else writer.transport.abort()
        self._links.clear()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        # Python 3.11's stream server logs an error for a handler that ends cancelled (the
        # test's loop closing under an open link): end quietly instead.
        with contextlib.suppress(asyncio.CancelledError):
            await self._link(reader, writer)

    async def _link(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.accepted += 1
        if self.mode in ("reset", "down"):
            _reset(writer)
            return
        if self.mode == "blackhole":
            self._links.add(writer)
            await _swallow(reader, writer)
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            _reset(writer)
            return
        self._links.update({writer, up_writer})
        await asyncio.gather(
            self._pipe(reader, up_writer), self._pipe(up_reader, writer), return_exceptions=True
        )
        self._links.difference_update({writer, up_writer})

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                if self.mode == "latency":
                    await asyncio.sleep(self.latency_s)
                if self.mode == "blackhole":
                    continue  # swallowed: the link stays open, nothing arrives
                writer.write(data)
                await writer.drain()
        finally:
            writer.transport.abort()


async def _swallow(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while await reader.read(65536):
            pass
    finally:
        writer.transport.abort()
