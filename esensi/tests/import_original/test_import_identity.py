"""Importing logins: every source row imported or reported, passwords kept, reruns add nothing."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from import_original.original_data import Planted
from import_original.original_source import (
    connect,
    filled_source,
)
from sqlalchemy import func, select
from typer.testing import CliRunner

from esensi.app import auth_kit, build_app
from esensi.cli import app
from esensi.importer.report import Report
from esensi.importer.run import run_import
from esensi.importer.sink import Sink
from esensi.models.auth import AuthAccount, AuthUser
from esensi.settings import Settings
from rlib.auth.mailer import MemoryAuthMailer
from rlib.auth.passwords import needs_rehash, verify_password
from rlib.db.engine import Database
from rlib.testing import app_client

PG_URL = os.environ.get("ESENSI_TEST_DATABASE_URL")
runner = CliRunner()

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(PG_URL is None, reason="needs ESENSI_TEST_DATABASE_URL (CI always sets it)"),
]


@pytest.fixture(scope="module")
def source_url() -> Iterator[tuple[str, Planted]]:
    with filled_source(users=300, products=50, orders=50) as made:
        yield made


async def _import(url: str, database: Database, **options: Any) -> Report:
    return await run_import(url, database, **options)


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
    summary = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert f"| auth_user | {planted.rows['auth_user']} |" in summary
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


async def test_a_dry_run_reports_everything_and_writes_nothing(
    source_url: tuple[str, Planted], database: Database
) -> None:
    url, planted = source_url
    report = await _import(url, database, dry_run=True)
    assert report.table("auth_user").source == planted.rows["auth_user"]
    assert report.table("auth_user").imported > 0
    assert await _count(database, AuthUser) == 0


async def test_small_batches_import_the_same_rows(
    source_url: tuple[str, Planted], database: Database
) -> None:
    url, _ = source_url
    report = await _import(url, database, batch=7)
    assert await _count(database, AuthAccount) == report.table("auth_account").imported


def test_the_command_imports_prints_the_summary_and_writes_the_report(
    source_url: tuple[str, Planted], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, planted = source_url
    monkeypatch.setenv("ESENSI_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'esensi.db'}")
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    args = ["import-original", "--from", url, "--quiet", "--report-dir", str(tmp_path / "r")]
    result = runner.invoke(app, [*args, "--batch", "50"])
    assert result.exit_code == 0, result.output
    assert "auth_user" in result.output
    reports = list((tmp_path / "r").glob("*/report.md"))
    assert len(reports) == 1
    assert f"| auth_user | {planted.rows['auth_user']} |" in reports[0].read_text(encoding="utf-8")
    assert list((tmp_path / "r").glob("*/auth_account.csv"))


async def test_imported_users_sign_in_with_their_original_password_which_becomes_argon2id(
    source_url: tuple[str, Planted], database: Database
) -> None:
    url, planted = source_url
    await _import(url, database)
    settings = Settings(env="test", database_url=database.config.url)
    app = build_app(settings, kit=auth_kit(settings, mailer=MemoryAuthMailer()))
    app.use_database(database)
    email, password = next(iter(planted.sign_in.items()))
    async with app_client(app) as web:
        wrong = await web.post(
            "/api/auth/sign-in/email", json={"email": email, "password": password + "x"}
        )
        assert wrong.status_code == 401, wrong.text
        for _ in range(2):  # the second sign-in verifies the argon2id hash the first wrote
            web.cookies.clear()
            response = await web.post(
                "/api/auth/sign-in/email", json={"email": email, "password": password}
            )
            assert response.status_code == 200, response.text
    async with database.engine.connect() as conn:
        stored = (
            await conn.execute(
                select(AuthAccount.password)
                .join(AuthUser, AuthUser.id == AuthAccount.id_user)
                .where(AuthUser.email == email.lower(), AuthAccount.id_provider == "credential")
            )
        ).scalar_one()
    assert stored is not None
    assert stored.startswith("$argon2id$")


async def test_an_interrupted_run_resumes_where_it_stopped(
    source_url: tuple[str, Planted], database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, _ = source_url
    real = Sink._insert_missing
    calls = 0

    async def dies_on_the_third_batch(self: Sink, table: str, rows: list[dict[str, Any]]) -> int:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise ConnectionError("killed")
        return await real(self, table, rows)

    monkeypatch.setattr(Sink, "_insert_missing", dies_on_the_third_batch)
    with pytest.raises(ConnectionError):
        await _import(url, database, batch=50)
    assert 0 < await _count(database, AuthUser) < 300
    monkeypatch.setattr(Sink, "_insert_missing", real)
    report = await _import(url, database, batch=50)
    assert await _count(database, AuthUser) == report.table("auth_user").imported
    assert await _count(database, AuthAccount) == report.table("auth_account").imported


async def test_google_links_stay_linked_with_their_provider_account_id(
    source_url: tuple[str, Planted], database: Database
) -> None:
    url, _ = source_url
    report = await _import(url, database)
    kept = {row["id"] for _, row in report.table("auth_user").rejected}
    conn = await connect(url)
    try:
        links = await conn.fetch(
            "SELECT id_user, id_account FROM auth_account WHERE id_provider = 'google'"
        )
    finally:
        await conn.close()
    expected = {(r["id_user"], r["id_account"]) for r in links if r["id_user"] not in kept}
    assert expected
    async with database.engine.connect() as target:
        ours = await target.execute(
            select(AuthAccount.id_user, AuthAccount.id_account).where(
                AuthAccount.id_provider == "google"
            )
        )
        assert {(row[0], row[1]) for row in ours.all()} == expected
