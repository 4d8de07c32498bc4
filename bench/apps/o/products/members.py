"""Scenario b on O: the product resource's ``get`` for signed-in bench users only.

rlib declares access per resource, and the public list and create of ``endpoints`` must stay
public, so the members' detail is a second declaration over the same table at its own URL
(every app mounts it there). Only ``get`` is in use; delete is off so nothing writes here.
"""

from __future__ import annotations

from bench import contract
from bench.apps.o.auth import USER_TYPE
from bench.models import PRODUCT_COLUMNS, Product
from rlib.crud import crud_handler

member_products = crud_handler(
    Product,
    {
        "name": "member_product",
        "url": contract.MEMBER_PRODUCTS,
        "auth": USER_TYPE,
        "fields": list(PRODUCT_COLUMNS),
        "delete": {"enabled": False},
        "soft_delete": {"enabled": True},
        "max_page_size": contract.MAX_LIMIT,
    },
)
