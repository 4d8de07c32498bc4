"""Every pooled connection busy beyond the pool timeout is overload: 503 with Retry-After, never
a 500 (a load test once answered 500s once 64 clients queued for 8 connections)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from fixture_apps.factory import make_shop_app
from rlib.config import DatabaseConfig
from rlib.db.engine import Database
from rlib.db.integrity import map_db_error
from rlib.db.native import NativePool
from rlib.db.raw import RawConnection
from rlib.errors import ServiceUnavailableError
from rlib.testing import app_client, sqlite_url

PG_URL = os.environ.get("ESENSI_TEST_DATABASE_URL")


def test_a_pool_timeout_maps_to_503_with_retry_after() -> None:
    mapped = map_db_error(PoolTimeoutError("QueuePool limit of size 8 overflow 0 reached"))
    assert isinstance(mapped, ServiceUnavailableError)
    assert mapped.headers["Retry-After"] == "1"


async def test_a_request_waiting_for_a_busy_pool_gets_503(tmp_path: Path) -> None:
    cfg = DatabaseConfig(url=sqlite_url(tmp_path), pool_size=1, max_overflow=0, pool_timeout_s=0.05)
    database = Database(cfg)
    try:
        held = await RawConnection.checkout(database.engine)  # the only connection
        try:
            async with app_client(make_shop_app(database)) as http:
                response = await http.post("/api/shop/item/create", json={"name": "x", "sku": "x"})
        finally:
            await held.close()
    finally:
        await database.dispose()
    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    assert response.json()["code"] == "service_unavailable"


@pytest.mark.postgres
async def test_the_native_read_pool_answers_503_when_every_connection_is_busy() -> None:
    if not PG_URL:
        pytest.skip("needs PostgreSQL (ESENSI_TEST_DATABASE_URL)")
    pool = NativePool(DatabaseConfig(url=PG_URL, pool_size=1, max_overflow=0, pool_timeout_s=0.05))
    held = await pool.acquire()
    try:
        with pytest.raises(ServiceUnavailableError):
            await pool.acquire()
    finally:
        await pool.release(held)
        await pool.close()
