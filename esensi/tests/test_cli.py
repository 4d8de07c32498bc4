"""The esensi command: routes (table, JSON, missing spec rows), migrations, the demo seed."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from esensi.cli import app
from esensi.endpoint_spec import pending

runner = CliRunner()


@pytest.fixture
def sqlite_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'var' / 'cli.sqlite3'}"
    monkeypatch.setenv("ESENSI_DATABASE_URL", url)
    monkeypatch.setenv("ESENSI_FILES__DIRECTORY", str(tmp_path / "files"))
    return url


def test_routes_lists_every_domain_with_method_url_and_auth():
    result = runner.invoke(app, ["routes"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    for domain, name, url, auth in [
        ("main", "header", "/api/header", "public"),
        ("chapter", "genre", "/chapter/genre/{slug}/{page:int}", "public"),
        ("publish", "author_detail", "/api/publish/author/detail", "author"),
        ("internal", "cfg_update", "/api/internal/cfg/update", "internal"),
        ("internal", "cfg_list", "/api/internal/cfg", "internal"),
        ("internal", "category_restore", "/api/internal/category/{id}/restore", "internal"),
        ("publish", "book_detail", "/api/publish/book/{id}", "author, publisher"),
        ("publish", "book_trash", "/api/publish/book/trash", "author, publisher"),
        ("auth", "role_check", "/api/auth/role-check", "any"),
        ("root", "health", "/api/health", "public"),
    ]:
        assert any(
            domain in line and f" {name} " in line and url in line and auth in line
            for line in lines
        ), (domain, name)


@pytest.mark.usefixtures("sqlite_env")
def test_db_commands_and_demo_seed_are_idempotent():
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    current = runner.invoke(app, ["db", "current"])
    assert "(head)" in current.output
    check = runner.invoke(app, ["db", "check"])  # the pg_trgm indexes are not SQLite drift
    assert check.exit_code == 0, check.output
    assert check.output.strip() == "no drift"
    first = runner.invoke(app, ["seed", "--demo", "--quiet"])
    assert first.exit_code == 0, first.output
    assert "demo data: 0 rows added" not in first.output  # "2310 rows added" ends the same
    assert "demo book files: 60 written" in first.output
    second = runner.invoke(app, ["seed", "--demo", "--quiet"])
    assert "demo data: 0 rows added" in second.output
    assert "demo book files: 0 written" in second.output
    assert runner.invoke(app, ["db", "downgrade", "base"]).exit_code == 0
    assert "(empty database)" in runner.invoke(app, ["db", "current"]).output


def test_seed_without_a_data_set_is_refused():
    result = runner.invoke(app, ["seed"])
    assert result.exit_code != 0


def test_routes_json_gives_each_endpoint_with_aliases_and_callers():
    result = runner.invoke(app, ["routes", "--json"])
    assert result.exit_code == 0, result.output
    listed = {(e["domain"], e["name"]): e for e in json.loads(result.output)}
    cfg_get = listed[("internal", "cfg_get")]
    assert cfg_get["url"] == "/api/internal/cfg/{id}"
    assert cfg_get["methods"] == ["GET"]
    # a read answers GET at its operation URL too (ADR f-crud-list-get)
    assert {"url": "/api/internal/cfg/get", "methods": ["GET", "POST"]} in cfg_get["aliases"]
    assert listed[("root", "health")]["aliases"] == [
        {"url": "/api/check", "methods": ["GET", "POST"]}
    ]
    assert listed[("main", "header")]["auth"] == ["public"]
    assert listed[("publish", "book_list")]["auth"] == ["author", "publisher"]


def test_routes_missing_agrees_with_the_pending_list():
    result = runner.invoke(app, ["routes", "--missing", "--json"])
    assert result.exit_code == 0, result.output
    missing = {
        domain: {row["name"] for row in rows} for domain, rows in json.loads(result.output).items()
    }
    assert missing == {domain: set(names) for domain, names in pending().items() if names}
    assert missing == {}  # every spec row is served
    text = runner.invoke(app, ["routes", "--missing"]).output
    assert text == "every row of the endpoint table is registered\n"
