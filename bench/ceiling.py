"""The database's own ceiling for a list scenario: ``pgbench -f`` with H's exact SQL.

One pgbench transaction is one request's statements (rows, count, the author include), with
the values of a sample of the scenario's rotation written in as literals (pgbench has no
string variables) and the author ids those rows really reference. pgbench runs on the client
core with as many clients as the apps' pools hold; its tps is what PostgreSQL alone can serve,
shown as a line beside the apps in the table.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import asyncpg

from bench import contract, scenarios
from bench.config import POOL_SIZE, BenchConfig
from bench.servers import CLIENT_CORE, pinned

SAMPLE = 20
DURATION_S = 5


def _literal(value: object) -> str:
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def _inline(sql: str, args: list[object]) -> str:
    return re.sub(r"\$(\d+)", lambda m: _literal(args[int(m.group(1)) - 1]), sql)


async def _script(conn: asyncpg.Connection, query: scenarios.ListQuery) -> str:
    """H's statements for ``query`` (exact count, include=author) as one pgbench script."""
    where, args = contract.where_clause(query.category, query.search)
    rows_sql = contract.rows_sql(where, len(args))
    values = [*args, contract.PAGE_LIMIT, (query.page - 1) * contract.PAGE_LIMIT]
    rows = await conn.fetch(rows_sql, *values)
    authors = sorted({row["author_id"] for row in rows}) or [0]
    return (
        ";\n".join(
            [
                _inline(rows_sql, values),
                _inline(contract.count_sql(where), args),
                f"SELECT id, name FROM author WHERE id = ANY(ARRAY{authors}::int[])",
            ]
        )
        + ";\n"
    )


async def write_scripts(
    cfg: BenchConfig, scenario: scenarios.Scenario, directory: Path
) -> list[Path]:
    """One script file per request of a sample of the rotation."""
    conn = await asyncpg.connect(cfg.dsn)
    try:
        paths = []
        for i, query in enumerate(scenario.requests[:SAMPLE]):
            assert isinstance(query, scenarios.ListQuery)
            path = directory / f"{scenario.name}-pgbench-{i}.sql"
            path.write_text(await _script(conn, query))
            paths.append(path)
        return paths
    finally:
        await conn.close()


def run_pgbench(
    cfg: BenchConfig, scripts: list[Path], duration_s: int = DURATION_S
) -> dict[str, Any]:
    """pgbench over ``scripts`` (chosen at random per transaction); tps and latency average."""
    binary = shutil.which("pgbench")
    if binary is None:
        return {"skipped": "pgbench is not installed (Debian: postgresql-client)"}
    argv = [binary, "-n", "-M", "prepared", "-c", str(POOL_SIZE), "-j", "1", "-T", str(duration_s)]
    for script in scripts:
        argv += ["-f", str(script)]
    argv.append(cfg.dsn)
    done = subprocess.run(
        pinned(CLIENT_CORE, argv), capture_output=True, text=True, check=True, timeout=120
    )
    tps = re.search(r"tps = ([\d.]+)", done.stdout)
    latency = re.search(r"latency average = ([\d.]+) ms", done.stdout)
    if tps is None:
        raise RuntimeError(f"pgbench printed no tps:\n{done.stdout}\n{done.stderr}")
    return {
        "tps": round(float(tps.group(1)), 1),
        "latency_avg_ms": float(latency.group(1)) if latency else None,
        "clients": POOL_SIZE,
        "duration_s": duration_s,
        "scripts": len(scripts),
    }
