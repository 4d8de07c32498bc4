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
    ``fast_path`` runs reads and creates as statements compiled once and sent to the driver
    (a native asyncpg pool for reads on PostgreSQL, a raw pooled connection for writes: ADR
    0008, 0014, 0015, 0016); False sends everything through SQLAlchemy's public API, the way
    out if an upgrade breaks the private details those paths rely on (``rlib.db.driver``).
    ``pool_pre_ping`` (PostgreSQL) tests a pooled connection as it is checked out, so one the
    server closed (a restart, ``pg_terminate_backend``) is replaced instead of failing a
    request (security.md D6; battery F2).
    """

    url: str = DEFAULT_SQLITE_URL
    pool_size: int = 8
    max_overflow: int = 4
    pool_timeout_s: float = 10.0
    pool_recycle_s: int = 1800
    statement_timeout_ms: int = 30_000
    sqlite_busy_timeout_ms: int = 5_000
    echo: bool = False
    fast_path: bool = True
    pool_pre_ping: bool = True

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
class RateRule:
    """At most ``limit`` attempts per ``window_s`` seconds."""

    limit: int
    window_s: int


@dataclass(frozen=True, slots=True)
class SessionLifetime:
    """Idle (since the last request) and absolute (since sign-in) lifetimes, in seconds."""

    idle_s: int
    absolute_s: int


_DAY = 86_400
_MEMBER = SessionLifetime(idle_s=7 * _DAY, absolute_s=30 * _DAY)


def _lifetimes() -> dict[str, SessionLifetime]:
    staff = SessionLifetime(idle_s=30 * 60, absolute_s=12 * 3600)
    return {
        "customer": _MEMBER,
        "author": _MEMBER,
        "publisher": _MEMBER,
        "affiliate": _MEMBER,
        "internal": staff,
    }


@dataclass(frozen=True, slots=True)
class ThrottleRules:
    """Throttles of security.md section 5 (per normalized account key, per client IP)."""

    sign_in_account: RateRule = RateRule(5, 300)
    sign_in_ip: RateRule = RateRule(10, 60)
    reset_account: RateRule = RateRule(5, 60)
    reset_ip: RateRule = RateRule(20, 60)
    sign_up_ip: RateRule = RateRule(20, 60)
    send_account: RateRule = RateRule(3, 60)
    send_ip: RateRule = RateRule(20, 60)
    change_password_account: RateRule = RateRule(5, 60)
    social_start_ip: RateRule = RateRule(20, 60)


@dataclass(frozen=True, slots=True)
class OidcProviderConfig:
    """One OpenID Connect identity provider (Google in esensi), found by discovery.

    ``issuer_aliases`` are other spellings of the issuer the provider puts in ID tokens
    (Google also uses ``accounts.google.com`` without the scheme). ``redirect_uri`` defaults to
    ``<auth base URL>/api/auth/callback/<provider id>``.
    """

    client_id: str
    client_secret: str
    discovery_url: str
    scopes: tuple[str, ...] = ("openid", "email", "profile")
    issuer_aliases: tuple[str, ...] = ()
    redirect_uri: str | None = None
    timeout_s: float = 10.0
    metadata_ttl_s: int = 3600


@dataclass(frozen=True, slots=True)
class AuthConfig:
    """Sessions, tokens, throttles and trusted networks of the auth layer.

    ``lifetimes`` is per user type; a session takes the strictest of the types it holds and
    ``default_lifetime`` when it holds none. ``base_urls`` maps a host key (``auth``, ``main``...)
    to the https origin used in mail links and hand-off redirects (never the request's Host).
    """

    secret_key: str = "development-only-secret-key-change-me"
    lifetimes: Mapping[str, SessionLifetime] = field(default_factory=_lifetimes)
    default_lifetime: SessionLifetime = _MEMBER
    touch_interval_s: int = 60
    fresh_s: int = 300
    throttles: ThrottleRules = field(default_factory=ThrottleRules)
    trusted_proxies: tuple[str, ...] = ()
    trusted_origins: tuple[str, ...] = ()
    base_urls: Mapping[str, str] = field(default_factory=dict)
    redis_url: str | None = None
    redis_prefix: str = "rlib:"
    hash_permits: int | None = None
    reset_token_s: int = 3600
    verify_token_s: int = 86_400
    otp_s: int = 600
    otp_attempts: int = 3
    totp_issuer: str = "rlib"
    handoff_s: int = 60
    delete_token_s: int = 3600
    oauth_state_s: int = 600
    oidc: Mapping[str, OidcProviderConfig] = field(default_factory=dict)
    handoff_state_s: int = 600
    sign_in_path: str = "/sign-in"


@dataclass(frozen=True, slots=True)
class GenConfig:
    """What ``gen`` writes: the document's title and version, the client package's name, the
    folder (relative to the project root) and the pinned TypeScript compiler;
    ``docs_user_types``: who may read ``/docs`` in production (none: not mounted there)."""

    title: str = "API"
    version: str = "0.1.0"
    package: str = "api-client"
    out_dir: str = "clients/typescript"
    typescript: str = "5.9.3"
    docs_user_types: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MetricsConfig:
    """``GET /metrics`` (rlib.metrics): on unless ``enabled`` is False; ``token`` is the bearer
    a scraper sends (required in production, where without it nobody reads the metrics).
    ``shared_dir``: where the workers of one server share their snapshots (a scrape then sums
    every worker; ``serve --workers N`` sets a fresh one); ``flush_s``: how often each worker
    writes its snapshot (ADR h-metrics-across-workers)."""

    enabled: bool = True
    token: str | None = None
    shared_dir: str | None = None
    flush_s: float = 1.0


@dataclass(frozen=True, slots=True)
class NotifyConfig:
    """Notifications: the bus and the limits of ``/ws/notif`` (security.md section 11).

    The bus is Redis when ``redis_url`` is set, else PostgreSQL LISTEN/NOTIFY on a PostgreSQL
    database, else in-process. ``allowed_origins`` are the browser origins (besides the host's
    own) that may open a socket.
    """

    redis_url: str | None = None
    channel: str = "rlib_notif"
    allowed_origins: tuple[str, ...] = ()
    max_sockets_per_user: int = 20
    max_frame_bytes: int = 4096
    send_queue: int = 256
    send_timeout_s: float = 10.0
    ping_interval_s: float = 20.0
    pong_timeout_s: float = 20.0
    session_recheck_s: float = 60.0
    latest: int = 20
    bus_reconnect_s: float = 0.5


@dataclass(frozen=True, slots=True)
class RlibConfig:
    """Everything ``create_app`` needs besides the registry and the catalogue."""

    env: Environment = "development"
    database: DatabaseConfig = field(default_factory=DatabaseConfig)
    limits: LimitsConfig = field(default_factory=LimitsConfig)
    hosts: HostsConfig = field(default_factory=HostsConfig)
    after_commit_timeout_s: float = 5.0
    log_json: bool = True
    notify: NotifyConfig = field(default_factory=NotifyConfig)
    metrics: MetricsConfig = field(default_factory=MetricsConfig)
    # The frontend build's index.html, served (with the data) to a browser's GET of a page
    # endpoint; None: page endpoints answer JSON only (rlib.pageshell).
    index_html: str | None = None
    # ``<domain>.<name>`` -> s-maxage seconds, overriding the endpoint's declared cache policy.
    shared_max_age: Mapping[str, int] = field(default_factory=dict)
    # Strict-Transport-Security on every answer in production (security.md H1); 0 leaves it to
    # a proxy in front that sets it itself.
    hsts_max_age_s: int = 31_536_000

    def always_headers(self) -> tuple[tuple[bytes, bytes], ...]:
        """Headers every HTTP answer carries whatever produced it (errors, files, docs)."""
        if self.env != "production" or self.hsts_max_age_s <= 0:
            return ()
        value = f"max-age={self.hsts_max_age_s}; includeSubDomains"
        return ((b"strict-transport-security", value.encode()),)
