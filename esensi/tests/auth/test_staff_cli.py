"""``esensi user create-staff``: the staff member can sign in and carries the role flags."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from esensi.app import build_app
from esensi.cli import app as cli
from esensi.models.audit import AuditLog
from esensi.models.internal import Internal
from esensi.settings import Settings
from rlib import DatabaseConfig
from rlib.db.engine import Database
from rlib.testing import app_client

runner = CliRunner()


@pytest.fixture
def sqlite_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'staff.sqlite3'}"
    monkeypatch.setenv("ESENSI_DATABASE_URL", url)
    assert runner.invoke(cli, ["db", "upgrade"]).exit_code == 0
    return url


def _create(*args: str, password: str = "staf-rahasia-123"):
    base = ["user", "create-staff", "--email", "Staf@Esensi.Online", "--name", "Staf"]
    return runner.invoke(cli, [*base, *args], input=f"{password}\n{password}\n")


async def test_created_staff_signs_in_with_their_roles(sqlite_env):
    # The command runs its own event loop, so it cannot run on the test's.
    result = await asyncio.to_thread(_create, "--role", "support", "--role", "management")
    assert result.exit_code == 0, result.output
    async with app_client(build_app(Settings(env="test", database_url=sqlite_env))) as client:
        signed = await client.post(
            "/api/auth/sign-in/email",
            json={"email": "staf@esensi.online", "password": "staf-rahasia-123"},
        )
        assert signed.status_code == 200, signed.text
        user = signed.json()["user"]
    flags = {k: v for k, v in user.items() if k.startswith("is")}
    assert flags == {
        "isManagement": True,
        "isSupport": True,
        "isSalesAndMarketing": False,
        "isIt": False,
    }


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("password123", "password: This password is too easy to guess"),
        ("Sunshine1", "password: This password is too easy to guess"),
        ("pendek", "password: The password must be 8 to 128 characters"),
        ("x" * 129, "password: The password must be 8 to 128 characters"),
    ],
)
def test_a_password_the_policy_refuses_is_refused_with_its_message(sqlite_env, password, message):
    result = _create("--role", "it", password=password)
    assert result.exit_code == 1
    assert message in result.output
    assert _create("--role", "it").exit_code == 0  # nothing was written by the refusal


def test_unknown_role_short_password_and_duplicates_are_refused(sqlite_env):
    assert _create("--role", "janitor").exit_code == 1
    assert _create("--role", "it", password="pendek").exit_code == 1
    assert _create("--role", "it").exit_code == 0
    duplicate = _create("--role", "it")
    assert duplicate.exit_code == 1


async def test_created_staff_profile_link_is_audited_as_the_system(sqlite_env):
    result = await asyncio.to_thread(_create, "--role", "it")
    assert result.exit_code == 0, result.output
    staff_id = result.output.strip().rsplit(" ", 1)[-1]
    database = Database(DatabaseConfig(url=sqlite_env))
    try:
        async with database.sessionmaker() as db:
            rows = (await db.scalars(select(AuditLog))).all()
            staff = await db.get(Internal, uuid.UUID(staff_id))
    finally:
        await database.dispose()
    assert staff is not None
    [row] = rows
    assert (row.action, row.actor_type, row.id_user) == ("user.profile_link", "system", None)
    assert (row.entity, row.entity_id) == ("internal", staff_id)
    assert row.after == {"id_user": str(staff.id_user)}
