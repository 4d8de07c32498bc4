"""An httpx client bound to an rlib app in-process, with the app's startup and shutdown run."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from rlib.app import RlibApp


@asynccontextmanager
async def app_client(
    app: RlibApp, *, base_url: str = "http://127.0.0.1"
) -> AsyncIterator[httpx.AsyncClient]:
    """Start ``app``, yield a client talking to it over ASGI, then shut it down."""
    await app.startup()
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=base_url) as client:
            yield client
    finally:
        await app.shutdown()
