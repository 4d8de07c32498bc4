"""``author_bulk_update``: up to 100 authors in one transaction, each item validated."""

from __future__ import annotations

from typing import Any

import pydantic

from esensi.api.internal.people import PEOPLE_STAFF
from esensi.api.internal.people_hooks import actor_of
from esensi.api.internal.people_schemas import AuthorBulkItem, AuthorBulkUpdate, BulkResult
from esensi.services import author_bulk
from rlib import Ctx, NotFoundError, ValidationError, define_api
from rlib.errors import FieldError, StaleVersionError
from rlib.i18n import field_error_from_pydantic


def _validated(raw: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # Every item is checked before anything is written; all the errors are reported at once.
    items: list[dict[str, Any]] = []
    errors: list[FieldError] = []
    seen: set[object] = set()
    for index, body in enumerate(raw):
        loc = ("body", "authors", index)
        try:
            item = AuthorBulkItem.model_validate(body)
        except pydantic.ValidationError as exc:
            errors += [field_error_from_pydantic(d, loc) for d in exc.errors()]
            continue
        if item.id in seen:
            errors.append(FieldError(loc=(*loc, "id"), key="v.duplicate_id"))
        seen.add(item.id)
        items.append(item.model_dump(exclude_unset=True))
    if errors:
        raise ValidationError(errors)
    return items


@define_api(
    name="author_bulk_update",
    url="/author/bulk-update",
    auth=PEOPLE_STAFF,
    errors=(NotFoundError, StaleVersionError),
)
async def author_bulk_update(ctx: Ctx, payload: AuthorBulkUpdate) -> BulkResult:
    """Update up to 100 authors (name, biography, social media, avatar, cfg): all or none."""
    items = _validated(payload.authors)
    ids = await author_bulk.bulk_update(ctx, actor_of(ctx), items)
    return BulkResult(updated=len(ids), ids=ids)
