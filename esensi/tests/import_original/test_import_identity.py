"""Importing logins: every source row imported or reported, passwords kept, reruns add nothing."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from import_original.original_data import Planted, fill
from import_original.original_source import connect, create_source_database, drop_source_database
from sqlalchemy import func, select

from esensi.importer.identity import import_accounts, import_users
from esensi.importer.report import Report
from esensi.models.auth import AuthAccount, AuthUser
from rlib.auth.passwords import needs_rehash, verify_password
from rlib.db.engine import Database

PG_URL = os.environ.get("ESENSI_TEST_DATABASE_URL")

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(PG_URL is None, reason="needs ESENSI_TEST_DATABASE_URL (CI always sets it)"),
]


async def _filled_source() -> tuple[str, Planted]:
    url = await create_source_database()
    conn = await connect(url)
    try:
        return url, await fill(conn, users=300, products=50, orders=50)
    finally:
        await conn.close()


@pytest.fixture(scope="module")
def source_url() -> Iterator[tuple[str, Planted]]:
    # Sync and module-wide (one source for both targets), like the conftest's databases.
    url, planted = asyncio.run(_filled_source())
    yield url, planted
    asyncio.run(drop_source_database(url))


async def _import(url: str, database: Database) -> Report:
    report = Report()
    conn = await connect(url)
    try:
        async with conn.transaction(readonly=True, isolation="repeatable_read"):
            await import_users(conn, database.engine, report)
            await import_accounts(conn, database.engine, report)
    finally:
        await conn.close()
    return report


async def _count(database: Database, model: type[AuthUser] | type[AuthAccount]) -> int:
    async with database.engine.connect() as conn:
        return int((await conn.execute(select(func.count()).select_from(model))).scalar_one())


async def test_every_login_is_imported_or_reported_and_a_rerun_adds_nothing(
    source_url: tuple[str, Planted], database: Database, tmp_path: Path
) -> None:
    url, planted = source_url
    report = await _import(url, database)
    for name in ("auth_user", "auth_account"):
        table = report.table(name)
        assert table.source == planted.rows[name]
        assert table.imported + len(table.rejected) == table.source
    assert len(report.table("auth_user").repaired) == planted.dirty["duplicate_email_case"]
    assert await _count(database, AuthUser) == report.table("auth_user").imported
    assert await _count(database, AuthAccount) == report.table("auth_account").imported

    await _import(url, database)
    assert await _count(database, AuthUser) == report.table("auth_user").imported
    assert await _count(database, AuthAccount) == report.table("auth_account").imported

    report.write(tmp_path)
    assert "| auth_user | 300 |" in (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "duplicate email (by case)" in (tmp_path / "auth_user.csv").read_text(encoding="utf-8")


async def test_imported_passwords_verify_with_the_original_passwords(
    source_url: tuple[str, Planted], database: Database
) -> None:
    url, planted = source_url
    await _import(url, database)
    assert planted.sign_in
    async with database.engine.connect() as conn:
        for email, password in planted.sign_in.items():
            stored = (
                await conn.execute(
                    select(AuthAccount.password)
                    .join(AuthUser, AuthUser.id == AuthAccount.id_user)
                    .where(AuthUser.email == email.lower(), AuthAccount.id_provider == "credential")
                )
            ).scalar_one()
            assert stored is not None
            assert verify_password(stored, password)
            assert not verify_password(stored, password + "x")
            assert needs_rehash(stored)
