"""Who sees which rows: the owner scope and the parent of a nested resource, as bind values."""

from __future__ import annotations

import enum
import inspect
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel
from pydantic import ValidationError as PydanticError

from rlib.context import Ctx
from rlib.crud.resource import Resource
from rlib.errors import FieldError, ValidationError
from rlib.i18n import field_error_from_pydantic


class Unscoped(enum.Enum):
    """What a scope ``value`` returns for a caller who sees every row (e.g. a staff role)."""

    UNSCOPED = "unscoped"


UNSCOPED = Unscoped.UNSCOPED


@dataclass(frozen=True, slots=True)
class Visibility:
    """The scope kind of a request (``eq``, ``in``, ``none``, ``all``) and its bind values.

    ``all`` is a resource without a scope, or a caller its scope ``value`` answers UNSCOPED for.
    """

    scope_kind: str
    parented: bool
    params: dict[str, Any] = field(default_factory=dict)


async def visibility(res: Resource, ctx: Ctx, parent: object = None) -> Visibility:
    """What ``ctx``'s caller may see of ``res`` (under ``parent`` for a nested resource)."""
    params: dict[str, Any] = {}
    kind = "all"
    if res.scope_column is not None and res.scope_value is not None:
        value = res.scope_value(ctx)
        if inspect.isawaitable(value):  # e.g. a publisher's active authors, from the database
            value = await value
        if value is UNSCOPED:
            kind = "all"
        elif value is None:
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


def ident_of(res: Resource, payload: BaseModel) -> object:
    """The requested key: ``id``, else the key column's own name (``{"key": ...}`` for cfg)."""
    ident = getattr(payload, "id", None)
    if ident is None:
        ident = (payload.model_extra or {}).get(res.meta.pk.name)
    if ident is None:
        raise ValidationError([FieldError(loc=("body", "id"), key="v.missing")])
    return ident


def parse_id(res: Resource, raw: object, loc: str = "id") -> Any:  # the key type
    """The key value of ``raw`` in the model's key type; 422 when it cannot be one.

    The key column's own limits apply (strictly a string for a text key, its length, no NUL
    byte, its integer width), so a bad key is refused here, never by the database driver.
    """
    try:
        return res.pk_adapter.validate_python(raw)
    except PydanticError as exc:
        errors = [field_error_from_pydantic(detail, ("body", loc)) for detail in exc.errors()]
        raise ValidationError(errors) from exc
