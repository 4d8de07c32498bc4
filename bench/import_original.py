"""Issue 20's benchmark: ``esensi import-original`` against a plain ``COPY`` of the same rows.

1. The source: an original esensi database (``original_schema.sql``) filled by the import
   tests' generator scaled to ``--rows`` (~1M by default; ``make_original``, its plain inserts
   sent as COPY). Made once per scale: the database's comment records the scale and seed.
2. The import: a fresh esensi database (``esensi db upgrade``, not timed), then the real
   command ``esensi import-original --from <source> --quiet --batch N`` in a child process,
   timed wall-clock. Its rows are the source rows of every table it imported (its report).
3. The ceiling: the same tables, the same rows, copied from the source into a fresh database
   with the original's schema by ``COPY … TO STDOUT`` piped into ``COPY … FROM STDIN`` (binary,
   asyncpg, one table after another in one transaction; the original's foreign keys, which
   form cycles, made deferrable and checked at the commit), timed the same way.
4. For information, the floor: the rows the import wrote copied the same way from its target
   into a fresh migrated esensi database (what our constraints and indexes cost alone).

Both figures are rows/s on this machine in the same run; the ratio import/COPY is the result
(target ≥ 0.3). Written to ``bench/results/<date>-import.md``.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "esensi" / "tests"))

from import_original.make_original import SCHEMA_SQL, make_original  # noqa: E402

DEFAULT_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/rlib_bench"
TARGET_RATIO = 0.3
# The fixture's proportions (600 users, 300 products, 900 orders make ~7,070 rows).
ROWS_PER_FIXTURE = 7_070
# source, imported, repaired, rejected (and derived, which the counts here leave out)
_ROW = re.compile(r"^\| (\w+) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \|(?: \d+ \|)?$", re.MULTILINE)


@dataclass(frozen=True)
class ImportBench:
    """Where the three databases live and how big the source is."""

    url: str = DEFAULT_URL  # any database on the server; the bench makes its own next to it
    rows: int = 1_000_000
    batch: int = 5_000
    seed: int = 20
    prefix: str = "rlib_bench"
    floor: bool = True  # also measure the COPY into our schema (one more migration)

    def database(self, suffix: str) -> str:
        """A SQLAlchemy URL for ``<prefix>_<suffix>`` on the same server."""
        url = make_url(self.url).set(drivername="postgresql+asyncpg")
        return url.set(database=f"{self.prefix}_{suffix}").render_as_string(hide_password=False)

    @property
    def source(self) -> str:
        return self.database(f"original_{self.rows}")

    def sizes(self) -> dict[str, int]:
        factor = self.rows / ROWS_PER_FIXTURE
        return {
            "users": max(60, round(600 * factor)),
            "products": max(30, round(300 * factor)),
            "orders": max(90, round(900 * factor)),
        }


@dataclass
class Result:
    rows: int
    import_seconds: float
    copy_seconds: float
    source_seconds: float | None
    tables: dict[str, tuple[int, int, int, int]] = field(default_factory=dict)
    floor_seconds: float = 0.0
    floor_rows: int = 0
    startup_seconds: float = 0.0  # ``esensi import-original --help``: the command's start-up

    @property
    def import_rate(self) -> float:
        return self.rows / self.import_seconds

    @property
    def copy_rate(self) -> float:
        return self.rows / self.copy_seconds

    @property
    def ratio(self) -> float:
        return self.import_rate / self.copy_rate


def _dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def _admin(cfg: ImportBench, *statements: str) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(_dsn(str(make_url(cfg.url).set(database="postgres"))))
    try:
        for statement in statements[:-1]:
            await conn.execute(statement)
        return list(await conn.fetch(statements[-1]))
    finally:
        await conn.close()


async def _recreate(cfg: ImportBench, url: str) -> None:
    name = make_url(url).database
    await _admin(cfg, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')


def _marker(cfg: ImportBench) -> str:
    sizes = " ".join(f"{name}={size}" for name, size in cfg.sizes().items())
    return f"make_original seed={cfg.seed} {sizes}"


async def ensure_source(cfg: ImportBench) -> float | None:
    """Fill the source unless it holds this scale already; the seconds it took (None: kept)."""
    name = make_url(cfg.source).database
    found = await _admin(
        cfg,
        "SELECT shobj_description(oid, 'pg_database') AS c FROM pg_database "
        f"WHERE datname = '{name}'",
    )
    if found and found[0]["c"] == _marker(cfg):
        return None
    started = time.monotonic()
    await make_original(cfg.source, replace=True, seed=cfg.seed, **cfg.sizes())
    seconds = time.monotonic() - started
    await _admin(cfg, f"COMMENT ON DATABASE \"{name}\" IS '{_marker(cfg)}'", "SELECT 1")
    return seconds


def _esensi(url: str, *args: str) -> None:
    env = {**os.environ, "ESENSI_DATABASE_URL": url, "ESENSI_LOG_LEVEL": "WARNING"}
    command = [sys.executable, "-c", "from esensi.cli import main; main()", *args]
    subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def parse_report(text: str) -> dict[str, tuple[int, int, int, int]]:
    """``report.md``'s rows: table → (source, imported, repaired, rejected)."""
    return {m[1]: (int(m[2]), int(m[3]), int(m[4]), int(m[5])) for m in _ROW.finditer(text)}


def startup_seconds(cfg: ImportBench) -> float:
    """How long the command takes to start (and print its help): Python and esensi's imports."""
    started = time.monotonic()
    _esensi(cfg.database("import"), "import-original", "--help")
    return time.monotonic() - started


async def run_import(cfg: ImportBench) -> tuple[float, dict[str, tuple[int, int, int, int]]]:
    """A fresh target, migrated; the command timed; the report's counts."""
    target = cfg.database("import")
    await _recreate(cfg, target)
    _esensi(target, "db", "upgrade")
    with tempfile.TemporaryDirectory() as reports:
        started = time.monotonic()
        _esensi(
            target,
            "import-original",
            "--from",
            _dsn(cfg.source),
            "--quiet",
            "--batch",
            str(cfg.batch),
            "--report-dir",
            reports,
        )
        seconds = time.monotonic() - started
        (report,) = Path(reports).glob("*/report.md")
        return seconds, parse_report(report.read_text(encoding="utf-8"))


async def _copy_table(source: asyncpg.Connection, target: asyncpg.Connection, table: str) -> int:
    pipe: asyncio.Queue[bytes | None] = asyncio.Queue(maxsize=64)

    async def produce() -> None:
        try:
            await source.copy_from_table(table, output=pipe.put, format="binary")
        finally:
            await pipe.put(None)

    async def chunks():  # type: ignore[no-untyped-def]
        while (chunk := await pipe.get()) is not None:
            yield chunk

    _, status = await asyncio.gather(
        produce(), target.copy_to_table(table, source=chunks(), format="binary")
    )
    return int(str(status).split()[-1])


async def run_copy(cfg: ImportBench, tables: list[str]) -> tuple[float, int]:
    """The same tables copied into a fresh database of the original's schema, timed."""
    target_url = cfg.database("import_copy")
    await _recreate(cfg, target_url)
    target = await asyncpg.connect(_dsn(target_url))
    source = await asyncpg.connect(_dsn(cfg.source))
    try:
        await target.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
        # The original's foreign keys form cycles (auth_user <-> customer): made deferrable,
        # they are checked at the copy's commit, which is timed (the import checks ours too).
        for fk in await target.fetch(
            "SELECT conrelid::regclass::text AS t, conname FROM pg_constraint WHERE contype = 'f'"
        ):
            await target.execute(
                f'ALTER TABLE {fk["t"]} ALTER CONSTRAINT "{fk["conname"]}" '
                "DEFERRABLE INITIALLY DEFERRED"
            )
        started = time.monotonic()
        copied = 0
        async with (
            source.transaction(readonly=True, isolation="repeatable_read"),
            target.transaction(),
        ):
            for table in tables:
                copied += await _copy_table(source, target, table)
        return time.monotonic() - started, copied
    finally:
        await source.close()
        await target.close()


async def run_floor(cfg: ImportBench) -> tuple[float, int]:
    """What writing into *our* schema costs by itself: the rows the import wrote, copied from
    its target into a fresh migrated database by the same binary COPY pipe, timed the same
    way (tables in dependency order, one transaction, our constraints checked)."""
    from esensi.models import metadata

    floor_url = cfg.database("import_floor")
    await _recreate(cfg, floor_url)
    _esensi(floor_url, "db", "upgrade")
    source = await asyncpg.connect(_dsn(cfg.database("import")))
    target = await asyncpg.connect(_dsn(floor_url))
    try:
        started = time.monotonic()
        copied = 0
        async with target.transaction():
            for table in metadata.sorted_tables:
                if await source.fetchval(f'SELECT EXISTS (SELECT 1 FROM "{table.name}")'):
                    copied += await _copy_table(source, target, table.name)
        return time.monotonic() - started, copied
    finally:
        await source.close()
        await target.close()


async def measure(cfg: ImportBench) -> Result:
    source_seconds = await ensure_source(cfg)
    import_seconds, tables = await run_import(cfg)
    copy_seconds, copied = await run_copy(cfg, list(tables))
    rows = sum(source for source, *_ in tables.values())
    if copied != rows:
        raise RuntimeError(f"COPY moved {copied} rows, the import read {rows}")
    result = Result(rows, import_seconds, copy_seconds, source_seconds, tables)
    result.startup_seconds = startup_seconds(cfg)
    if cfg.floor:
        result.floor_seconds, result.floor_rows = await run_floor(cfg)
        imported = sum(imported for _, imported, *_ in tables.values())
        if result.floor_rows < imported:
            raise RuntimeError(f"our schema holds {result.floor_rows}, the import wrote {imported}")
    return result


def markdown(cfg: ImportBench, result: Result) -> str:
    verdict = "meets" if result.ratio >= TARGET_RATIO else "MISSES"
    made = (
        "kept from an earlier run"
        if result.source_seconds is None
        else f"made in {result.source_seconds:.1f} s"
    )
    lines = [
        f"# import-original benchmark — {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"Source: the import fixture scaled to {cfg.rows:,} rows ({cfg.sizes()}; {made}). "
        f"`esensi import-original --batch {cfg.batch}` into a fresh migrated PostgreSQL "
        "database, against `COPY … TO STDOUT` → `COPY … FROM STDIN` (binary, asyncpg) of the "
        "same tables into a fresh database of the original's schema (one transaction, its "
        "foreign keys deferred to the commit). Same server, same run.",
        "",
        "| | rows | seconds | rows/s |",
        "|---|---:|---:|---:|",
        f"| import | {result.rows:,} | {result.import_seconds:.1f} | {result.import_rate:,.0f} |",
        f"| COPY | {result.rows:,} | {result.copy_seconds:.1f} | {result.copy_rate:,.0f} |",
        *(
            [
                f"| COPY into our schema | {result.floor_rows:,} | "
                f"{result.floor_seconds:.1f} | {result.floor_rows / result.floor_seconds:,.0f} |"
            ]
            if result.floor_seconds
            else []
        ),
        "",
        f"**Ratio import/COPY: {result.ratio:.2f}** ({verdict} the target ≥ {TARGET_RATIO}).",
        "",
        "The third line is not part of the ratio: the rows the import wrote, copied by the "
        "same COPY pipe from its target into a fresh migrated esensi database — what our "
        "schema's constraints and indexes cost by themselves (the import's floor), against "
        "the original's schema in the second line. Import seconds are the whole command, "
        f"start-up included: the command alone (`esensi import-original --help`) took "
        f"{result.startup_seconds:.1f} s, so the import proper ran at "
        f"{result.rows / max(result.import_seconds - result.startup_seconds, 1e-9):,.0f} rows/s.",
        "",
        "| table | source | imported | repaired | rejected |",
        "|---|---:|---:|---:|---:|",
        *(f"| {t} | {s} | {i} | {rep} | {rej} |" for t, (s, i, rep, rej) in result.tables.items()),
        "",
    ]
    return "\n".join(lines)


def write(cfg: ImportBench, result: Result, directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{dt.datetime.now(dt.UTC):%Y-%m-%d}-import.md"
    path.write_text(markdown(cfg, result), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="esensi import-original vs a plain COPY")
    parser.add_argument("--rows", type=int, default=1_000_000, help="source size (~rows)")
    parser.add_argument("--batch", type=int, default=5_000, help="the import's --batch")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args(argv)
    cfg = ImportBench(
        url=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL), rows=args.rows, batch=args.batch
    )
    result = asyncio.run(measure(cfg))
    path = write(cfg, result, args.out)
    sys.stdout.write(markdown(cfg, result) + f"\nwritten: {path}\n")


if __name__ == "__main__":
    main()
