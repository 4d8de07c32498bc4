"""uvicorn's HTTP protocol with a bound on the request head (security.md section 9, I1).

uvicorn (httptools) reads a request head of any size and waits for it forever: a client could
send megabytes of headers, or dribble them a byte at a time and hold the connection open
(slow-loris), before the app sees anything. :class:`GuardedHttpProtocol` refuses a head over
:data:`MAX_HEAD_BYTES` with 431 and a head that has not arrived within :data:`HEAD_TIMEOUT_S`
with 408, both closing the connection at once. The body has its own limits in rlib.limits.

``rlib.cli.serve`` runs every worker with it; the class is importable by name so that
``--workers N`` (spawned processes) can use it too.
"""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from rlib.i18n import FRAMEWORK_MESSAGES, Catalogue

MAX_HEAD_BYTES = 64 * 1024
"""Request line plus headers; a browser's head stays far below (nginx's default is 32 KiB)."""
HEAD_TIMEOUT_S = 10.0
"""From the connection (or the first byte of a next request) to the end of its headers."""

_REASONS = {408: b"Request Timeout", 431: b"Request Header Fields Too Large"}
_CODES = {408: "request_timeout", 431: "headers_too_large"}
_KEYS = {408: "error.request_timeout", 431: "error.headers_too_large"}
_CATALOGUE = Catalogue(FRAMEWORK_MESSAGES)


class _HeadRefusedError(Exception):
    """Raised from a parser callback to stop parsing a refused head."""


class GuardedHttpProtocol(HttpToolsProtocol):
    """``HttpToolsProtocol`` that bounds the size and the arrival time of every request head."""

    max_head_bytes = MAX_HEAD_BYTES
    head_timeout_s = HEAD_TIMEOUT_S

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head_pending = False
        self._head_bytes = 0  # bytes received while the head is incomplete
        self._head_size = 0  # the parsed request line and headers
        self._head_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._start_head()  # a connection that never sends a head is closed too

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_head_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        # Counted after parsing: bytes that completed the head (and the body after it) are not.
        if self._head_pending and not self.transport.is_closing():
            self._head_bytes += len(data)
            if self._head_bytes > self.max_head_bytes:
                self._refuse(431)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._start_head()

    def on_url(self, url: bytes) -> None:
        super().on_url(url)
        self._head_size += len(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        super().on_header(name, value)
        self._head_size += len(name) + len(value) + 4  # ": " and CRLF

    def on_headers_complete(self) -> None:
        self._head_pending = False
        self._stop_head_timer()
        # A head that arrived whole in one read was not counted by data_received.
        if self._head_size > self.max_head_bytes:
            self._refuse(431)
            raise _HeadRefusedError  # stops the parser; send_400_response then sees the close
        super().on_headers_complete()

    def send_400_response(self, msg: str) -> None:
        if not self.transport.is_closing():  # not after this class's own refusal
            super().send_400_response(msg)

    def _start_head(self) -> None:
        if not self._head_pending:
            self._head_pending = True
            self._head_bytes = 0
            self._head_size = 0
            self._head_timer = self.loop.call_later(self.head_timeout_s, self._head_timed_out)

    def _stop_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if self._head_pending and not self.transport.is_closing():
            self._refuse(408)

    def _refuse(self, status: int) -> None:
        """Answer ``status`` in the envelope and close: the rest of the head is never read."""
        self._head_pending = False
        self._stop_head_timer()
        params = {"limit": self.max_head_bytes} if status == 431 else {}
        body = orjson.dumps(
            {
                "success": False,
                "data": None,
                "message": _CATALOGUE.text(_KEYS[status], "id", params),
                "status": status,
                "code": _CODES[status],
            }
        )
        head = [b"HTTP/1.1 %d %s\r\n" % (status, _REASONS[status])]
        for name, value in self.server_state.default_headers:
            head.append(name + b": " + value + b"\r\n")
        head.append(b"content-type: application/json\r\n")
        head.append(b"content-length: %d\r\nconnection: close\r\n\r\n" % len(body))
        self.transport.write(b"".join(head) + body)
        self.transport.close()
