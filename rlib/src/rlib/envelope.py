"""The one response shape, ``{success, data, message, status, pagination?}``, rendered with orjson.

Handlers return a plain value (wrapped into ``data``) or a :class:`Page` (which adds
``pagination``). Decimals render as strings so money never loses a cent; UUIDs and datetimes
render in their ISO forms; pydantic models render through their own serialiser.

A route that speaks another protocol's wire (the better-auth routes under ``/api/auth``)
declares a :class:`PlainWire` instead: its answer is the bare result and its errors are
``{code, message}`` in that protocol's codes.
"""

from __future__ import annotations

import decimal
import math
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import orjson
from pydantic import BaseModel

T = TypeVar("T")

_DUMP_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_UTC_Z


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a list: the rows plus what the client needs to page on.

    ``total`` is None when the count was skipped; ``has_more`` then says whether a next page exists.
    ``next_cursor`` is set for keyset pagination.
    """

    items: Sequence[T]
    page: int
    limit: int
    total: int | None
    has_more: bool | None = None
    next_cursor: str | None = None

    def pagination(self) -> dict[str, object]:
        """The envelope's ``pagination`` object."""
        body: dict[str, object] = {"page": self.page, "limit": self.limit, "total": self.total}
        if self.total is not None:
            body["totalPages"] = math.ceil(self.total / self.limit) if self.limit else 0
        else:
            body["totalPages"] = None
        if self.has_more is not None:
            body["hasMore"] = self.has_more
        if self.next_cursor is not None:
            body["nextCursor"] = self.next_cursor
        return body


def _default(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):  # asyncpg's own UUID subclass, which orjson does not know
        return str(value)
    if isinstance(value, BaseModel):
        return orjson.Fragment(value.__pydantic_serializer__.to_json(value))
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"cannot serialise {type(value).__name__}")


def dumps(value: object) -> bytes:
    """Serialise ``value`` to JSON bytes the way every response does."""
    return orjson.dumps(value, default=_default, option=_DUMP_OPTIONS)


def success_body(
    data: object, *, message: str, status: int = 200, pagination: Mapping[str, object] | None = None
) -> bytes:
    """The envelope of a successful call."""
    body: dict[str, object] = {"success": True, "data": data, "message": message, "status": status}
    if pagination is not None:
        body["pagination"] = pagination
    return dumps(body)


def error_body(
    *,
    status: int,
    code: str,
    message: str,
    data: object = None,
    errors: Sequence[Mapping[str, object]] | None = None,
    request_id: str | None = None,
) -> bytes:
    """The envelope of a failed call; ``errors`` lists field errors for a 422."""
    body: dict[str, object] = {
        "success": False,
        "data": data,
        "message": message,
        "status": status,
        "code": code,
    }
    if errors is not None:
        body["errors"] = list(errors)
    if request_id is not None:
        body["requestId"] = request_id
    return dumps(body)


@dataclass(frozen=True, slots=True)
class PlainWire:
    """Bodies without the envelope: success is the result itself, an error ``{code, message}``.

    Args:
        codes: rlib error code -> the wire's code; an unlisted one is upper-cased
            (``rate_limited`` -> ``RATE_LIMITED``).
        statuses: rlib error code -> the wire's HTTP status, where the protocol differs
            (better-auth answers a validation error 400, not 422).
    """

    codes: Mapping[str, str] = field(default_factory=dict)
    statuses: Mapping[str, int] = field(default_factory=dict)

    def code(self, code: str) -> str:
        """The wire's code for the rlib error ``code``."""
        return self.codes.get(code, code.upper())

    def status(self, code: str, status: int) -> int:
        """The wire's HTTP status for an rlib error of ``code`` and ``status``."""
        return self.statuses.get(code, status)

    def error_body(
        self,
        *,
        code: str,
        message: str,
        errors: Sequence[Mapping[str, object]] | None = None,
        request_id: str | None = None,
    ) -> bytes:
        """``{code, message}``, plus the field errors of a validation error and the request id
        of a 5xx (fields a client of the protocol ignores). A client of such a protocol shows
        ``message`` alone, so a validation error's message is its first field's."""
        if errors:
            message = str(errors[0].get("message") or message)
        body: dict[str, object] = {"code": self.code(code), "message": message}
        if errors is not None:
            body["errors"] = list(errors)
        if request_id is not None:
            body["requestId"] = request_id
        return dumps(body)
