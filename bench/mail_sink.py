"""The SMTP sink of scenario (e): aiosmtpd on 127.0.0.1 counting messages by Message-ID.

It runs as its own process on the client core, so its CPU never counts against the sender.
The parent talks to it over stdin/stdout, one line each way: ``stats`` answers with a JSON line
(total messages, distinct Message-IDs, a digest of the sorted IDs), ``ids`` lists every
delivery's Message-ID (the kill drill counts duplicates from it), ``reset`` clears the
counters. Nothing is parsed or written beyond the Message-ID header.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import sys
import threading
from collections import Counter
from typing import Any

import orjson
from aiosmtpd.smtp import SMTP

_MESSAGE_ID = re.compile(rb"^Message-ID:\s*(\S+)", re.IGNORECASE | re.MULTILINE)


def digest(ids: list[str]) -> str:
    """The fingerprint of a set of Message-IDs, compared with the sender's expected one."""
    return hashlib.sha256("\n".join(sorted(ids)).encode()).hexdigest()


class CountingHandler:
    """Accepts every message and counts it under its Message-ID."""

    def __init__(self) -> None:
        self.seen: Counter[str] = Counter()
        self.total = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # aiosmtpd hook
        match = _MESSAGE_ID.search(envelope.content)
        self.seen[match.group(1).decode() if match else ""] += 1
        self.total += 1
        return "250 OK"

    def stats(self) -> dict[str, object]:
        ids = list(self.seen)
        return {"total": self.total, "distinct": len(ids), "digest": digest(ids)}

    def reset(self) -> None:
        self.seen = Counter()
        self.total = 0


def _control(handler: CountingHandler) -> None:
    # Counters are read between messages; the parent asks only when the sender has finished.
    for line in sys.stdin:
        command = line.strip()
        if command == "reset":
            handler.reset()
            reply: dict[str, object] = {"ok": True}
        elif command == "stats":
            reply = handler.stats()
        elif command == "ids":  # every delivery's Message-ID, repeated as often as it came
            reply = {"ids": list(handler.seen.elements())}
        else:
            reply = {"error": command}
        sys.stdout.write(orjson.dumps(reply).decode() + "\n")
        sys.stdout.flush()


async def _serve() -> None:
    handler = CountingHandler()
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(handler, hostname="localhost", timeout=60), "127.0.0.1", 0
    )
    port = server.sockets[0].getsockname()[1]
    sys.stdout.write(orjson.dumps({"port": port}).decode() + "\n")
    sys.stdout.flush()
    done = asyncio.Event()

    def control() -> None:
        _control(handler)
        loop.call_soon_threadsafe(done.set)  # stdin closed: the parent is gone or finished

    threading.Thread(target=control, daemon=True).start()
    await done.wait()
    server.close()


if __name__ == "__main__":
    asyncio.run(_serve())
