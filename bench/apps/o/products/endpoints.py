"""O's endpoints: one ``crud_handler`` declaration, rlib's default settings.

``GET /products`` is the resource's list action (filters, search, count strategies, includes
on request); ``POST /products`` without an ``action`` is its create action (201).
"""

from __future__ import annotations

from bench import contract
from bench.apps.schemas import ProductCreate
from bench.models import Product
from rlib.crud import crud_handler, op

products = crud_handler(
    Product,
    {
        "name": "product",
        "url": "/products",
        "auth": "public",
        "fields": [
            "id",
            "author_id",
            "name",
            "description",
            "price",
            "category",
            "status",
            "published_at",
        ],
        "list": {
            "filters": {"category": op.eq},
            "search_fields": ["name"],
            "includable": {"author": ["id", "name"]},
            "order_by": ["-published_at"],
        },
        "create": {"schema": ProductCreate},
        "soft_delete": {"enabled": True},
        "max_page_size": contract.MAX_LIMIT,
    },
)
