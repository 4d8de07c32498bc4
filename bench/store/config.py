"""Where scenario (f)'s database is: the esensi schema with ``esensi seed --demo --scale N``."""

from __future__ import annotations

import os
from dataclasses import dataclass

from sqlalchemy.engine import make_url

DEFAULT_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/esensi_bench"
DEFAULT_SCALE = 2400  # about 100k products
POOL_SIZE = 8


@dataclass(frozen=True, slots=True)
class StoreConfig:
    """The database URL (SQLAlchemy form) and the seed scale."""

    database_url: str = DEFAULT_URL
    scale: int = DEFAULT_SCALE

    @classmethod
    def from_env(cls) -> StoreConfig:
        return cls(
            database_url=os.environ.get("BENCH_STORE_DATABASE_URL", DEFAULT_URL),
            scale=int(os.environ.get("BENCH_STORE_SCALE", DEFAULT_SCALE)),
        )

    def env(self) -> dict[str, str]:
        """What the app processes read: ours, and esensi's own settings for O."""
        return {
            "BENCH_STORE_DATABASE_URL": self.database_url,
            "BENCH_STORE_SCALE": str(self.scale),
            "ESENSI_DATABASE_URL": self.database_url,
            "ESENSI_POOL__SIZE": str(POOL_SIZE),
            "ESENSI_POOL__MAX_OVERFLOW": "0",
            "ESENSI_LOG_LEVEL": "WARNING",
        }

    @property
    def dsn(self) -> str:
        """The libpq DSN for asyncpg."""
        url = make_url(self.database_url).set(drivername="postgresql")
        return url.render_as_string(hide_password=False)

    @property
    def admin_dsn(self) -> str:
        url = make_url(self.database_url).set(drivername="postgresql", database="postgres")
        return url.render_as_string(hide_password=False)

    @property
    def db_name(self) -> str:
        return str(make_url(self.database_url).database)
