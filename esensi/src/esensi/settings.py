"""esensi settings: the only module that reads the environment.

Variables carry the ``ESENSI_`` prefix; sections nest with ``__``
(``ESENSI_LIMITS__MAX_BODY_BYTES``); lists and maps are JSON. Every setting has a default that
works for ``make demo``. The README's settings table lists them all.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from rlib import DatabaseConfig, HostsConfig, LimitsConfig, RlibConfig
from rlib.config import DEFAULT_SQLITE_URL, AuthConfig


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


DEFAULT_SECRET = "development-only-secret-key-change-me"


class AuthSettings(BaseModel):
    """Sessions and links: the secret keys short codes; ``base_urls`` (host key -> https
    origin) build mail links and hand-off redirects, never the request's Host."""

    secret_key: SecretStr = SecretStr(DEFAULT_SECRET)
    base_urls: dict[str, str] = Field(default_factory=dict)
    hash_permits: int | None = Field(default=None, ge=1, le=256)
    touch_interval_s: int = Field(default=60, ge=1)
    fresh_s: int = Field(default=300, ge=30)


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
    auth: AuthSettings = Field(default_factory=AuthSettings)

    @model_validator(mode="after")
    def _production_secret(self) -> Settings:
        secret = self.auth.secret_key.get_secret_value()
        if self.env == "production" and (secret == DEFAULT_SECRET or len(secret.encode()) < 32):
            raise ValueError(
                "ESENSI_AUTH__SECRET_KEY must be set to 32 bytes or more in production"
            )
        return self

    def auth_config(self) -> AuthConfig:
        """The auth layer's view of these settings."""
        return AuthConfig(
            secret_key=self.auth.secret_key.get_secret_value(),
            trusted_proxies=tuple(self.trusted_proxies),
            trusted_origins=tuple(self.trusted_origins),
            base_urls=dict(self.auth.base_urls),
            redis_url=self.redis_url,
            redis_prefix="esensi:",
            hash_permits=self.auth.hash_permits,
            touch_interval_s=self.auth.touch_interval_s,
            fresh_s=self.auth.fresh_s,
        )

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
