"""House rules kept by tests instead of contracts (design/architecture.md section 2)."""

import ast
import re
from pathlib import Path

import rlib

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [ROOT / "rlib" / "src", ROOT / "esensi" / "src"]


def _python_files():
    for base in SOURCES:
        yield from base.rglob("*.py")


# Where a commit is legitimate, and why. Everything else goes through rlib.db.tx: the request's
# unit (committed by the runner), ``UnitOfWork.transaction()`` blocks and ``separately()``.
COMMIT_ALLOWED = {
    "rlib/src/rlib/db/tx.py": "the unit of work: the one place a transaction is committed",
    "rlib/src/rlib/db/raw.py": "the unit's raw driver connection, committed by the unit only",
    "rlib/src/rlib/runner.py": "the request's edge: one request, one transaction, one commit",
    "esensi/src/esensi/migrations/env.py": "Alembic's migration run, outside any request",
}


def _commits(path: Path) -> list[int]:
    """Lines that name a ``commit`` attribute: any ``x.commit(...)``, also ``(await y).commit``."""
    tree = ast.parse(path.read_text(), filename=str(path))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr == "commit"
    ]


def test_only_the_transaction_helpers_commit():
    offenders = {
        str(path.relative_to(ROOT)): lines
        for path in _python_files()
        if str(path.relative_to(ROOT)) not in COMMIT_ALLOWED and (lines := _commits(path))
    }
    assert offenders == {}


def test_the_commit_rule_sees_every_spelling(tmp_path):
    spellings = [
        "await unit.commit()",
        "await session.commit()",
        "await self._session.commit()",
        "await (await engine.connect()).commit()",
        "finish = conn.commit",
    ]
    for index, line in enumerate(spellings):
        source = tmp_path / f"s{index}.py"
        source.write_text(f"async def f(unit, session, self, engine, conn):\n    {line}\n")
        assert _commits(source) == [2], line
    quiet = tmp_path / "quiet.py"
    quiet.write_text('"""Nothing here calls .commit() on anything."""\nunit.on_commit(f)\n')
    assert _commits(quiet) == []


def test_every_allowed_commit_file_exists_and_commits():
    for name in COMMIT_ALLOWED:
        assert _commits(ROOT / name), f"{name} is allowed to commit but no longer does: drop it"


def test_only_settings_reads_the_environment():
    offenders = [
        path
        for path in _python_files()
        if path.name != "settings.py" and re.search(r"os\.environ|getenv\(", path.read_text())
    ]
    assert offenders == []


def test_public_api_is_explicit_and_sorted():
    assert rlib.__all__ == sorted(rlib.__all__)
    assert all(hasattr(rlib, name) for name in rlib.__all__)


def test_no_source_file_exceeds_400_lines():
    migrations = ROOT / "esensi/src/esensi/migrations/versions"
    long_files = [
        (path, n)
        for path in _python_files()
        if migrations not in path.parents and (n := len(path.read_text().splitlines())) > 400
    ]
    assert long_files == []


def _signature_equalities(path: Path) -> list[int]:
    """Lines comparing something named ``*signature*`` with ``==`` / ``!=`` (a timing leak:
    signatures are compared with ``hmac.compare_digest``, security.md M1)."""

    def named(node: ast.AST) -> bool:
        name = node.id if isinstance(node, ast.Name) else getattr(node, "attr", "")
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
            name = str(node.slice.value)
        return "signature" in str(name).lower()

    tree = ast.parse(path.read_text(), filename=str(path))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Compare)
        and any(isinstance(op, ast.Eq | ast.NotEq) for op in node.ops)
        and any(named(part) for part in [node.left, *node.comparators])
    ]


def test_signatures_are_never_compared_with_equality(tmp_path):
    offenders = {
        str(p.relative_to(ROOT)): n for p in _python_files() if (n := _signature_equalities(p))
    }
    assert offenders == {}
    leak = tmp_path / "leak.py"
    leak.write_text("ok = body['signature_key'] == expected\nbad = signature != sent\n")
    assert _signature_equalities(leak) == [1, 2]
