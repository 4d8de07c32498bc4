"""A native asyncpg pool for read-only units of work on PostgreSQL.

Checking a connection out of SQLAlchemy's pool and through an ``AsyncSession`` costs more CPU
than the query it runs (measured: ~0.25 ms per request on this machine). Read-only requests
(GET, in autocommit) take their connection from this pool instead; what they run is compiled
once by SQLAlchemy and executed by asyncpg, whose statement cache prepares it once per
connection. Write units use the engine's own pool (the CRUD create runs on a raw connection
of it, `rlib.db.raw`, ADR 0014).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import asyncpg
from sqlalchemy.engine import make_url

from rlib.config import DatabaseConfig
from rlib.errors import ServiceUnavailableError

ConnectionHook = Callable[[Any], None]


async def _keep_as_is(connection: Any) -> None:  # asyncpg Connection
    # Read-only units open no transaction and change no session state, so the default reset
    # query (a round trip on every release) has nothing to undo.
    return None


async def _json_codecs(connection: Any) -> None:  # asyncpg Connection
    # The engine's asyncpg connections get these codecs from SQLAlchemy's dialect (JSON values
    # sent as text, decoded on the way back); the same here, so both read JSON alike.
    def decode_json(data: bytes) -> Any:
        return json.loads(data.decode())

    def decode_jsonb(data: bytes) -> Any:
        return json.loads(data[1:].decode())  # \x01: the jsonb binary format's version byte

    await connection.set_type_codec(
        "json", encoder=str.encode, decoder=decode_json, schema="pg_catalog", format="binary"
    )
    await connection.set_type_codec(
        "jsonb",
        encoder=lambda text: b"\x01" + text.encode(),
        decoder=decode_jsonb,
        schema="pg_catalog",
        format="binary",
    )


class NativePool:
    """Lazily created asyncpg pool with the same size and server settings as the engine's."""

    def __init__(
        self, cfg: DatabaseConfig, *, server_settings: dict[str, str] | None = None
    ) -> None:
        self._cfg = cfg
        self._settings = {
            "statement_timeout": str(cfg.statement_timeout_ms),
            "application_name": "rlib",
            **(server_settings or {}),
        }
        self._pool: asyncpg.Pool | None = None
        self._lock = asyncio.Lock()
        self.hooks: list[ConnectionHook] = []  # run on every acquire (tests count statements)

    async def _ensure(self) -> asyncpg.Pool:
        async with self._lock:
            if self._pool is None:
                url = make_url(self._cfg.url).set(drivername="postgresql")
                self._pool = await asyncpg.create_pool(
                    dsn=url.render_as_string(hide_password=False),
                    min_size=0,
                    max_size=self._cfg.pool_size,
                    reset=_keep_as_is,
                    init=_json_codecs,
                    server_settings=self._settings,
                )
            return self._pool

    async def acquire(self) -> Any:  # asyncpg Connection
        """A connection for one unit of work; give it back with :meth:`release`."""
        pool = self._pool or await self._ensure()
        try:
            connection = await pool.acquire(timeout=self._cfg.pool_timeout_s)
        except TimeoutError as exc:  # every connection busy for pool_timeout_s: overload
            raise ServiceUnavailableError(retry_after=1) from exc
        for hook in self.hooks:
            hook(connection)
        return connection

    async def release(self, connection: Any) -> None:
        """Return ``connection`` to the pool."""
        if self._pool is not None:
            await self._pool.release(connection)

    async def close(self) -> None:
        """Close every connection."""
        if self._pool is not None:
            await self._pool.close()
            self._pool = None
