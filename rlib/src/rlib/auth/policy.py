"""The per-endpoint check: public, or a signed-in user of one of the declared types."""

from __future__ import annotations

from rlib.endpoint import ANY_USER, Access
from rlib.errors import AuthenticationError, AuthorizationError
from rlib.scope import User


def check_access(access: Access, user: User | None) -> None:
    """Raise 401 without a user, 403 when none of the user's types is admitted."""
    if access.public:
        return
    if user is None:
        raise AuthenticationError()
    admitted = access.user_types or frozenset()
    if ANY_USER in admitted:
        return
    if not admitted & user.user_types:
        raise AuthorizationError()
