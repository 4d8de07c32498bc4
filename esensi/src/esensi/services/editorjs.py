"""Editor.js documents as chapters store them: known block types only, bounded size.

A document is ``{"time"?, "version"?, "blocks": [{"id"?, "type", "data", "tunes"?}, ...]}``.
Block types that would carry markup or third-party frames (``raw``, ``embed``) are refused: the
reading site renders blocks, never HTML from them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import orjson

from rlib import ValidationError
from rlib.errors import FieldError

BLOCK_TYPES = frozenset(
    {
        "paragraph",
        "header",
        "list",
        "checklist",
        "quote",
        "warning",
        "delimiter",
        "image",
        "table",
        "code",
    }
)
MAX_BYTES = 2 * 1024 * 1024  # the stored JSON of one chapter
MAX_BLOCKS = 20_000
DOCUMENT_KEYS = frozenset({"time", "version", "blocks"})
BLOCK_KEYS = frozenset({"id", "type", "data", "tunes"})


def check(document: Mapping[str, Any], loc: Sequence[str | int]) -> None:
    """422 naming the first offending block (its position and type), or the document itself.

    ``loc`` is where the document sits in the request (``("body", "content")``).
    """
    where = tuple(loc)
    error = _document_error(document, where)
    if error is not None:
        raise ValidationError([error])


def _document_error(document: Mapping[str, Any], loc: tuple[str | int, ...]) -> FieldError | None:
    blocks = document.get("blocks")
    if not _document_shape(document) or not isinstance(blocks, list):
        return FieldError(loc=loc, key="chapter.document_shape")
    try:
        size = len(orjson.dumps(document))
    except orjson.JSONEncodeError:  # e.g. an integer beyond 64 bits somewhere in a block
        return FieldError(loc=loc, key="chapter.document_shape")
    if len(blocks) > MAX_BLOCKS or size > MAX_BYTES:
        return FieldError(loc=loc, key="chapter.content_too_large", params={"mib": 2})
    for index, block in enumerate(blocks):
        error = _block_error(block, (*loc, "blocks", index), index + 1)
        if error is not None:
            return error
    return None


def _document_shape(document: Mapping[str, Any]) -> bool:
    time, version = document.get("time", 0), document.get("version", "")
    return (
        not set(document) - DOCUMENT_KEYS
        and isinstance(time, int)
        and 0 <= time < 2**53
        and isinstance(version, str)
        and len(version) <= 32
    )


def _block_error(block: object, loc: tuple[str | int, ...], position: int) -> FieldError | None:
    if (
        not isinstance(block, dict)
        or not isinstance(block.get("type"), str)
        or not isinstance(block.get("data"), dict)
        or set(block) - BLOCK_KEYS
    ):
        return FieldError(loc=loc, key="chapter.block_shape", params={"position": position})
    if block["type"] not in BLOCK_TYPES:
        return FieldError(
            loc=(*loc, "type"),
            key="chapter.block_type",
            params={
                "position": position,
                "type": block["type"][:40],
                "allowed": ", ".join(sorted(BLOCK_TYPES)),
            },
        )
    return None
