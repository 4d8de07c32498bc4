"""Orders in the back office (``order_list``, ``order_get``): support and management read them,
never edit them here (payments and refunds are ``manage_transaction``). Carts are not orders and
answer 404 like an unknown id; so does a deleted row.

Staff see the customer's name and email (they answer the customer's questions) but never the
payment token (``snap_token`` is a sensitive column, left out of every generic read).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, literal_column

from esensi.models.enums import SalesStatus
from esensi.models.sales import TSales
from rlib.crud import crud_handler, op

READERS = ("internal:support", "internal:management")  # spec/endpoints.md §5
LINE_FIELDS = [
    "id",
    "id_product",
    "id_bundle",
    "unit_price",
    "qty",
    "total_price",
    "discount_amount",
]


def _orders_only() -> ColumnElement[bool]:
    # Inline SQL, no bound value: the engine's compiled statements take request values only.
    cart: ColumnElement[str] = literal_column(f"'{SalesStatus.CART.value}'")
    return and_(TSales.status != cart, TSales.deleted_at.is_(None))


order = crud_handler(
    TSales,
    {
        "name": "order",
        "url": "/order",
        "resource": "resource.order",
        "auth": READERS,
        "list": {
            "where": _orders_only,
            "search_fields": ["midtrans_order_id", "promo_code"],
            "filters": {
                "status": op.eq | op.in_,
                "id_customer": op.eq,
                "created_at": op.gte | op.lte,
                "paid_at": op.gte | op.lte,
                "payment_type": op.eq,
            },
            "include": {"customer": ["id", "name", "email"]},
            "order_by": ["-created_at"],
            "sortable": ["created_at", "paid_at", "total"],
        },
        "get": {"include": {"customer": ["id", "name", "email"], "lines": LINE_FIELDS}},
        "delete": {"enabled": False},
    },
)
