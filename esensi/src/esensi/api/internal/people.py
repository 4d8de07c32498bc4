"""The people staff manage: one CRUD resource per profile type (spec/endpoints.md §5), at
``/api/internal/<type>`` with the original ``<type>/list|get|create|update|delete`` URLs.

Lists show list columns only (no bank fields, no logins' secrets); a get adds the related-row
counts and, for authors and publishers, the bank details (the account number masked unless the
caller is management). Customers are soft-deleted (``hard`` only while no order, entitlement or
reading row points at them); the other types are removed, or refused with 409 naming the
relation that still points at them.
"""

from __future__ import annotations

from pydantic import BaseModel

from esensi.api.internal.people_hooks import PeopleHooks, StaffHooks
from esensi.api.internal.people_schemas import (
    AffiliateWrite,
    AuthorWrite,
    CustomerWrite,
    InternalWrite,
    PublisherWrite,
)
from esensi.services.people import KINDS
from rlib.crud import CrudOptions, crud_handler, op
from rlib.crud.options import ListOptions

PEOPLE_STAFF = ("internal:support", "internal:management")  # spec/endpoints.md §5
STAFF_KEEPERS = ("internal:management", "internal:it")  # the internal (staff) entity


def _list(search: list[str], **filters: int) -> ListOptions:
    return {
        "search_fields": search,
        "filters": {"id_user": op.eq | op.is_null, "created_at": op.gte | op.lte, **filters},
        "order_by": ["-created_at"],
        "sortable": ["name", "created_at", "updated_at"],
        "label_field": "name",
    }


def _options(
    name: str,
    schema: type[BaseModel],
    listing: ListOptions,
    *,
    auth: tuple[str, ...] = PEOPLE_STAFF,
    soft: bool = False,
) -> CrudOptions:
    kind = KINDS[name]
    hooks = StaffHooks(kind) if name == "internal" else PeopleHooks(kind)
    options: CrudOptions = {
        "name": name,
        "url": f"/{name}",
        "resource": kind.label,
        "auth": auth,
        "list": listing,
        "get": {"after": hooks.detailed},
        "create": {"schema": schema, "before": hooks.creating, "after": hooks.created},
        "update": {"schema": schema, "before": hooks.updating},
        "delete": {"before": hooks.deleting, "hard": soft},
    }
    if soft:
        options["soft_delete"] = {"enabled": True}
        options["restore"] = {"after": hooks.restored}
    return options


affiliate = crud_handler(
    KINDS["affiliate"].model, _options("affiliate", AffiliateWrite, _list(["name"]))
)
author = crud_handler(
    KINDS["author"].model, _options("author", AuthorWrite, _list(["name", "biography"]))
)
customer = crud_handler(
    KINDS["customer"].model,
    _options("customer", CustomerWrite, _list(["name", "email", "whatsapp"]), soft=True),
)
internal = crud_handler(
    KINDS["internal"].model,
    _options(
        "internal",
        InternalWrite,
        _list(
            ["name"],
            is_sales_and_marketing=op.eq,
            is_support=op.eq,
            is_management=op.eq,
            is_it=op.eq,
        ),
        auth=STAFF_KEEPERS,
    ),
)
publisher = crud_handler(
    KINDS["publisher"].model,
    _options("publisher", PublisherWrite, _list(["name", "description", "website", "address"])),
)
