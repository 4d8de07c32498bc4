"""Input limits: body size (declared and streamed), content type, JSON depth, NUL bytes, query size,
the range of JSON numbers, and the one bound of every list's page number and page size.

The runner applies these once it knows the endpoint, because limits are per endpoint
(chapter content and uploads declare larger bodies). Each failure is a 4xx error.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from typing import Annotated, Any
from urllib.parse import parse_qsl

import annotated_types
import orjson
from pydantic import BaseModel, Field
from starlette.types import Receive

from rlib.errors import (
    BadRequestError,
    FieldError,
    PayloadTooLargeError,
    UnsupportedMediaTypeError,
    ValidationError,
)

Loc = tuple[str | int, ...]

MAX_PAGE = 1_000_000
MAX_PAGE_SIZE = 10_000
# Every list, CRUD or hand-written, pages with these: the largest OFFSET they reach,
# (MAX_PAGE - 1) * MAX_PAGE_SIZE, stays far inside the 64-bit OFFSET of every backend.
PageNumber = Annotated[int, Field(ge=1, le=MAX_PAGE)]
PageSize = Annotated[int, Field(ge=1, le=MAX_PAGE_SIZE)]
# The limit/offset paging style; None when the caller pages by ``page``.
PageOffset = Annotated[int | None, Field(ge=0, le=MAX_PAGE * MAX_PAGE_SIZE)]
_PAGING_BOUNDS = {"page": MAX_PAGE, "limit": MAX_PAGE_SIZE, "offset": MAX_PAGE * MAX_PAGE_SIZE}

# A JSON number must survive PostgreSQL's JSONB and orjson unchanged: JSONB stores 1e308 as a
# 309-digit integer that orjson then cannot write, so a response built from it would fail.
JSON_NUMBER_LIMIT = 2**63
_LARGE_NUMBER = re.compile(rb"\d{19}|[eE][+]?\d{2}")


class RequestTimeoutError(BadRequestError):
    """408: the body did not arrive in time (slow client)."""

    status = 408
    code = "request_timeout"
    key = "error.bad_request"


async def read_body(
    receive: Receive, *, declared: int | None, limit: int, timeout_s: float
) -> bytes:
    """Read the whole body, refusing it (413) as soon as it is known to exceed ``limit``.

    A declared Content-Length over the limit is refused before anything is read; a chunked
    or lying body is counted while it streams.
    """
    if declared is not None:
        check_declared(declared, limit)
    chunks: list[bytes] = []
    size = 0
    try:
        async with asyncio.timeout(timeout_s):
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    raise BadRequestError()
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > limit:
                    raise PayloadTooLargeError(limit=limit)
                chunks.append(chunk)
                if not message.get("more_body", False):
                    break
    except TimeoutError as exc:
        raise RequestTimeoutError() from exc
    return b"".join(chunks)


def check_declared(declared: int, limit: int) -> None:
    """413 when a declared ``Content-Length`` is over ``limit`` (before a byte is read)."""
    if declared > limit:
        raise PayloadTooLargeError(limit=limit)


def check_query_size(query: bytes, limit: int) -> None:
    """413 when the query string is over ``limit`` bytes."""
    if len(query) > limit:
        raise PayloadTooLargeError("error.query_too_large", limit=limit)


def require_json(content_type: str | None, body: bytes) -> None:
    """415 unless an unempty body is declared ``application/json`` (or ``+json``)."""
    if not body:
        return
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media != "application/json" and not media.endswith("+json"):
        raise UnsupportedMediaTypeError()


def parse_json(body: bytes, *, max_depth: int) -> Any:  # any JSON value
    """Parse a JSON body: 400 when malformed or not UTF-8, 422 when too deep or holding NUL."""
    try:
        value = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        text = str(exc)
        if "depth limit" in text:
            raise ValidationError([_too_deep(max_depth)]) from exc
        key = "error.bad_utf8" if "UTF-8" in text or "surrogate" in text else "error.bad_json"
        raise BadRequestError(key) from exc
    # Counting brackets is cheap; only a body that could be deep is walked.
    if body.count(b"[") + body.count(b"{") > max_depth and _depth(value) > max_depth:
        raise ValidationError([_too_deep(max_depth)])
    if b"\\u0000" in body:
        loc = next(_nul_locations(value, ("body",)), ("body",))
        raise ValidationError([FieldError(loc=loc, key="v.nul_byte")])
    # Only a body spelling a long number or an exponent is walked.
    if _LARGE_NUMBER.search(body):
        for loc in _huge_numbers(value, ("body",)):
            raise ValidationError([FieldError(loc=loc, key="v.out_of_range")])
    return value


def _huge_numbers(value: object, loc: Loc) -> Iterator[Loc]:
    """Where a number lies outside the signed 64-bit range.

    orjson parses an integer past 64 bits as a float, so -(2**63) - 1 arrives as the float
    -(2**63), which JSONB would write back as an integer past the range: floats are held
    strictly inside it.
    """
    if isinstance(value, float):
        if not -JSON_NUMBER_LIMIT < value < JSON_NUMBER_LIMIT:
            yield loc
    elif isinstance(value, int) and not isinstance(value, bool):
        if not -JSON_NUMBER_LIMIT <= value < JSON_NUMBER_LIMIT:
            yield loc
    elif isinstance(value, dict):
        for key, child in value.items():
            yield from _huge_numbers(child, (*loc, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _huge_numbers(child, (*loc, index))


def check_paging(model: type[BaseModel], owner: str) -> None:
    """Refuse, at declaration, an input model whose ``page``/``limit``/``offset`` is unbounded.

    Every list takes :data:`PageNumber` and :data:`PageSize` (or a tighter bound): a page
    number past 64 bits would otherwise reach the database as an OFFSET it cannot bind.

    Raises:
        TypeError: naming the endpoint and the field.
    """
    for name, bound in _PAGING_BOUNDS.items():
        field = model.model_fields.get(name)
        if field is None:
            continue
        highest = [_upper(m) for m in field.metadata]
        if not any(limit is not None and limit <= bound for limit in highest):
            raise TypeError(
                f"{owner}: {model.__name__}.{name} needs an upper bound of at most {bound} "
                "(use rlib.limits.PageNumber / PageSize)"
            )


def _too_deep(max_depth: int) -> FieldError:
    return FieldError(loc=("body",), key="v.too_deep", params={"limit": max_depth})


def _depth(value: object) -> int:
    deepest = 0
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in item.values())
        elif isinstance(item, list):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in item)
    return deepest


def _nul_locations(value: object, loc: Loc) -> Iterator[Loc]:
    if isinstance(value, str):
        if "\x00" in value:
            yield loc
    elif isinstance(value, dict):
        for key, child in value.items():
            if "\x00" in key:
                yield (*loc, key.replace("\x00", ""))
            yield from _nul_locations(child, (*loc, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _nul_locations(child, (*loc, index))


def check_path_params(params: dict[str, object]) -> dict[str, object]:
    """The URL's path parameters, 422 when one holds a NUL byte (as in a query or a body)."""
    for key, value in params.items():
        if isinstance(value, str) and "\x00" in value:
            raise ValidationError([FieldError(loc=("path", key), key="v.nul_byte")])
    return params


def merge_path_params(
    raw: dict[str, Any], params: dict[str, object], source: str
) -> dict[str, Any]:
    """``raw`` (body or query) with the URL's path parameters, which name the row acted on.

    A body or query field of the same name must agree with the path: ``PATCH /x/{id}`` with
    ``{"id": <another>}`` is refused (422), never silently answered for the URL's row.
    """
    clashes = [
        FieldError(loc=(source, key), key="v.path_conflict")
        for key, value in params.items()
        if key in raw and str(raw[key]) != str(value)
    ]
    if clashes:
        raise ValidationError(clashes)
    raw.update(check_path_params(params))
    return raw


def _upper(constraint: object) -> float | None:
    if isinstance(constraint, annotated_types.Le):
        return float(constraint.le)  # type: ignore[arg-type]  # a number on int fields
    if isinstance(constraint, annotated_types.Lt):
        return float(constraint.lt) - 1  # type: ignore[arg-type]  # a number on int fields
    return None


def parse_query(query: bytes, *, limit: int) -> dict[str, str | list[str]]:
    """Query parameters (a repeated key becomes a list); 413 over ``limit``, 422 on NUL."""
    check_query_size(query, limit)
    try:
        text = query.decode("utf-8")
        pairs = parse_qsl(text, keep_blank_values=True, errors="strict")
    except UnicodeDecodeError as exc:
        raise BadRequestError("error.bad_utf8") from exc
    params: dict[str, str | list[str]] = {}
    for key, value in pairs:
        if "\x00" in key or "\x00" in value:
            raise ValidationError(
                [FieldError(loc=("query", key.replace("\x00", "")), key="v.nul_byte")]
            )
        previous = params.get(key)
        if previous is None:
            params[key] = value
        elif isinstance(previous, list):
            previous.append(value)
        else:
            params[key] = [previous, value]
    return params
