"""Create an original esensi database filled with the import tests' dirty fixture, to try it.

    uv run python esensi/tests/import_original/make_original.py \\
        postgresql://postgres@127.0.0.1:5432/esensi_original

creates the database (``--replace`` drops an existing one first; without it an existing
database is refused), runs ``original_schema.sql`` (the original's Prisma schema as PostgreSQL
DDL) and fills it with :func:`original_data.fill` — the same rows for the same ``--seed`` and
sizes, every kind of dirty data the import reports — then prints the row counts and a few
logins with their original passwords to sign in with after the import. ``--users``,
``--products`` and ``--orders`` scale it (the benchmark fills ~1M rows this way).
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # esensi/tests, when run as a script

from import_original.original_data import Planted, fill

SCHEMA_SQL = Path(__file__).with_name("original_schema.sql")
# ``INSERT INTO t (a, b) VALUES ($1, $2)``: only placeholders, so the rows can be COPYed.
_PLAIN_INSERT = re.compile(
    r"^\s*INSERT INTO \"?(\w+)\"? \(([^)]*)\)\s*VALUES \(\s*(\$\d+\s*,\s*)*\$\d+\s*\)\s*$",
    re.IGNORECASE,
)


class CopyingConnection:
    """The generator's connection, with ``executemany`` of a plain INSERT sent as one binary
    ``COPY`` (the same rows, ~10x faster at a million); anything else goes through as is."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def executemany(self, statement: str, rows: Iterable[Sequence[Any]]) -> None:
        plain = _PLAIN_INSERT.match(statement)
        if plain is None:
            await self._conn.executemany(statement, rows)
            return
        columns = [column.strip().strip('"') for column in plain.group(2).split(",")]
        await self._conn.copy_records_to_table(
            plain.group(1), records=[tuple(row) for row in rows], columns=columns
        )

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)


def libpq_url(url: str) -> str:
    """``postgresql+asyncpg://…`` (SQLAlchemy's form) or ``postgresql://…`` → the plain form."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def create_database(url: str, *, replace: bool) -> None:
    """Create the (empty) database named in ``url``, from the server's ``postgres`` database."""
    name = make_url(url).database
    admin = await asyncpg.connect(libpq_url(str(make_url(url).set(database="postgres"))))
    try:
        exists = await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if exists and not replace:
            raise SystemExit(f"database {name!r} exists: pass --replace to drop and recreate it")
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()


async def make_original(
    url: str,
    *,
    replace: bool = False,
    seed: int = 20,
    users: int = 600,
    products: int = 300,
    orders: int = 900,
) -> Planted:
    """A new original database at ``url``, schema and fixture rows; returns what was planted."""
    await create_database(url, replace=replace)
    conn = await asyncpg.connect(libpq_url(url))
    try:
        await conn.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
        planted = await fill(
            CopyingConnection(conn),
            seed,  # type: ignore[arg-type]
            users=users,
            products=products,
            orders=orders,
        )
        await conn.execute("ANALYZE")
        return planted
    finally:
        await conn.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="postgresql://user@host:port/name of the database to create")
    parser.add_argument("--replace", action="store_true", help="drop the database first")
    parser.add_argument("--seed", type=int, default=20)
    parser.add_argument("--users", type=int, default=600)
    parser.add_argument("--products", type=int, default=300)
    parser.add_argument("--orders", type=int, default=900)
    args = parser.parse_args(argv)
    started = time.monotonic()
    planted = asyncio.run(
        make_original(
            args.url,
            replace=args.replace,
            seed=args.seed,
            users=args.users,
            products=args.products,
            orders=args.orders,
        )
    )
    out = sys.stdout
    total = sum(planted.rows.values())
    out.write(
        f"{make_url(args.url).database}: {total} rows in {time.monotonic() - started:.1f} s\n"
    )
    for table, count in sorted(planted.rows.items()):
        out.write(f"  {table}: {count}\n")
    out.write("dirty rows planted: " + ", ".join(f"{k} {v}" for k, v in planted.dirty.items()))
    out.write("\nsign in after the import with (email / original password):\n")
    for email, password in list(planted.sign_in.items())[:3]:
        out.write(f"  {email} / {password}\n")


if __name__ == "__main__":
    main()
