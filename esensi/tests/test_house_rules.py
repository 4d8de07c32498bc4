"""House rules kept by tests instead of contracts (design/architecture.md section 2)."""

import re
from pathlib import Path

import rlib

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [ROOT / "rlib" / "src", ROOT / "esensi" / "src"]


def _python_files():
    for base in SOURCES:
        yield from base.rglob("*.py")


def test_only_the_transaction_module_commits_a_session():
    pattern = re.compile(r"\b(session|db|conn|connection)\.commit\(")
    allowed = {ROOT / "rlib/src/rlib/db/tx.py", ROOT / "esensi/src/esensi/migrations/env.py"}
    offenders = [
        path for path in _python_files() if path not in allowed and pattern.search(path.read_text())
    ]
    assert offenders == []


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
