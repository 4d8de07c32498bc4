"""Everything the authenticator and the auth routes share: config, tables, user types, hasher,
throttle, mailer, clock and the keys derived from the app secret. Built once per app by
:func:`build_kit`."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from rlib.auth.codes import CodeHasher
from rlib.auth.hashing import BoundedHasher, default_permits
from rlib.auth.mailer import AuthMailer, MemoryAuthMailer
from rlib.auth.oidc import OidcProvider
from rlib.auth.redirects import require_redirect
from rlib.auth.secretbox import SecretBox, derive_key
from rlib.auth.sessions import strictest
from rlib.auth.tables import AuthTables
from rlib.auth.users import UserTypes
from rlib.config import AuthConfig, SessionLifetime
from rlib.context import Ctx
from rlib.scope import Scope
from rlib.throttle import (
    DatabaseCounter,
    Network,
    RedisCounter,
    Throttle,
    client_ip,
    parse_networks,
    throttle_redis,
)

Clock = Callable[[], dt.datetime]
# Called in the deleting transaction, before rlib unlinks the profiles: the app forgets what
# it keeps about the person beyond the login (contact data of a profile...).
AccountHook = Callable[[Scope, uuid.UUID, dt.datetime], Awaitable[None]]

# HKDF labels: each use of the app secret gets its own key.
CODES_KEY_LABEL = "rlib.auth.codes"
TOTP_KEY_LABEL = "rlib.auth.totp-secret"


class NewLoginHook(Protocol):
    """Called in the request's transaction when the auth layer creates a login by itself (a
    first social sign-in), so the app can add what its own sign-up adds (a profile)."""

    async def __call__(
        self, scope: Scope, *, user_id: uuid.UUID, name: str, email: str
    ) -> object: ...


def utcnow() -> dt.datetime:
    """The current time, timezone-aware UTC."""
    return dt.datetime.now(dt.UTC)


@dataclass(slots=True)
class AuthKit:
    """The auth layer's shared state; see :func:`build_kit`."""

    config: AuthConfig
    tables: AuthTables
    user_types: UserTypes
    mailer: AuthMailer
    hasher: BoundedHasher
    throttle: Throttle
    clock: Clock
    trusted_proxies: tuple[Network, ...]
    trusted_origins: frozenset[str]
    codes: CodeHasher
    box: SecretBox
    redis: Any = None  # redis.asyncio.Redis when configured
    on_account_deleted: AccountHook | None = None
    providers: Mapping[str, OidcProvider] = field(default_factory=dict)
    on_new_login: NewLoginHook | None = None

    def now(self) -> dt.datetime:
        """The current time from the kit's clock."""
        return self.clock()

    def lifetime(self, user_types: Iterable[str]) -> SessionLifetime:
        """The strictest session lifetime of the user types held."""
        return strictest(self.config.lifetimes, user_types, self.config.default_lifetime)

    def client_ip(self, ctx: Ctx) -> str:
        """The caller's address (X-Forwarded-For only from trusted proxies)."""
        peer = ctx.req.client.host if ctx.req.client else None
        return client_ip(peer, ctx.req.headers.get("x-forwarded-for"), self.trusted_proxies)

    def base_url(self, host: str = "auth") -> str:
        """The configured origin of ``host`` for mail links (never the request's Host)."""
        return self.config.base_urls.get(host, "").rstrip("/")

    def check_redirect(self, target: str | None, *, field: str) -> str | None:
        """The absolute URL for an optional redirect field; 422 when not allowlisted."""
        return require_redirect(
            target, origins=self.trusted_origins, default_origin=self.base_url(), field=field
        )

    def host_origins(self) -> frozenset[str]:
        """The origins of the app's own hosts (``base_urls``), the only hand-off targets."""
        return frozenset(o.rstrip("/").lower() for o in self.config.base_urls.values())

    @staticmethod
    def request_origin(ctx: Ctx) -> str:
        """``scheme://host[:port]`` the request was addressed to, lower case."""
        url = ctx.req.url
        return f"{url.scheme}://{url.netloc}".lower()

    @staticmethod
    def secure(ctx: Ctx) -> bool:
        """True when the request came over https (cookies get ``__Host-`` and ``Secure``)."""
        return ctx.req.url.scheme == "https"

    async def aclose(self) -> None:
        """Close the Redis connection pool, if any."""
        if self.redis is not None:
            await self.redis.aclose()


def code_hasher(secret_key: str) -> CodeHasher:
    """The digests of short codes (emailed codes, backup codes) under ``secret_key``."""
    return CodeHasher(derive_key(secret_key, CODES_KEY_LABEL))


def secret_box(secret_key: str) -> SecretBox:
    """The sealing of TOTP secrets under ``secret_key``."""
    return SecretBox(derive_key(secret_key, TOTP_KEY_LABEL))


def _origins(config: AuthConfig) -> frozenset[str]:
    items = [*config.trusted_origins, *config.base_urls.values()]
    return frozenset(o.rstrip("/").lower() for o in items)


def build_kit(
    config: AuthConfig,
    *,
    tables: AuthTables,
    user_types: UserTypes,
    mailer: AuthMailer | None = None,
    clock: Clock | None = None,
    on_account_deleted: AccountHook | None = None,
    on_new_login: NewLoginHook | None = None,
) -> AuthKit:
    """The auth kit for an app.

    Args:
        mailer: queues auth emails; a :class:`MemoryAuthMailer` when None (tests, development).
        clock: the current time (tests pass a fake clock).
        on_account_deleted: the app's part of deleting an account (see ``rlib.auth.deletion``).
        on_new_login: what the app adds to a login created by a social sign-in.

    Raises:
        ValueError: on a malformed trusted-proxy CIDR.
    """
    now = clock or utcnow
    redis = None
    redis_counter = None
    if config.redis_url:
        redis = throttle_redis(config.redis_url)
        redis_counter = RedisCounter(redis, prefix=config.redis_prefix + "throttle:")
    return AuthKit(
        config=config,
        tables=tables,
        user_types=user_types,
        mailer=mailer or MemoryAuthMailer(),
        hasher=BoundedHasher(permits=config.hash_permits or default_permits()),
        throttle=Throttle(DatabaseCounter(tables.rate_limit), redis_counter, clock=now),
        clock=now,
        trusted_proxies=parse_networks(config.trusted_proxies),
        trusted_origins=_origins(config),
        codes=code_hasher(config.secret_key),
        box=secret_box(config.secret_key),
        redis=redis,
        on_account_deleted=on_account_deleted,
        providers={name: OidcProvider(name, oidc) for name, oidc in config.oidc.items()},
        on_new_login=on_new_login,
    )
