"""The per-endpoint check: public, or a signed-in user of one of the declared types.

An access set names user types (``customer``), ``any`` (every signed-in user) or a type with a
role flag (``internal:support``: a staff profile carrying the support flag).
"""

from __future__ import annotations

import logging

from rlib.auth.users import SessionUser
from rlib.endpoint import ANY_USER, Access
from rlib.errors import AuthenticationError, AuthorizationError
from rlib.scope import User

logger = logging.getLogger("rlib.auth")


def admits(admitted: frozenset[str], user: User) -> bool:
    """True when one entry of ``admitted`` matches the user's types or role flags."""
    if ANY_USER in admitted:
        return True
    roles = user.roles if isinstance(user, SessionUser) else frozenset()
    for entry in admitted:
        kind, _, role = entry.partition(":")
        if kind in user.user_types and (not role or entry in roles):
            return True
    return False


def check_access(access: Access, user: User | None, *, route: str = "") -> None:
    """Raise 401 without a user, 403 when none of the user's types (or roles) is admitted."""
    if access.public:
        return
    if user is None:
        raise AuthenticationError()
    if not admits(access.user_types or frozenset(), user):
        logger.warning("authorization denied", extra={"route": route, "user": str(user.id)})
        raise AuthorizationError()
