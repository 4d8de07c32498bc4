"""Parallel payout requests of one owner over HTTP, each on its own connection: one request and
one debit, the others 409, and the balance never below zero (the owner row lock on PostgreSQL,
the write lock on SQLite, the partial unique index behind both)."""

import asyncio
import datetime as dt
from decimal import Decimal

import pytest
from finance_helpers import credit, make_owner
from sqlalchemy import func, select, update

from esensi.app import build_app
from esensi.models.ledger import Transaction
from esensi.models.publisher import Publisher
from esensi.models.withdrawal import Withdrawal
from esensi.settings import Settings
from rlib import DatabaseConfig
from rlib.auth.users import SessionUser
from rlib.db.engine import Database
from rlib.testing import FakeAuthenticator, app_client


@pytest.mark.slow
async def test_parallel_requests_cannot_overdraw(database, migrated_urls, backend):
    async with database.sessionmaker() as db:
        owner = await make_owner(db, "publisher")
        await credit(db, owner, 100_000, 50_000)
        await db.commit()
    auth = FakeAuthenticator()
    auth.user = SessionUser(
        id=owner.user_id,
        profiles={"publisher": owner.id},
        email_verified=True,
        authenticated_at=dt.datetime.now(dt.UTC),
    )
    wide = Database(DatabaseConfig(url=migrated_urls[backend], pool_size=6, max_overflow=0))
    app = build_app(Settings(env="test", database_url=wide.config.url), authenticator=auth)
    app.use_database(wide)
    try:
        async with app_client(app) as client:
            responses = await asyncio.gather(
                *(
                    client.post("/api/publish/withdrawal", json={"amount": "100000"})
                    for _ in range(6)
                )
            )
    finally:
        await wide.dispose()
    codes = sorted(r.status_code for r in responses)
    assert codes == [200] + [409] * 5, [r.text for r in responses]
    async with database.sessionmaker() as db:
        requests = await db.scalar(select(func.count()).select_from(Withdrawal))
        debits = await db.scalar(
            select(func.count()).where(Transaction.type == "withdrawal").select_from(Transaction)
        )
        balance = await db.scalar(select(func.sum(Transaction.amount)))
    assert (requests, debits) == (1, 1)
    assert Decimal(str(balance)) == Decimal(50_000)


@pytest.mark.slow
async def test_a_request_waits_for_a_debit_holding_the_owner_and_sees_it(
    database, migrated_urls, backend
):
    """Another transaction holds the owner (as an adjustment does) and debits 60 000 of the
    100 000: the request waits for it, then reads the lower balance and is refused. Without
    the lock it would read 100 000 and pay 50 000 out of 40 000."""
    async with database.sessionmaker() as db:
        owner = await make_owner(db, "publisher")
        await credit(db, owner, 100_000)
        await db.commit()
    auth = FakeAuthenticator()
    auth.user = SessionUser(
        id=owner.user_id,
        profiles={"publisher": owner.id},
        email_verified=True,
        authenticated_at=dt.datetime.now(dt.UTC),
    )
    wide = Database(DatabaseConfig(url=migrated_urls[backend], pool_size=3, max_overflow=0))
    app = build_app(Settings(env="test", database_url=wide.config.url), authenticator=auth)
    app.use_database(wide)
    try:
        async with app_client(app) as client, wide.sessionmaker() as db:
            held = select(Publisher.id).where(Publisher.id == owner.id).with_for_update()
            if backend == "sqlite":  # the write lock, as services/ledger.lock_owner takes it
                await db.execute(
                    update(Publisher)
                    .where(Publisher.id == owner.id)
                    .values(version=Publisher.version)
                )
            await db.execute(held)
            await credit(db, owner, -60_000, kind="adjustment")
            request = asyncio.create_task(
                client.post("/api/publish/withdrawal", json={"amount": "50000"})
            )
            await asyncio.sleep(0.5)
            assert not request.done()
            await db.commit()
            response = await request
    finally:
        await wide.dispose()
    assert response.status_code == 422, response.text
    async with database.sessionmaker() as db:
        assert await db.scalar(select(func.count()).select_from(Withdrawal)) == 0
