"""The signed-in user as handlers see it, and the helpers that require a user type."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field

from rlib.errors import AuthenticationError, AuthorizationError
from rlib.scope import Scope


@dataclass(frozen=True, slots=True)
class SessionUser:
    """A login identity with its loaded profiles (user type -> profile id) and role flags."""

    id: uuid.UUID
    profiles: Mapping[str, uuid.UUID] = field(default_factory=dict)
    roles: frozenset[str] = frozenset()

    @property
    def user_types(self) -> frozenset[str]:
        """The user types this login has a profile of."""
        return frozenset(self.profiles)

    def profile_id(self, user_type: str) -> uuid.UUID | None:
        """The id of the ``user_type`` profile, or None."""
        return self.profiles.get(user_type)


def current_user(scope: Scope) -> SessionUser:
    """The signed-in user; 401 when there is none."""
    user = scope.user
    if not isinstance(user, SessionUser):
        raise AuthenticationError()
    return user


def require_profile(scope: Scope, user_type: str) -> uuid.UUID:
    """The caller's ``user_type`` profile id; 401 without a session, 403 without that profile."""
    profile = current_user(scope).profile_id(user_type)
    if profile is None:
        raise AuthorizationError()
    return profile
