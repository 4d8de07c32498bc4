"""The import benchmark's harness at a tiny scale: source made, import and COPY timed over the
same rows, the Markdown written. It says nothing about speed (CI's machine is not the bench's)."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from bench.import_original import ImportBench, _admin, ensure_source, measure, parse_report, write

PG_URL = os.environ.get("ESENSI_TEST_DATABASE_URL")


def test_the_report_parser_reads_every_table_row() -> None:
    text = "| table | source | imported | repaired | rejected |\n|---|---|---|---|---|\n"
    text += "| auth_user | 10 | 9 | 2 | 1 |\n| chapter | 3 | 3 | 0 | 0 |\n"
    text += "| t_sales_download | 4 | 3 | 0 | 1 | 7 |\n"
    assert parse_report(text) == {
        "auth_user": (10, 9, 2, 1),
        "chapter": (3, 3, 0, 0),
        "t_sales_download": (4, 3, 0, 1),
    }


@pytest.mark.postgres
@pytest.mark.skipif(PG_URL is None, reason="needs ESENSI_TEST_DATABASE_URL (CI always sets it)")
def test_a_tiny_run_imports_and_copies_the_same_rows_and_writes_the_figures(
    tmp_path: Path,
) -> None:
    cfg = ImportBench(
        url=str(PG_URL), rows=2_000, batch=300, prefix=f"k_bench_{os.getpid()}", floor=False
    )
    try:
        result = asyncio.run(measure(cfg))
        assert result.source_seconds is not None  # made, not found
        assert result.rows == sum(source for source, *_ in result.tables.values())
        assert {"auth_user", "product", "chapter"} <= set(result.tables)
        for source, imported, _, rejected in result.tables.values():
            assert imported + rejected == source
        assert result.import_seconds > 0
        assert result.copy_seconds > 0
        assert result.startup_seconds > 0
        assert asyncio.run(ensure_source(cfg)) is None  # kept for the next run
        text = write(cfg, result, tmp_path).read_text(encoding="utf-8")
        assert f"| import | {result.rows:,} |" in text
        assert "Ratio import/COPY" in text
    finally:
        names = [f"original_{cfg.rows}", "import", "import_copy", "import_floor"]
        drops = [f'DROP DATABASE IF EXISTS "{cfg.prefix}_{n}" WITH (FORCE)' for n in names]
        asyncio.run(_admin(cfg, *drops, "SELECT 1"))
