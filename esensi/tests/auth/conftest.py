"""Fixtures for the auth tests: the app with real sessions, a fake clock and a memory mailer."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import httpx
import pytest

from esensi.app import auth_kit, build_app
from esensi.settings import Settings
from rlib.auth.kit import AuthKit
from rlib.auth.mailer import MemoryAuthMailer
from rlib.db.engine import Database
from rlib.testing import app_client


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = dt.datetime.now(dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def mail() -> MemoryAuthMailer:
    return MemoryAuthMailer()


@pytest.fixture
def settings(database: Database) -> Settings:
    return Settings(env="test", database_url=database.config.url)


@pytest.fixture
def kit(settings: Settings, clock: FakeClock, mail: MemoryAuthMailer) -> AuthKit:
    return auth_kit(settings, mailer=mail, clock=clock)


@pytest.fixture
async def web(
    database: Database, settings: Settings, kit: AuthKit
) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the app where sessions (cookie or bearer) decide who is signed in."""
    app = build_app(settings, kit=kit)
    app.use_database(database)
    async with app_client(app) as client:
        yield client
