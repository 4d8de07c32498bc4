"""User types, the signed-in user as handlers see it, and the helpers that require a profile.

The app registers its user types (customer, author...): each names the profile table whose
``id_user`` points at the login, and optionally its boolean role-flag columns. On every
authenticated request the profiles of the login are loaded in one query.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, case, literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from rlib.errors import AuthenticationError, AuthorizationError
from rlib.scope import Scope


@dataclass(frozen=True, slots=True)
class UserType:
    """One kind of profile a login may have.

    Args:
        name: ``customer``, ``internal``...; endpoints name it in ``auth=``.
        model: the mapped profile class; it has ``id`` and ``id_user`` columns.
        roles: role name -> boolean column name (``{"support": "is_support"}``); an endpoint may
            require ``"<name>:<role>"``.
    """

    name: str
    model: Any  # a mapped class of the app; its columns are read by name
    roles: Mapping[str, str] = field(default_factory=dict)

    def _live(self) -> list[ColumnElement[bool]]:
        deleted = getattr(self.model, "deleted_at", None)
        return [] if deleted is None else [deleted.is_(None)]


class UserTypes:
    """The app's registered user types, in registration order."""

    def __init__(self, types: Iterable[UserType]) -> None:
        self.by_name: dict[str, UserType] = {}
        for user_type in types:
            if ":" in user_type.name or user_type.name in {"public", "any"}:
                raise ValueError(f"user type name not allowed: {user_type.name!r}")
            self.by_name[user_type.name] = user_type

    @property
    def names(self) -> frozenset[str]:
        """Every registered type name."""
        return frozenset(self.by_name)

    async def load(
        self, db: AsyncSession, user_id: uuid.UUID
    ) -> tuple[dict[str, uuid.UUID], frozenset[str]]:
        """The login's profiles (type -> profile id) and role flags (``internal:support``)."""
        if not self.by_name:
            return {}, frozenset()
        parts = [self._select(t, user_id) for t in self.by_name.values()]
        rows = (await db.execute(union_all(*parts))).all()
        profiles: dict[str, uuid.UUID] = {}
        roles: set[str] = set()
        for kind, profile_id, flags in rows:
            profiles[str(kind)] = profile_id
            roles.update(f"{kind}:{role}" for role in str(flags or "").split(",") if role)
        return profiles, frozenset(roles)

    def user_fields(
        self, profiles: Mapping[str, uuid.UUID], roles: Iterable[str]
    ) -> dict[str, str | bool | None]:
        """The user object's fields for the login's profiles: ``id<Type>`` (the profile id or
        None) for every registered type and a boolean per role flag, named after its column
        (``is_support`` -> ``isSupport``)."""
        held = frozenset(roles)
        fields: dict[str, str | bool | None] = {}
        for name, user_type in self.by_name.items():
            profile = profiles.get(name)
            fields["id" + _camel(name, upper_first=True)] = (
                None if profile is None else str(profile)
            )
            for role, column in user_type.roles.items():
                fields[_camel(column)] = f"{name}:{role}" in held
        return fields

    @staticmethod
    def _select(user_type: UserType, user_id: uuid.UUID) -> Any:
        model = user_type.model
        flags: ColumnElement[str] = literal("")
        for role, column in user_type.roles.items():
            flag = getattr(model, column)
            flags = flags + _case_role(flag, role)
        return select(
            literal(user_type.name).label("kind"),
            model.id.label("profile_id"),
            flags.label("roles"),
        ).where(model.id_user == user_id, *user_type._live())


def _camel(snake: str, *, upper_first: bool = False) -> str:
    head, *rest = snake.split("_")
    first = head.capitalize() if upper_first else head
    return first + "".join(part.capitalize() for part in rest)


def _case_role(flag: Any, role: str) -> ColumnElement[str]:
    return case((flag.is_(True), literal(role + ",")), else_=literal(""))


@dataclass(frozen=True, slots=True)
class SessionUser:
    """A login identity with its loaded profiles (user type -> profile id) and role flags.

    ``user.customer_id``-style attributes give a profile id (None when absent), and
    ``roles`` holds ``"<type>:<role>"`` strings (``internal:support``).
    """

    id: uuid.UUID
    profiles: Mapping[str, uuid.UUID] = field(default_factory=dict)
    roles: frozenset[str] = frozenset()
    email: str = ""
    name: str = ""
    email_verified: bool = False
    session_id: uuid.UUID | None = None
    authenticated_at: Any = None  # datetime of the last password/TOTP entry
    two_factor_verified: bool = True

    @property
    def user_types(self) -> frozenset[str]:
        """The user types this login has a profile of."""
        return frozenset(self.profiles)

    def profile_id(self, user_type: str) -> uuid.UUID | None:
        """The id of the ``user_type`` profile, or None."""
        return self.profiles.get(user_type)

    def has_role(self, user_type: str, role: str) -> bool:
        """True when the ``user_type`` profile carries the ``role`` flag."""
        return f"{user_type}:{role}" in self.roles

    def __getattr__(self, name: str) -> uuid.UUID | None:
        # ``ctx.user.author_id``: the seed's idAuthor, read from the loaded profiles.
        if name.endswith("_id"):
            return self.profiles.get(name[:-3])
        raise AttributeError(name)


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


def require_role(scope: Scope, user_type: str, *roles: str) -> SessionUser:
    """The caller, when their ``user_type`` profile has any of ``roles``; else 401/403."""
    user = current_user(scope)
    require_profile(scope, user_type)
    if roles and not any(user.has_role(user_type, role) for role in roles):
        raise AuthorizationError()
    return user
