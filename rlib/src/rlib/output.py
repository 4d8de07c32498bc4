"""Output models: what a handler returns is checked against its declared output type.

The adapter for each endpoint is built once. A value that already is an instance of the
output model passes through; a ``Page`` has its items checked; anything else is validated,
so a handler can never leak a field its output model does not declare.
"""

from __future__ import annotations

import typing
from typing import Any

import orjson
from pydantic import BaseModel, TypeAdapter

from rlib.endpoint import Endpoint
from rlib.envelope import Page


def _item_type(annotation: Any) -> Any:  # a type annotation
    if typing.get_origin(annotation) is Page:
        (item,) = typing.get_args(annotation) or (Any,)
        return list[item]  # type: ignore[valid-type]  # built from the Page's parameter
    return annotation


class OutputRenderer:
    """Validates and pre-serialises handler results per endpoint output type."""

    def __init__(self) -> None:
        self._adapters: dict[int, TypeAdapter[Any] | None] = {}

    def _adapter(self, endpoint: Endpoint) -> TypeAdapter[Any] | None:
        key = id(endpoint)
        if key not in self._adapters:
            annotation = endpoint.output_model
            if not endpoint.validate_output or annotation in (None, Any, type(None), object):
                self._adapters[key] = None
            else:
                self._adapters[key] = TypeAdapter(_item_type(annotation))
        return self._adapters[key]

    def data(self, endpoint: Endpoint, result: object) -> object:
        """The ``data`` of the envelope for ``result`` (a JSON fragment when validated)."""
        value = result.items if isinstance(result, Page) else result
        if isinstance(value, BaseModel):
            return value
        adapter = self._adapter(endpoint)
        if adapter is None:
            return value
        return orjson.Fragment(
            adapter.dump_json(adapter.validate_python(value, from_attributes=True))
        )
