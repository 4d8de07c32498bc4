"""Who sees which rows: the owner scope and the parent of a nested resource, as bind values."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError as PydanticError

from rlib.context import Ctx
from rlib.crud.resource import Resource
from rlib.errors import FieldError, ValidationError


@dataclass(frozen=True, slots=True)
class Visibility:
    """The scope kind of a request (``eq``, ``in``, ``none``, ``all``) and its bind values."""

    scope_kind: str
    parented: bool
    params: dict[str, Any] = field(default_factory=dict)


def visibility(res: Resource, ctx: Ctx, parent: object = None) -> Visibility:
    """What ``ctx``'s caller may see of ``res`` (under ``parent`` for a nested resource)."""
    params: dict[str, Any] = {}
    kind = "all"
    if res.scope_column is not None and res.scope_value is not None:
        value = res.scope_value(ctx)
        if value is None:
            kind = "none"
        elif isinstance(value, (list, tuple, set, frozenset)):
            kind = "in" if value else "none"
            params["scope"] = list(value)
        else:
            kind = "eq"
            params["scope"] = value
    if res.parent_column is not None:
        params["parent"] = parent
    return Visibility(kind, res.parent_column is not None, params)


def parse_id(res: Resource, raw: object, loc: str = "id") -> Any:  # the key type
    """The key value of ``raw`` in the model's key type; 422 when it cannot be one."""
    try:
        return res.pk_adapter.validate_python(raw)
    except PydanticError as exc:
        raise ValidationError([FieldError(loc=("body", loc), key="v.invalid")]) from exc
