"""The unit of work: one transaction, committed at the edge, with an after-commit queue.

Commits happen here: the runner commits the request's unit at the edge, ``transaction()``
blocks and ``separately()`` commit their own, and nothing else calls ``commit`` (a house-rule
test names the few allowed files). Handlers and services flush but never commit; side effects
queued with :meth:`UnitOfWork.on_commit` run only after a successful commit.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from rlib.db.driver import begin_on_adapter
from rlib.db.native import NativePool
from rlib.db.raw import RawConnection

logger = logging.getLogger("rlib.tx")

AfterCommit = Callable[[], Awaitable[None] | None]
RawHook = Callable[[str], None]  # called with "read" or "write" when a unit takes a raw connection

# Where a unit leaves itself in its session's ``info``, for code that is handed only the session.
UNIT_KEY = "rlib.unit"


def unit_of(session: AsyncSession) -> UnitOfWork | None:
    """The unit of work that opened ``session``, if any."""
    found = session.info.get(UNIT_KEY)
    return found if isinstance(found, UnitOfWork) else None


class UnitOfWork:
    """A lazily opened session plus the callbacks to run once its transaction commits.

    A write unit given an ``engine`` may instead begin on a raw pooled connection
    (:meth:`write_connection`, used by the CRUD create); a session asked for afterwards is
    bound to that connection, so both share one transaction. ``fast_path`` (the database's
    setting) tells the statement runners whether they may compile for the driver at all.
    """

    __slots__ = (
        "_after",
        "_dialect",
        "_driver",
        "_engine",
        "_factory",
        "_native",
        "_raw",
        "_raw_hooks",
        "_raw_reads",
        "_session",
        "after_commit_timeout_s",
        "fast_path",
        "log_extra",
    )

    def __init__(
        self,
        factory: Callable[..., AsyncSession],
        *,
        after_commit_timeout_s: float = 5.0,
        native: NativePool | None = None,
        dialect: Dialect | None = None,
        engine: AsyncEngine | None = None,
        raw_reads: bool = False,
        fast_path: bool = True,
        raw_hooks: Sequence[RawHook] = (),
    ) -> None:
        self._factory = factory
        self._raw_reads = raw_reads and engine is not None
        self._native = native
        self._dialect = dialect
        self._engine = engine
        self._raw: RawConnection | None = None
        self._raw_hooks = raw_hooks
        self._driver: Any = None
        self._session: AsyncSession | None = None
        self._after: list[AfterCommit] = []
        self.after_commit_timeout_s = after_commit_timeout_s
        self.fast_path = fast_path
        self.log_extra: dict[str, object] = {}

    @property
    def session(self) -> AsyncSession:
        """The session, created on first use (no connection is taken before a statement runs)."""
        if self._session is None:
            if self._raw is not None and self._engine is not None:
                self._session = self._factory(bind=self._raw.join(self._engine))
            else:
                self._session = self._factory()
            self._session.info[UNIT_KEY] = self
        return self._session

    @property
    def started(self) -> bool:
        """True once the session exists."""
        return self._session is not None

    def sibling(self) -> UnitOfWork:
        """A separate unit on the same database, committed on its own.

        For writes that must outlive this unit's rollback, such as a failed sign-in's
        throttle counter.
        """
        return UnitOfWork(
            self._factory,
            after_commit_timeout_s=self.after_commit_timeout_s,
            fast_path=self.fast_path,
        )

    @asynccontextmanager
    async def separately(self) -> AsyncIterator[UnitOfWork]:
        """A :meth:`sibling` for one block: committed at its end, rolled back on an exception.

        For work that must be durable whatever this unit does next (a throttle counter, a
        spent one-time token), or that must not hold its locks while this unit goes on.
        """
        sibling = self.sibling()
        try:
            async with sibling.transaction():
                yield sibling
        finally:
            await sibling.close()

    def on_commit(self, callback: AfterCommit) -> None:
        """Queue ``callback`` to run after the next successful commit of this unit."""
        self._after.append(callback)

    async def write_connection(self) -> RawConnection:
        """A raw connection inside this unit's transaction, for statements run on the driver.

        The unit's own (checked out on first use) when it may have one and no session exists
        yet; else the session's connection, begun (on PostgreSQL SQLAlchemy would begin only
        at its own first statement).
        """
        if self._raw is not None:
            return self._raw
        if self._session is None and self._engine is not None:
            raw = await RawConnection.checkout(self._engine)
            self._raw = raw
            await raw.begin()
            for hook in self._raw_hooks:
                hook("write")
            return raw
        conn = await self.session.connection()
        fairy = await conn.get_raw_connection()
        if conn.dialect.name == "postgresql":
            await begin_on_adapter(fairy.dbapi_connection)
        options = conn.sync_connection.get_execution_options() if conn.sync_connection else {}
        return RawConnection(
            fairy,
            is_postgres=conn.dialect.name == "postgresql",
            schema_translate_map=options.get("schema_translate_map"),
        )

    async def commit(self) -> None:
        """Commit (when anything was opened), then run the after-commit queue in order."""
        if self._session is not None:
            await self._session.commit()
        if self._raw is not None:
            await self._raw.commit()  # nothing left to do when a joined session committed
        callbacks, self._after = self._after, []
        for callback in callbacks:
            await self._run_after_commit(callback)

    async def rollback(self) -> None:
        """Roll back and drop the after-commit queue."""
        self._after = []
        if self._session is not None:
            await self._session.rollback()
        if self._raw is not None:
            await self._raw.rollback()

    @property
    def dialect(self) -> Dialect:
        """The database dialect, known without opening a session or taking a connection."""
        return self._dialect or self.session.get_bind().dialect

    async def driver(self) -> Any:  # asyncpg or aiosqlite Connection, or None
        """A read-only unit's connection for compiled reads, else None (use the session).

        On PostgreSQL one from the native pool; on SQLite a raw connection of the engine's
        pool in autocommit (no BEGIN/COMMIT), which a session asked for later joins.
        """
        if self._native is not None:
            if self._driver is None:
                self._driver = await self._native.acquire()
            return self._driver
        if not self._raw_reads or self._engine is None:
            return None
        if self._raw is None:
            if self._session is not None:  # reads then stay on the session's connection
                return None
            self._raw = await RawConnection.checkout(self._engine)
            for hook in self._raw_hooks:
                hook("read")
        return self._raw.driver

    async def close(self) -> None:
        """Return the connection(s) to the pool."""
        if self._driver is not None and self._native is not None:
            driver, self._driver = self._driver, None
            await self._native.release(driver)
        if self._session is not None:
            await self._session.close()
            self._session = None
        if self._raw is not None:
            raw, self._raw = self._raw, None
            await raw.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """An explicit block: commits at its end, rolls back on an exception.

        For a handler that must call a remote service between writes (``Ctx.transaction``),
        and for work outside a request (the mail worker, the CLI).
        """
        try:
            yield self.session
        except BaseException:
            await self.rollback()
            raise
        await self.commit()

    async def _run_after_commit(self, callback: AfterCommit) -> None:
        # What a callback announces is already durable, so its failure is logged, not raised.
        try:
            async with asyncio.timeout(self.after_commit_timeout_s):
                result = callback()
                if inspect.isawaitable(result):
                    await result
        except Exception:
            logger.exception("after-commit callback failed", extra=self.log_extra)
