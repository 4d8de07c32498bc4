"""Typed configuration objects with the framework's defaults; this module reads no environment.

The app builds these from its own settings and hands them to ``create_app``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

Environment = Literal["development", "test", "production"]

DEFAULT_SQLITE_URL = "sqlite+aiosqlite:///var/esensi.sqlite3"


@dataclass(frozen=True, slots=True)
class DatabaseConfig:
    """Where the database is and how the pool behaves.

    ``url`` selects the backend: ``postgresql+asyncpg://`` or ``sqlite+aiosqlite:///path``.
    """

    url: str = DEFAULT_SQLITE_URL
    pool_size: int = 8
    max_overflow: int = 4
    pool_timeout_s: float = 10.0
    pool_recycle_s: int = 1800
    statement_timeout_ms: int = 30_000
    sqlite_busy_timeout_ms: int = 5_000
    echo: bool = False

    @property
    def is_sqlite(self) -> bool:
        """True for the embedded backend."""
        return self.url.startswith("sqlite")


@dataclass(frozen=True, slots=True)
class LimitsConfig:
    """Input limits applied to every endpoint unless it declares its own."""

    max_body_bytes: int = 1024 * 1024
    max_query_bytes: int = 8 * 1024
    max_json_depth: int = 64
    body_timeout_s: float = 30.0


@dataclass(frozen=True, slots=True)
class HostsConfig:
    """Host name -> host key (``main``, ``chapter``...). Empty: every domain on every host."""

    hosts: Mapping[str, str] = field(default_factory=dict)

    def key_for(self, host: str | None) -> str | None:
        """The host key of a ``Host`` header value (port ignored), or None."""
        if not host or not self.hosts:
            return None
        return self.hosts.get(host.rsplit(":", 1)[0].lower())

    @property
    def configured(self) -> bool:
        """True when domains are dispatched by host."""
        return bool(self.hosts)


@dataclass(frozen=True, slots=True)
class RlibConfig:
    """Everything ``create_app`` needs besides the registry and the catalogue."""

    env: Environment = "development"
    database: DatabaseConfig = field(default_factory=DatabaseConfig)
    limits: LimitsConfig = field(default_factory=LimitsConfig)
    hosts: HostsConfig = field(default_factory=HostsConfig)
    after_commit_timeout_s: float = 5.0
    log_json: bool = True
