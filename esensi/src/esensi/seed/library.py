"""Demo libraries: entitlements of paid orders (revoked when refunded) and reading progress."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from esensi.models.entitlement import CustomerReader, TSalesDownload
from esensi.models.enums import SalesStatus
from esensi.seed.clock import at
from esensi.seed.keys import rng, seed_id
from esensi.seed.orders import OWNED
from esensi.seed.people import stamps
from esensi.seed.runner import Tables

if TYPE_CHECKING:
    from esensi.seed.world import Block


def entitlement_rows(block: Block) -> list[dict[str, Any]]:
    """One row per product of a paid or refunded order (bundles expanded)."""
    rows = []
    for order in block.orders:
        if order.status not in OWNED:
            continue
        refunded = order.status == SalesStatus.REFUNDED
        for line in order.lines:
            for book in line.books:
                downloaded = not refunded and book.number % 3 == 0
                rows.append(
                    {
                        "id": seed_id("t_sales_download", f"{order.customer.id}:{book.product_id}"),
                        "id_customer": order.customer.id,
                        "id_product": book.product_id,
                        "id_sales": order.id,
                        "granted_at": order.paid_at,
                        "revoked_at": order.ended_at if refunded else None,
                        "download_key": None,
                        "download_key_expires_at": None,
                        "downloaded_at": at(order.day + 1) if downloaded else None,
                        "ip_address": "203.0.113.10" if downloaded else None,
                        **stamps(order.ended_at),
                    }
                )
    return rows


def reader_rows(block: Block, entitlements: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Progress of about half of the live entitlements; serials remember the chapter."""
    first_chapter = {
        c.book.product_id: c.id for c in block.chapters if c.number == 1 and c.published
    }
    rows = []
    for item in entitlements:
        rand = rng("reader", item["id"])
        if item["revoked_at"] is not None or rand.random() < 0.5:
            continue
        percent = Decimal(rand.randrange(1, 101))
        rows.append(
            {
                "id": seed_id("customer_reader", str(item["id"])),
                "id_customer": item["id_customer"],
                "id_product": item["id_product"],
                "id_chapter": first_chapter.get(item["id_product"]),
                "last_page": int(percent * 2),
                "percent": percent,
                **stamps(item["granted_at"] + (at(3) - at(0))),
            }
        )
    return rows


def seed_library(block: Block) -> Tables:
    entitlements = entitlement_rows(block)
    tables: Tables = [(TSalesDownload, entitlements)]
    return [*tables, (CustomerReader, reader_rows(block, entitlements))]
