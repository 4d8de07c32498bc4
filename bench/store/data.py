"""Scenario (f)'s data: the esensi schema (``esensi db upgrade``) and ``esensi seed --demo
--scale N`` in their own database, made once; the database's comment records the scale."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time

import asyncpg

from bench.servers import ROOT
from bench.store.config import StoreConfig

logger = logging.getLogger("bench.store")


def _marker(scale: int) -> str:
    return f"esensi seed --demo --scale {scale}"


async def _comment(cfg: StoreConfig) -> str | None:
    conn = await asyncpg.connect(cfg.admin_dsn)
    try:
        if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", cfg.db_name):
            await conn.execute(f'CREATE DATABASE "{cfg.db_name}"')
            return None
        found = await conn.fetchval(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = $1",
            cfg.db_name,
        )
        return None if found is None else str(found)
    finally:
        await conn.close()


def _esensi(cfg: StoreConfig, *args: str) -> None:
    env = {**os.environ, **cfg.env(), "ESENSI_LOG_LEVEL": "WARNING"}
    command = [sys.executable, "-c", "from esensi.cli import main; main()", *args]
    subprocess.run(command, cwd=ROOT, env=env, check=True)


async def ensure_seeded(cfg: StoreConfig) -> float | None:
    """Migrate and seed unless done at this scale; returns the seed's seconds (None: skipped)."""
    if await _comment(cfg) == _marker(cfg.scale):
        return None
    _esensi(cfg, "db", "upgrade")
    started = time.monotonic()
    logger.info("seeding %s at scale %d", cfg.db_name, cfg.scale)
    _esensi(cfg, "seed", "--demo", "--scale", str(cfg.scale), "--quiet")
    seconds = time.monotonic() - started
    conn = await asyncpg.connect(cfg.dsn)
    try:
        await conn.execute("ANALYZE")
        await conn.execute(f"COMMENT ON DATABASE \"{cfg.db_name}\" IS '{_marker(cfg.scale)}'")
    finally:
        await conn.close()
    return seconds


async def drop(cfg: StoreConfig) -> None:
    """Drop the database (the tests' throwaway ones)."""
    conn = await asyncpg.connect(cfg.admin_dsn)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{cfg.db_name}" WITH (FORCE)')
    finally:
        await conn.close()
