"""Fixtures for the auth tests: the app with real sessions, a fake clock and a memory mailer."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest

from conftest_helpers import empty_database
from esensi.app import auth_kit, build_app
from esensi.settings import Settings
from factories.logins import make_login
from rlib import DatabaseConfig
from rlib.auth.kit import AuthKit
from rlib.auth.mailer import MemoryAuthMailer
from rlib.db.engine import Database
from rlib.testing import app_client
from rlib.testing.oidc import StubIdentityProvider
from rlib.throttle import RedisCounter

OWN = "http://127.0.0.1"


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


AUTH_ORIGIN = "https://auth.esensi.test"


@pytest.fixture
def settings(database: Database) -> Settings:
    return Settings(
        env="test", database_url=database.config.url, auth={"base_urls": {"auth": AUTH_ORIGIN}}
    )


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


@pytest.fixture(params=["database", "redis"])
async def live(request, backend, migrated_urls):
    """The app on the worker's database with a pool wide enough for requests truly in parallel.

    Yields the client, the kit (memory mailer) and a committed login.
    """
    url = migrated_urls[backend]
    redis = "redis://127.0.0.1:6379/0" if request.param == "redis" else None
    settings = Settings(env="test", database_url=url, redis_url=redis)
    kit = auth_kit(settings, mailer=MemoryAuthMailer())
    if isinstance(kit.throttle.redis, RedisCounter):
        kit.throttle.redis.prefix = f"test:{uuid.uuid4().hex}:"
    # 20 connections at most: requests beyond that queue for one (still racing each other), and
    # the shared PostgreSQL server (100 clients) serves several workers and checkouts at once.
    database = Database(DatabaseConfig(url=url, pool_size=10, max_overflow=10))
    app = build_app(settings, kit=kit)
    app.use_database(database)
    await empty_database(database)
    async with database.sessionmaker() as db:
        user = await make_login(db)
        await db.commit()
    ip = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"
    await app.startup()
    transport = httpx.ASGITransport(app=app, client=(ip, 4321))
    try:
        async with httpx.AsyncClient(transport=transport, base_url=OWN) as client:
            yield client, kit, user
    finally:
        await app.shutdown()
        await database.dispose()


GOOGLE_CLIENT_ID = "esensi-test.apps.googleusercontent.com"
GOOGLE_CLIENT_SECRET = "stub-client-secret-0123456789"


@pytest.fixture
async def idp() -> AsyncIterator[StubIdentityProvider]:
    """The stand-in for Google: a stub OpenID Connect provider on 127.0.0.1."""
    stub = StubIdentityProvider(client_id=GOOGLE_CLIENT_ID, client_secret=GOOGLE_CLIENT_SECRET)
    await stub.start()
    try:
        yield stub
    finally:
        await stub.stop()


@pytest.fixture
async def google(
    database: Database, idp: StubIdentityProvider, clock: FakeClock, mail: MemoryAuthMailer
) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the app with Google sign-in configured against the stub provider."""
    google = {
        "client_id": GOOGLE_CLIENT_ID,
        "client_secret": GOOGLE_CLIENT_SECRET,
        "discovery_url": idp.discovery_url,
    }
    settings = Settings(
        env="test",
        database_url=database.config.url,
        auth={"base_urls": {"auth": AUTH_ORIGIN}, "google": google},
    )
    app = build_app(settings, kit=auth_kit(settings, mailer=mail, clock=clock))
    app.use_database(database)
    async with app_client(app) as client:
        yield client
