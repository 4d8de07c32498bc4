"""Shared helpers of the notification tests: a recording bus, users, a unit of work."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from esensi.models.auth import AuthUser
from factories import make_user
from rlib import Scope
from rlib.db.engine import Database
from rlib.notify.bus.base import Bus, Event, EventHandler, ReconnectHandler


class RecordingBus(Bus):
    """Keeps what was published (the notifier's view of the bus)."""

    name = "recording"

    def __init__(self) -> None:
        self.events: list[Event] = []

    async def start(self, on_event: EventHandler, on_reconnect: ReconnectHandler) -> None:
        return None

    async def publish(self, event: Event) -> None:
        self.events.append(event)

    async def close(self) -> None:
        return None


async def committed_users(database: Database, count: int = 1, **overrides: Any) -> list[AuthUser]:
    """``count`` logins, committed (to the test's savepoint)."""
    async with database.sessionmaker() as db:
        users = [await make_user(db, **overrides) for _ in range(count)]
        await db.commit()
    return users


@asynccontextmanager
async def unit_scope(database: Database) -> AsyncIterator[Scope]:
    """A scope whose unit commits when the block ends (rolls back on an exception)."""
    unit = database.unit()
    try:
        yield Scope(unit)
    except BaseException:
        await unit.rollback()
        raise
    else:
        await unit.commit()
    finally:
        await unit.close()
