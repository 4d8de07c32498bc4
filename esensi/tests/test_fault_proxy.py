"""The battery's TCP fault proxy (fault_proxy): each mode does what the fault tests rely on."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import pytest
from fault_proxy import FaultProxy


@pytest.fixture
async def proxy() -> AsyncIterator[FaultProxy]:
    open_links: set[asyncio.StreamWriter] = set()

    async def echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        open_links.add(writer)
        with contextlib.suppress(ConnectionError):
            while data := await reader.read(1024):
                writer.write(data)
                await writer.drain()
        writer.close()

    server = await asyncio.start_server(echo, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with FaultProxy("127.0.0.1", port, latency_s=0.05) as made:
        yield made
    server.close()
    await server.wait_closed()
    for writer in open_links:
        writer.transport.abort()
    await asyncio.sleep(0.01)  # let the aborted transports close


async def _roundtrip(port: int, timeout: float = 2.0) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(b"ping")
        await writer.drain()
        return await asyncio.wait_for(reader.read(4), timeout)
    finally:
        writer.transport.abort()


async def test_pass_and_latency_forward(proxy: FaultProxy) -> None:
    assert await _roundtrip(proxy.port) == b"ping"
    await proxy.set_mode("latency")
    assert await _roundtrip(proxy.port) == b"ping"


async def test_down_refuses_and_start_mends(proxy: FaultProxy) -> None:
    await proxy.set_mode("down")
    with pytest.raises(ConnectionRefusedError):
        await _roundtrip(proxy.port)
    await proxy.start()
    assert await _roundtrip(proxy.port) == b"ping"


async def test_reset_drops_the_connection(proxy: FaultProxy) -> None:
    await proxy.set_mode("reset")
    with contextlib.suppress(ConnectionResetError):
        assert await _roundtrip(proxy.port) == b""


async def test_blackhole_accepts_and_never_answers(proxy: FaultProxy) -> None:
    await proxy.set_mode("blackhole")
    with pytest.raises(TimeoutError):
        await _roundtrip(proxy.port, timeout=0.3)
    await proxy.start()
    assert await _roundtrip(proxy.port) == b"ping"
