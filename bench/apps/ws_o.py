"""O of scenario (d): rlib notify — Redis pub/sub → the server's one subscription → its sockets.

A small rlib app on a SQLite file: a user table, a session table (sockets authenticate with a
bearer token, looked up by its SHA-256 like rlib's sessions) and the notification table. The
harness publishes bus events straight to Redis (the publisher on the client core), one user
holding every socket, so one event fans out to N sockets like B's broadcast.
Environment: ``BENCH_WS_DB`` (SQLite file), ``BENCH_WS_REDIS``, ``BENCH_WS_CHANNEL``,
``BENCH_WS_SOCKETS`` (sockets allowed per user).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import uuid
from collections.abc import Collection
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Uuid, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from rlib import DatabaseConfig, Registry, RlibApp, RlibConfig
from rlib import create_app as create_rlib_app
from rlib.config import NotifyConfig
from rlib.db.engine import Database
from rlib.db.types import UtcDateTime
from rlib.notify import Notifier
from rlib.notify.hub import SocketIdentity

USER_ID = uuid.UUID("00000000-0000-7000-8000-000000000001")
TOKEN = "bench-ws-token"


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "bench_user"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)


class Session(Base):
    __tablename__ = "bench_session"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    id_user: Mapped[uuid.UUID] = mapped_column(ForeignKey("bench_user.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)


class Notif(Base):
    __tablename__ = "notif"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    id_user: Mapped[uuid.UUID] = mapped_column(ForeignKey("bench_user.id"), index=True)
    type: Mapped[str] = mapped_column(String(24))
    message: Mapped[str] = mapped_column(String(1000))
    status: Mapped[str] = mapped_column(String(8), default="unread")
    url: Mapped[str | None] = mapped_column(String(512))
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    thumbnail: Mapped[str | None] = mapped_column(String(512))
    read_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class TokenAuth:
    """Bearer token → the session's user (one indexed lookup, as rlib's sessions)."""

    async def identify(self, db: AsyncSession, token: str) -> SocketIdentity | None:
        row = (
            await db.execute(
                select(Session.id, Session.id_user).where(Session.token_hash == token_hash(token))
            )
        ).first()
        return None if row is None else SocketIdentity(row.id_user, row.id)

    async def live(self, db: AsyncSession, session_ids: Collection[Any]) -> set[Any]:
        rows = await db.scalars(select(Session.id).where(Session.id.in_(list(session_ids))))
        return set(rows)


async def prepare(database: Database) -> None:
    """Create the tables and the one user with its session (idempotent)."""
    async with database.engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
    async with database.sessionmaker() as db:
        if await db.get(User, USER_ID) is None:
            db.add(User(id=USER_ID))
            await db.flush()
            db.add(Session(id=uuid.uuid4(), id_user=USER_ID, token_hash=token_hash(TOKEN)))
            await db.commit()


def create_app() -> RlibApp:
    """The app uvicorn serves (configured from the environment)."""
    config = RlibConfig(
        database=DatabaseConfig(url=f"sqlite+aiosqlite:///{os.environ['BENCH_WS_DB']}"),
        notify=NotifyConfig(
            redis_url=os.environ["BENCH_WS_REDIS"],
            channel=os.environ["BENCH_WS_CHANNEL"],
            max_sockets_per_user=int(os.environ.get("BENCH_WS_SOCKETS", "5000")),
            ping_interval_s=600,
            pong_timeout_s=600,
            session_recheck_s=3600,
        ),
    )

    async def ready(app: RlibApp) -> None:
        await prepare(app.database)

    return create_rlib_app(
        config=config,
        registry=Registry(),
        notifier=Notifier(Notif),
        socket_auth=TokenAuth(),
        on_startup=[ready],
    )
