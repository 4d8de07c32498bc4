"""esensi settings: the only module that reads the environment.

Variables carry the ``ESENSI_`` prefix; sections nest with ``__``
(``ESENSI_LIMITS__MAX_BODY_BYTES``); lists and maps are JSON. Every setting has a default that
works for ``make demo``. The README's settings table lists them all.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from rlib import DatabaseConfig, HostsConfig, LimitsConfig, RlibConfig
from rlib.config import (
    DEFAULT_SQLITE_URL,
    AuthConfig,
    MetricsConfig,
    NotifyConfig,
    OidcProviderConfig,
)
from rlib.mail import MailAccount, MailConfig, RetryPolicy

MailContextName = Literal["main", "chapter", "publish", "internal", "auth"]
MAIL_CONTEXTS: tuple[MailContextName, ...] = ("main", "chapter", "publish", "internal", "auth")


class PoolSettings(BaseModel):
    """Database pool (PostgreSQL); processes x (size + overflow) stays under max_connections."""

    size: int = Field(default=8, ge=1, le=200)
    max_overflow: int = Field(default=4, ge=0, le=200)
    timeout_s: float = Field(default=10.0, gt=0)
    recycle_s: int = Field(default=1800, ge=60)
    statement_timeout_ms: int = Field(default=30_000, ge=100)
    echo: bool = False


class DbSettings(BaseModel):
    """How statements reach the database: ``fast_path`` false sends all of them through
    SQLAlchemy's public API (no native read pool, no raw write connection), should an upgrade
    break what those paths rely on (rlib.db.driver)."""

    fast_path: bool = True


class LimitSettings(BaseModel):
    """Input limits applied to every endpoint unless it declares its own."""

    max_body_bytes: int = Field(default=1024 * 1024, ge=1024)
    max_query_bytes: int = Field(default=8 * 1024, ge=256)
    max_json_depth: int = Field(default=64, ge=2, le=1000)
    body_timeout_s: float = Field(default=30.0, gt=0)


class NotifySettings(BaseModel):
    """``/ws/notif`` limits and the bus channel (security.md section 11); the bus itself is
    Redis when ``ESENSI_REDIS_URL`` is set, else PostgreSQL LISTEN/NOTIFY on PostgreSQL."""

    channel: str = Field(default="esensi_notif", pattern=r"^[a-z0-9_]{1,63}$")
    max_sockets_per_user: int = Field(default=20, ge=1, le=1000)
    max_frame_bytes: int = Field(default=4096, ge=256, le=1024 * 1024)
    send_queue: int = Field(default=256, ge=1, le=100_000)
    send_timeout_s: float = Field(default=10.0, gt=0)
    ping_interval_s: float = Field(default=20.0, gt=0)
    pong_timeout_s: float = Field(default=20.0, gt=0)
    session_recheck_s: float = Field(default=60.0, gt=0)


class MetricsSettings(BaseModel):
    """``GET /metrics`` (ADR h-metrics): a scraper sends ``Authorization: Bearer <token>``;
    without a token only loopback callers read it, and only outside production. ``shared_dir``:
    where the workers of one server share their snapshots so a scrape sums them all (``esensi
    serve --workers N`` uses a fresh temporary one when unset; ADR h-metrics-across-workers)."""

    enabled: bool = True
    token: SecretStr | None = Field(default=None)
    shared_dir: Path | None = None
    flush_s: float = Field(default=1.0, gt=0, le=60)

    def rlib_config(self) -> MetricsConfig:
        """The framework's view."""
        token = None if self.token is None else self.token.get_secret_value() or None
        shared = None if self.shared_dir is None else str(self.shared_dir)
        return MetricsConfig(
            enabled=self.enabled, token=token, shared_dir=shared, flush_s=self.flush_s
        )


class FileSettings(BaseModel):
    """Uploaded files (security.md section 10): public images under ``<directory>/upload``,
    book files under ``<directory>/book`` (never served by ``/_file``)."""

    directory: Path = Path("var/files")
    uploads_per_minute: int = Field(default=30, ge=1, le=10_000)
    idle_timeout_s: float = Field(default=30.0, gt=0)


class MailAccountSettings(BaseModel):
    """One named way out: an SMTP login, a folder of ``.eml`` files, or memory."""

    transport: Literal["smtp", "file", "memory"] = "smtp"
    host: str = "127.0.0.1"
    port: int = Field(default=587, ge=1, le=65535)
    security: Literal["none", "starttls", "tls"] = "starttls"
    username: str | None = None
    password: SecretStr | None = None
    from_address: str = "Esensi Online <info@esensi.online>"
    rate_per_minute: int = Field(default=0, ge=0)
    timeout_s: float = Field(default=30.0, gt=0)
    directory: str = "var/mail"
    headers: dict[str, str] = Field(default_factory=dict)

    def to_account(self, name: str) -> MailAccount:
        """The framework's view of this account."""
        values = self.model_dump(exclude={"password"})
        password = self.password.get_secret_value() if self.password else None
        return MailAccount(name=name, password=password, **values)


def _demo_accounts() -> dict[str, MailAccountSettings]:
    return {"demo": MailAccountSettings(transport="file")}


def _demo_contexts() -> dict[MailContextName, list[str]]:
    return {context: ["demo"] for context in MAIL_CONTEXTS}


class MailSettings(BaseModel):
    """Accounts, each context's failover order, and the outbox worker.

    The demo default writes every message to ``var/mail/`` as an ``.eml`` file.
    """

    accounts: dict[str, MailAccountSettings] = Field(default_factory=_demo_accounts)
    contexts: dict[MailContextName, list[str]] = Field(default_factory=_demo_contexts)
    worker: bool = True
    batch_size: int = Field(default=20, ge=1, le=1000)
    lease_s: float = Field(default=120.0, ge=5)
    poll_interval_s: float = Field(default=5.0, gt=0)
    retry_base_s: float = Field(default=10.0, gt=0)
    retry_cap_s: float = Field(default=600.0, gt=0)
    max_attempts: int = Field(default=12, ge=1)
    max_age_s: float = Field(default=24 * 3600.0, gt=0)

    @model_validator(mode="after")
    def _every_context_has_known_accounts(self) -> MailSettings:
        self.rlib_config().check()
        missing = [context for context in MAIL_CONTEXTS if context not in self.contexts]
        if missing:
            raise ValueError(f"mail contexts without accounts: {missing}")
        return self

    def rlib_config(self) -> MailConfig:
        """The framework's view of these settings."""
        return MailConfig(
            accounts={name: acc.to_account(name) for name, acc in self.accounts.items()},
            contexts={context: list(names) for context, names in self.contexts.items()},
            retry=RetryPolicy(
                base_s=self.retry_base_s,
                cap_s=self.retry_cap_s,
                max_attempts=self.max_attempts,
                max_age_s=self.max_age_s,
            ),
            batch_size=self.batch_size,
            lease_s=self.lease_s,
            poll_interval_s=self.poll_interval_s,
        )


DEFAULT_SECRET = "development-only-secret-key-change-me"
GOOGLE_DISCOVERY_URL = "https://accounts.google.com/.well-known/openid-configuration"
# Google's ID tokens name their issuer with or without the scheme.
GOOGLE_ISSUER_ALIASES = ("accounts.google.com",)


class GoogleSettings(BaseModel):
    """Google sign-in (OpenID Connect); on only when ``client_id`` is set. The redirect URI
    registered with Google defaults to ``<auth base URL>/api/auth/callback/google``."""

    client_id: str | None = Field(default=None, min_length=1, max_length=255)
    client_secret: SecretStr | None = None
    discovery_url: str = GOOGLE_DISCOVERY_URL
    redirect_uri: str | None = None
    timeout_s: float = Field(default=10.0, gt=0, le=60)

    def provider(self) -> OidcProviderConfig | None:
        """The framework's provider config, or None when Google sign-in is off."""
        if self.client_id is None:
            return None
        default = self.discovery_url == GOOGLE_DISCOVERY_URL
        return OidcProviderConfig(
            client_id=self.client_id,
            client_secret=self.client_secret.get_secret_value() if self.client_secret else "",
            discovery_url=self.discovery_url,
            issuer_aliases=GOOGLE_ISSUER_ALIASES if default else (),
            redirect_uri=self.redirect_uri,
            timeout_s=self.timeout_s,
        )

    def check(self, env: str, base_urls: dict[str, str]) -> None:
        """Refuse a half-configured Google sign-in at start-up, not at the first click."""
        if self.client_id is None:
            return
        if self.client_secret is None or not self.client_secret.get_secret_value():
            raise ValueError("ESENSI_AUTH__GOOGLE__CLIENT_SECRET is required with a client id")
        if not self.redirect_uri and not base_urls.get("auth"):
            raise ValueError(
                "Google sign-in needs ESENSI_AUTH__BASE_URLS['auth'] or "
                "ESENSI_AUTH__GOOGLE__REDIRECT_URI"
            )
        if env == "production" and not self.discovery_url.startswith("https://"):
            raise ValueError("ESENSI_AUTH__GOOGLE__DISCOVERY_URL must be https in production")


class WebSettings(BaseModel):
    """The store's and chapter site's pages for a browser: ``index_html`` is the frontend
    build's ``index.html`` (a browser's GET of a page URL gets it with the page's data
    embedded; unset: JSON only); ``shared_max_age`` overrides the shared-cache lifetime
    (``s-maxage``, seconds) of public page data per ``<domain>.<endpoint>``
    (``{"main.browse": 300}``); ``hsts_max_age_s`` is the ``Strict-Transport-Security`` age
    every production answer carries (0: a proxy in front sets it)."""

    index_html: str | None = Field(default=None, min_length=1, max_length=4096)
    shared_max_age: dict[str, int] = Field(default_factory=dict)
    hsts_max_age_s: int = Field(default=31_536_000, ge=0, le=63_072_000)

    @model_validator(mode="after")
    def _readable_build(self) -> WebSettings:
        if self.index_html is not None and not os.path.isfile(self.index_html):
            raise ValueError(f"ESENSI_WEB__INDEX_HTML: no file at {self.index_html}")
        if any(age < 0 for age in self.shared_max_age.values()):
            raise ValueError("ESENSI_WEB__SHARED_MAX_AGE: seconds are never negative")
        return self


SANDBOX_SNAP_URL = "https://app.sandbox.midtrans.com/snap/v1"
SANDBOX_API_URL = "https://api.sandbox.midtrans.com"
SANDBOX_SNAP_JS = "https://app.sandbox.midtrans.com/snap/snap.js"


class MidtransSettings(BaseModel):
    """The Midtrans payment gateway (security.md Q1, M3).

    ``server_key`` signs webhooks and authenticates our calls (Basic auth, never logged);
    ``client_key`` is public (snap.js). ``snap_url`` is Snap's base (``…/snap/v1``),
    ``api_url`` the Core API's base (``/v2/{order_id}/status`` and the actions), ``snap_js_url``
    what browsers load; all default to the sandbox and point at the local stand-in
    (``esensi midtrans-standin``) for tests and the demo. ``is_production`` only documents the
    account in use (production base URLs must then be given). ``snap_timeout_s`` bounds Snap
    creation, ``status_timeout_s`` the status API and actions. ``notification_url``, when set,
    is sent to Snap as the override notification URL (the stand-in posts its webhooks there).
    ``expiry_interval_s`` is how often ``esensi serve`` expires overdue pending orders (0: never).
    """

    server_key: SecretStr = SecretStr("SB-Mid-server-demo-key")
    client_key: str = Field(default="SB-Mid-client-demo-key", max_length=128)
    is_production: bool = False
    snap_url: str = SANDBOX_SNAP_URL
    api_url: str = SANDBOX_API_URL
    snap_js_url: str = SANDBOX_SNAP_JS
    notification_url: str | None = None
    snap_timeout_s: float = Field(default=10.0, gt=0, le=120)
    status_timeout_s: float = Field(default=5.0, gt=0, le=60)
    expiry_interval_s: float = Field(default=300.0, ge=0)


class AuthSettings(BaseModel):
    """Sessions and links: the secret keys short codes and seals TOTP secrets; ``base_urls``
    (host key -> https origin) build mail links and hand-off redirects, never the request's
    Host; ``totp_issuer`` is the name authenticator apps show."""

    secret_key: SecretStr = SecretStr(DEFAULT_SECRET)
    totp_issuer: str = Field(default="Esensi Online", min_length=1, max_length=64)
    base_urls: dict[str, str] = Field(default_factory=dict)
    hash_permits: int | None = Field(default=None, ge=1, le=256)
    touch_interval_s: int = Field(default=60, ge=1)
    fresh_s: int = Field(default=300, ge=30)
    google: GoogleSettings = Field(default_factory=GoogleSettings)


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
    db: DbSettings = Field(default_factory=DbSettings)
    limits: LimitSettings = Field(default_factory=LimitSettings)
    mail: MailSettings = Field(default_factory=MailSettings)
    notify: NotifySettings = Field(default_factory=NotifySettings)
    metrics: MetricsSettings = Field(default_factory=MetricsSettings)
    auth: AuthSettings = Field(default_factory=AuthSettings)
    files: FileSettings = Field(default_factory=FileSettings)
    web: WebSettings = Field(default_factory=WebSettings)
    midtrans: MidtransSettings = Field(default_factory=MidtransSettings)

    @model_validator(mode="after")
    def _production_secret(self) -> Settings:
        secret = self.auth.secret_key.get_secret_value()
        if self.env == "production" and (secret == DEFAULT_SECRET or len(secret.encode()) < 32):
            raise ValueError(
                "ESENSI_AUTH__SECRET_KEY must be set to 32 bytes or more in production"
            )
        self.auth.google.check(self.env, self.auth.base_urls)
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
            totp_issuer=self.auth.totp_issuer,
            oidc=self._oidc(),
        )

    def _oidc(self) -> dict[str, OidcProviderConfig]:
        google = self.auth.google.provider()
        return {} if google is None else {"google": google}

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
                fast_path=self.db.fast_path,
            ),
            limits=LimitsConfig(
                max_body_bytes=self.limits.max_body_bytes,
                max_query_bytes=self.limits.max_query_bytes,
                max_json_depth=self.limits.max_json_depth,
                body_timeout_s=self.limits.body_timeout_s,
            ),
            hosts=HostsConfig(hosts={host.lower(): key for host, key in self.hosts.items()}),
            log_json=self.log_json,
            notify=self._notify(),
            metrics=self.metrics.rlib_config(),
            index_html=self.web.index_html,
            shared_max_age=dict(self.web.shared_max_age),
            hsts_max_age_s=self.web.hsts_max_age_s,
        )

    def _notify(self) -> NotifyConfig:
        notify = self.notify
        return NotifyConfig(
            redis_url=self.redis_url,
            channel=notify.channel,
            # Browsers on the configured hosts and the trusted origins may open sockets.
            allowed_origins=(*self.trusted_origins, *self.auth.base_urls.values()),
            max_sockets_per_user=notify.max_sockets_per_user,
            max_frame_bytes=notify.max_frame_bytes,
            send_queue=notify.send_queue,
            send_timeout_s=notify.send_timeout_s,
            ping_interval_s=notify.ping_interval_s,
            pong_timeout_s=notify.pong_timeout_s,
            session_recheck_s=notify.session_recheck_s,
        )


def load_settings(**overrides: object) -> Settings:
    """Read the environment (plus ``overrides``, used by tests and the CLI)."""
    return Settings(**overrides)  # type: ignore[arg-type]  # pydantic-settings validates


def export_metrics_dir(path: str) -> None:
    """Tell the workers ``esensi serve --workers N`` spawns where to share ``/metrics``
    snapshots: they inherit this process's environment and read it as a setting."""
    os.environ["ESENSI_METRICS__SHARED_DIR"] = path
