"""The unit-of-work scope a service receives: database session, user, language, after-commit queue.

Services take a :class:`Scope`, never the request context, so the same functions run from
HTTP handlers, workers, the CLI and tests.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from rlib.db.tx import UnitOfWork
from rlib.i18n import DEFAULT_LANG, Lang

AfterCommit = Callable[[], Awaitable[None] | None]


class User(Protocol):
    """The signed-in identity as the framework sees it (filled in by the auth layer)."""

    @property
    def id(self) -> Any: ...  # the app chooses the identity's id type

    @property
    def user_types(self) -> frozenset[str]: ...


class Scope:
    """Database session, user, settings and language of one unit of work."""

    __slots__ = ("lang", "settings", "unit", "user")

    def __init__(
        self,
        unit: UnitOfWork,
        *,
        user: User | None = None,
        settings: object = None,
        lang: Lang = DEFAULT_LANG,
    ) -> None:
        self.unit = unit
        self.user = user
        self.settings = settings
        self.lang: Lang = lang

    @property
    def db(self) -> AsyncSession:
        """The unit's session; the transaction begins on first use and commits at the edge."""
        return self.unit.session

    def on_commit(self, callback: AfterCommit) -> None:
        """Run ``callback`` only after the unit's transaction committed successfully."""
        self.unit.on_commit(callback)
