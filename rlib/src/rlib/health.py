"""Operational endpoints: liveness (``/api/health``, ``/api/check``), readiness (``/api/ready``)."""

from __future__ import annotations

import logging

from pydantic import BaseModel
from sqlalchemy import text

from rlib.context import Ctx
from rlib.endpoint import define_api
from rlib.errors import ServiceUnavailableError
from rlib.registry import Domain, Registry

logger = logging.getLogger("rlib.health")

ROOT = Domain(name="root", auth=frozenset({"public"}))


class Health(BaseModel):
    """Liveness answer."""

    ok: bool


class Readiness(BaseModel):
    """Readiness answer: the database answered."""

    db: str


@define_api(
    name="health",
    url="/api/health",
    methods=("GET", "POST"),
    auth="public",
    aliases=("/api/check",),
)
async def health(ctx: Ctx) -> Health:
    """The process is up."""
    return Health(ok=True)


@define_api(
    name="ready",
    url="/api/ready",
    methods=("GET",),
    auth="public",
    errors=(ServiceUnavailableError,),
)
async def ready(ctx: Ctx) -> Readiness:
    """The database answers a query."""
    try:
        await ctx.db.execute(text("SELECT 1"))
    except Exception as exc:
        logger.warning(
            "readiness check failed: %s", type(exc).__name__, extra={"request_id": ctx.request_id}
        )
        raise ServiceUnavailableError() from exc
    return Readiness(db="ok")


ENDPOINTS = (health, ready)


def add_builtins(registry: Registry) -> Registry:
    """Add the framework's own endpoints (health, readiness) once."""
    if ROOT.name not in registry.domains:
        registry.add(ROOT, ENDPOINTS)
    return registry
