"""esensi settings: the only module that reads the environment.

Variables carry the ``ESENSI_`` prefix; sections nest with ``__``
(``ESENSI_LIMITS__MAX_BODY_BYTES``); lists and maps are JSON. Every setting has a default that
works for ``make demo``. The README's settings table lists them all.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from rlib import DatabaseConfig, HostsConfig, LimitsConfig, RlibConfig
from rlib.config import DEFAULT_SQLITE_URL


class PoolSettings(BaseModel):
    """Database pool (PostgreSQL); processes x (size + overflow) stays under max_connections."""

    size: int = Field(default=8, ge=1, le=200)
    max_overflow: int = Field(default=4, ge=0, le=200)
    timeout_s: float = Field(default=10.0, gt=0)
    recycle_s: int = Field(default=1800, ge=60)
    statement_timeout_ms: int = Field(default=30_000, ge=100)
    echo: bool = False


class LimitSettings(BaseModel):
    """Input limits applied to every endpoint unless it declares its own."""

    max_body_bytes: int = Field(default=1024 * 1024, ge=1024)
    max_query_bytes: int = Field(default=8 * 1024, ge=256)
    max_json_depth: int = Field(default=64, ge=2, le=1000)
    body_timeout_s: float = Field(default=30.0, gt=0)


class Settings(BaseSettings):
    """Every setting of esensi; see the README table."""

    model_config = SettingsConfigDict(
        env_prefix="ESENSI_", env_nested_delimiter="__", extra="ignore", frozen=True
    )

    env: Literal["development", "test", "production"] = "development"
    database_url: str = DEFAULT_SQLITE_URL
    redis_url: str | None = None
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    workers: int = Field(default=1, ge=1, le=64)
    hosts: dict[str, Literal["main", "chapter", "publish", "internal", "auth"]] = Field(
        default_factory=dict
    )
    trusted_proxies: list[str] = Field(default_factory=list)
    trusted_origins: list[str] = Field(default_factory=list)
    log_json: bool = True
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    pool: PoolSettings = Field(default_factory=PoolSettings)
    limits: LimitSettings = Field(default_factory=LimitSettings)

    def rlib_config(self) -> RlibConfig:
        """The framework's view of these settings."""
        return RlibConfig(
            env=self.env,
            database=DatabaseConfig(
                url=self.database_url,
                pool_size=self.pool.size,
                max_overflow=self.pool.max_overflow,
                pool_timeout_s=self.pool.timeout_s,
                pool_recycle_s=self.pool.recycle_s,
                statement_timeout_ms=self.pool.statement_timeout_ms,
                echo=self.pool.echo,
            ),
            limits=LimitsConfig(
                max_body_bytes=self.limits.max_body_bytes,
                max_query_bytes=self.limits.max_query_bytes,
                max_json_depth=self.limits.max_json_depth,
                body_timeout_s=self.limits.body_timeout_s,
            ),
            hosts=HostsConfig(hosts={host.lower(): key for host, key in self.hosts.items()}),
            log_json=self.log_json,
        )


def load_settings(**overrides: object) -> Settings:
    """Read the environment (plus ``overrides``, used by tests and the CLI)."""
    return Settings(**overrides)  # type: ignore[arg-type]  # pydantic-settings validates
