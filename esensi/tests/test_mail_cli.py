"""The demo mail flow from the command line: seed queues welcomes, the worker writes .eml files."""

import asyncio
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from esensi.cli import app
from esensi.models.customer import Customer
from rlib import DatabaseConfig
from rlib.db.engine import Database

runner = CliRunner()


@pytest.fixture
def demo_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    url = f"sqlite+aiosqlite:///{tmp_path / 'var' / 'mail.sqlite3'}"
    monkeypatch.setenv("ESENSI_DATABASE_URL", url)
    outbox_dir = tmp_path / "var" / "mail"
    accounts = {"demo": {"transport": "file", "directory": str(outbox_dir)}}
    monkeypatch.setenv("ESENSI_MAIL__ACCOUNTS", json.dumps(accounts))
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0

    async def add_customers() -> None:
        database = Database(DatabaseConfig(url=url))
        unit = database.unit()
        try:
            unit.session.add_all(
                [Customer(name=f"Pembaca {n}", email=f"pembaca{n}@contoh.id") for n in range(2)]
            )
            await unit.commit()
        finally:
            await unit.close()
            await database.dispose()

    asyncio.run(add_customers())
    return outbox_dir


def test_seed_queues_welcomes_once_and_the_worker_writes_them(demo_env: Path):
    first = runner.invoke(app, ["seed", "--demo", "--quiet"])
    welcomed = int(re.search(r"'welcome mail': (\d+)", " ".join(first.output.split())).group(1))
    assert welcomed >= 2, first.output
    again = runner.invoke(app, ["seed", "--demo", "--quiet"])
    assert "'welcome mail': 0" in " ".join(again.output.split())
    while (
        "claimed 0 message(s)"
        not in (worker := runner.invoke(app, ["mail", "worker", "--once"])).output
    ):
        assert worker.exit_code == 0, worker.output
    files = sorted(demo_env.glob("*.eml"))
    assert len(files) >= welcomed
    content = "\n".join(path.read_text() for path in files)
    assert "To: pembaca0@contoh.id" in content
    assert "Selamat datang di Esensi Online, Pembaca 0" in content


def test_preview_prints_a_template_and_refuses_an_unknown_one():
    shown = runner.invoke(app, ["mail", "preview", "otp-code", "--part", "subject"])
    assert shown.output.strip() == "Kode verifikasi Esensi Online: 482913"
    english = runner.invoke(app, ["mail", "preview", "otp-code", "--lang", "en"])
    assert "Your verification code: 482913" in english.output
    assert runner.invoke(app, ["mail", "preview", "nope"]).exit_code != 0
