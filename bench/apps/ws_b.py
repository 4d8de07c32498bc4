"""B of scenario (d): an in-process broadcast with the ``websockets`` server, the baseline.

One process; each message is encoded once and written to every socket with
``websockets.broadcast`` (non-blocking). The harness asks for a message over ``/control``
(``{"seq": i, "ts": t}``); clients connect to ``/ws``. Compression off, no pings.
"""

from __future__ import annotations

import asyncio
import os
import sys

import orjson
from websockets.asyncio.server import ServerConnection, broadcast, serve

FIELDS = {"type": "message", "message": "x" * 40, "status": "unread", "url": None}
TAIL = {"thumbnail": None, "read_at": None, "created_at": "2026-12-05T00:00:00Z"}


def frame(seq: int, ts: float) -> str:
    """The same frame O's sockets receive (same keys, same size)."""
    notif = {"id": seq, **FIELDS, "data": {"ts": ts}, **TAIL}
    return orjson.dumps({"action": "new-notif", "notif": notif}).decode()


async def main(port: int) -> None:
    clients: set[ServerConnection] = set()

    async def handler(ws: ServerConnection) -> None:
        if ws.request is not None and ws.request.path == "/control":
            async for raw in ws:
                order = orjson.loads(raw)
                broadcast(clients, frame(order["seq"], order["ts"]))  # encoded once
            return
        clients.add(ws)
        try:
            await ws.wait_closed()
        finally:
            clients.discard(ws)

    async with serve(handler, "127.0.0.1", port, compression=None, ping_interval=None):
        await asyncio.Future()


if __name__ == "__main__":
    try:
        import uvloop

        uvloop.install()
    except ImportError:  # pragma: no cover - uvloop ships with uvicorn[standard]
        pass
    asyncio.run(main(int(sys.argv[1] if len(sys.argv) > 1 else os.environ["PORT"])))
