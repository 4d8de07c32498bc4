"""Who is reading: the caller's login and customer profile, and what they are entitled to."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, false, select

from esensi.models.entitlement import TSalesDownload
from rlib import Scope
from rlib.auth.users import SessionUser


def caller(scope: Scope) -> SessionUser | None:
    """The signed-in user, None for an anonymous visitor."""
    return scope.user if isinstance(scope.user, SessionUser) else None


def caller_id(scope: Scope) -> uuid.UUID | None:
    """The signed-in login's id, None for an anonymous visitor."""
    user = caller(scope)
    return None if user is None else user.id


def caller_customer(scope: Scope) -> uuid.UUID | None:
    """The caller's customer profile id, None without one."""
    user = caller(scope)
    return None if user is None else user.profile_id("customer")


def owns(customer_id: uuid.UUID | None, product_id: Any) -> ColumnElement[bool]:
    """SQL: the customer holds a live (not revoked) entitlement to ``product_id``."""
    if customer_id is None:
        return false()
    return exists().where(
        and_(
            TSalesDownload.id_customer == customer_id,
            TSalesDownload.id_product == product_id,
            TSalesDownload.revoked_at.is_(None),
        )
    )


async def is_entitled(scope: Scope, product_id: uuid.UUID | None) -> bool:
    """Whether the caller's customer profile holds a live entitlement to ``product_id``."""
    customer = caller_customer(scope)
    if customer is None or product_id is None:
        return False
    return bool(await scope.db.scalar(select(owns(customer, product_id))))
