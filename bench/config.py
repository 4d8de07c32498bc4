"""Where the bench database is and how big it is; read from ``BENCH_*`` variables by the apps."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from sqlalchemy.engine import make_url

from bench import data

DEFAULT_PG_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/rlib_bench"
DEFAULT_SQLITE_URL = "sqlite+aiosqlite:///var/bench/bench.sqlite3"
POOL_SIZE = 8


@dataclass(frozen=True, slots=True)
class BenchConfig:
    """The database URL (SQLAlchemy form) and the data scale."""

    database_url: str = DEFAULT_PG_URL
    scale: data.Scale = field(default_factory=data.Scale)

    @classmethod
    def from_env(cls) -> BenchConfig:
        """What the harness hands the app processes through the environment."""
        scale = data.TINY if os.environ.get("BENCH_SCALE") == "tiny" else data.FULL
        return cls(database_url=os.environ.get("BENCH_DATABASE_URL", DEFAULT_PG_URL), scale=scale)

    def env(self) -> dict[str, str]:
        """The variables that recreate this config in a child process."""
        return {
            "BENCH_DATABASE_URL": self.database_url,
            "BENCH_SCALE": "tiny" if self.scale == data.TINY else "full",
        }

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def backend(self) -> str:
        return "sqlite" if self.is_sqlite else "postgresql"

    @property
    def dsn(self) -> str:
        """The plain libpq DSN for asyncpg (or the file path for SQLite)."""
        url = make_url(self.database_url)
        if self.is_sqlite:
            return str(url.database)
        return url.set(drivername="postgresql").render_as_string(hide_password=False)

    @property
    def db_name(self) -> str:
        return str(make_url(self.database_url).database)

    @property
    def admin_dsn(self) -> str:
        url = make_url(self.database_url).set(drivername="postgresql", database="postgres")
        return url.render_as_string(hide_password=False)
