"""Concurrent edits of one product or bundle: exactly one wins, the rest get 409.

PostgreSQL only: the row lock (``FOR UPDATE``) is what serialises them; SQLite serialises every
writer on its database lock and answers a busy writer 503 with Retry-After instead.
"""

import asyncio
import os
import uuid

import pytest
from sqlalchemy import func, select

from esensi.models.bundle import BundleProduct
from factories import login_as, make_author
from factories.catalogue import make_bundle, make_product

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not os.environ.get("ESENSI_TEST_DATABASE_URL"),
        reason="needs ESENSI_TEST_DATABASE_URL (CI always sets it)",
    ),
    pytest.mark.parametrize("backend", ["postgresql"]),
]


async def test_ten_parallel_updates_with_one_version_succeed_once(client, auth, database):
    async with database.sessionmaker() as db:
        author = await make_author(db)
        product = await make_product(db, author)
        bundle = await make_bundle(db, author, [product], status="draft")
        await db.commit()
    login_as(auth, uuid.uuid4(), author=author.id)
    answers = await asyncio.gather(
        *(
            client.post(
                "/api/publish/product/update",
                json={"id": str(product.id), "version": 1, "real_price": str(1000 + n)},
            )
            for n in range(10)
        ),
        *(
            client.post(
                "/api/publish/bundle/update",
                json={"id": str(bundle.id), "version": 1, "name": f"Paket {n}"},
            )
            for n in range(10)
        ),
    )
    products, bundles = answers[:10], answers[10:]
    for found in (products, bundles):
        assert sorted(r.status_code for r in found) == [200] + [409] * 9
        assert {r.json()["code"] for r in found if r.status_code == 409} == {"stale_version"}


async def test_parallel_adds_of_one_product_leave_one_row(client, auth, database):
    async with database.sessionmaker() as db:
        author = await make_author(db)
        held, added = await make_product(db, author), await make_product(db, author)
        bundle = await make_bundle(db, author, [held], status="draft")
        await db.commit()
    login_as(auth, uuid.uuid4(), author=author.id)
    body = {"id": str(bundle.id), "action": "add", "items": [{"id_product": str(added.id)}]}
    answers = await asyncio.gather(
        *(client.post("/api/publish/bundle/product/manage", json=body) for _ in range(8))
    )
    assert sorted(r.status_code for r in answers) == [200] + [409] * 7
    async with database.sessionmaker() as db:
        rows = await db.scalar(select(func.count()).select_from(BundleProduct))
    assert rows == 2
