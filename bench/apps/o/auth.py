"""O's authenticator for scenario b: the bench's own session table, one lookup per request.

rlib's built-in auth (``rlib.auth``) has its own tables and sliding expiry; the bench keeps
its small schema so every app does the same single query: the SHA-256 of the bearer token,
unexpired, joined to its user.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from sqlalchemy import bindparam, select

from bench import contract
from bench.models import AppUser, Session
from rlib.context import Ctx
from rlib.crud.execute import Executor
from rlib.registry import Route

USER_TYPE = "bench_user"
_TYPES = frozenset({USER_TYPE})

_LOOKUP = (
    select(AppUser.id, AppUser.name)
    .join(Session, Session.user_id == AppUser.id)
    .where(
        Session.token_hash == bindparam("token_hash"),
        Session.expires_at > bindparam("now", type_=Session.expires_at.type),
    )
)


@dataclass(frozen=True, slots=True)
class BenchUser:
    id: int
    name: str

    @property
    def user_types(self) -> frozenset[str]:
        return _TYPES


class SessionAuthenticator:
    """Fills ``ctx.user`` from ``Authorization: Bearer <token>``; leaves it None otherwise."""

    def __init__(self) -> None:
        # The crud read path's executor: asyncpg directly on PostgreSQL (see ADR 0008).
        self._executor = Executor()

    async def __call__(self, ctx: Ctx, route: Route) -> None:
        ctx.user = None
        token = contract.bearer(ctx.req.headers.get("authorization"))
        if token is None:
            return
        params = {
            "token_hash": hashlib.sha256(token.encode()).hexdigest(),
            "now": dt.datetime.now(dt.UTC),
        }
        rows = await self._executor.rows(ctx, _LOOKUP, params)
        if rows:
            ctx.user = BenchUser(id=rows[0]["id"], name=rows[0]["name"])
