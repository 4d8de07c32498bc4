"""``Ctx``: what a handler receives — the Python form of the original's ``this.req``.

It is a :class:`~rlib.scope.Scope` (database session, user, settings, language, on_commit)
plus the request, its id and the endpoint being run.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request

from rlib.db.tx import UnitOfWork
from rlib.i18n import DEFAULT_LANG, Lang
from rlib.scope import Scope, User


class Ctx(Scope):
    """The request context: ``req``, ``db``, ``user``, ``settings``, ``request_id``, ``lang``."""

    __slots__ = ("body", "endpoint_name", "req", "request_id", "response_headers", "status_code")

    def __init__(
        self,
        unit: UnitOfWork,
        *,
        req: Request,
        request_id: str,
        endpoint_name: str,
        user: User | None = None,
        settings: object = None,
        lang: Lang = DEFAULT_LANG,
    ) -> None:
        super().__init__(unit, user=user, settings=settings, lang=lang)
        self.req = req
        self.request_id = request_id
        self.endpoint_name = endpoint_name
        self.body: bytes = b""
        self.status_code = 200
        self.response_headers: dict[str, str] = {}

    def transaction(self) -> AbstractAsyncContextManager[AsyncSession]:
        """An explicit block that commits at its end (rolls back on an exception).

        For a handler that must call a remote service between two writes: each block commits
        before the call, so no transaction holds locks while it waits. What follows the last
        block is committed by the runner as usual.
        """
        return self.unit.transaction()
