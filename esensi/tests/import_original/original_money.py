"""The fixture's money side: orders and their lines, entitlements and reading progress.

Each dirty kind sits at its own order position (``n % 50``) so every dirty row has exactly one
defect and the import's reasons can be counted against the manifest. Orders use customers the
import keeps (a valid email) except the planted ``order_of_rejected_customer``; dirty lines use
products it keeps, ordinary lines any product, and ``line_of_rejected_product`` counts those
that hit a product the import rejects.
"""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import asyncpg

if TYPE_CHECKING:
    from import_original.original_data import _Gen

# Spellings the import maps (original-system.md §7.4) and ones it does not know.
ORDER_SPELLINGS = (
    "paid", "paid", "paid", "paid", "cart", "pending", "expired", "cancel", "settlement",
    "success", "capture", "expire", "deny", "challenge", "completed", "refund", "PAID", "lunas",
)  # fmt: skip
ODD_ORDER_STATUSES = ("refund??", "diproses", "hold")
PAID_SPELLINGS = {"paid", "settlement", "success", "capture", "completed", "lunas"}
ORDER_DEFECTS = {
    3: "odd_order_status",
    7: "negative_total",
    11: "repeated_midtrans_order_id",
    13: "line_without_item",
    17: "repeated_order_item",
    19: "negative_line_price",
    23: "line_qty_zero",
    29: "line_total_mismatch",
    31: "order_of_rejected_customer",
    37: "extra_open_cart",
}


class _Orders:
    """The rows being built, and what the generator knows of the import's rejections."""

    def __init__(self, gen: _Gen, kept: list[Any], bundles: dict[Any, list[Any]]) -> None:
        self.gen, self.kept, self.kept_set, self.bundles = gen, kept, set(kept), bundles
        self.sales: list[tuple[Any, ...]] = []
        self.lines: list[tuple[Any, ...]] = []
        self.readers: list[tuple[Any, ...]] = []
        self.downloads: list[tuple[Any, ...]] = []
        self.read_pairs: set[tuple[Any, Any]] = set()
        self.granted: set[tuple[Any, Any]] = set()
        self.carts: dict[Any, int] = {}
        self.paid: set[tuple[Any, Any]] = set()  # every pair a paid order grants
        self.last_midtrans = "ESN-0"
        self.last_cart: Any = None

    def line(self, sale: Any, price: Decimal, product: Any = None, bundle: Any = None) -> None:
        self.lines.append((self.gen.uid(), sale, price, 1, price, product, bundle))

    def read(self, customer: Any, product: Any) -> None:
        gen = self.gen
        percent = gen.rng.randrange(0, 101)
        pair = (customer, product)
        if pair in self.read_pairs:
            gen.planted.plant("repeated_reading_progress")
        elif gen.chance(3):
            percent = 120
            gen.planted.plant("progress_out_of_range")
        self.read_pairs.add(pair)
        self.readers.append((gen.uid(), customer, product, gen.rng.randrange(0, 300), percent))


def _dirty_lines(orders: _Orders, kind: int, sale: Any, bought: list[Any]) -> None:
    """The one defective line of a dirty-line order (on a product the import keeps and the
    order does not hold yet)."""
    gen = orders.gen
    product = gen.rng.choice([p for p in orders.kept if p not in bought])
    price = Decimal(gen.rng.randrange(10, 200) * 1000)
    if kind == 13:
        orders.lines.append((gen.uid(), sale, price, 1, price, None, None))
    elif kind == 17:
        orders.line(sale, price, product)
        orders.line(sale, price, product)
    elif kind == 19:
        orders.line(sale, -price, product)
    elif kind == 23:
        orders.lines.append((gen.uid(), sale, price, 0, Decimal(0), product, None))
    elif kind == 29:
        orders.lines.append((gen.uid(), sale, price, 2, price, product, None))


def _order(
    orders: _Orders, n: int, customers: tuple[list[Any], list[Any]], products: list[Any]
) -> None:
    gen, kind = orders.gen, n % 50
    sale = gen.uid()
    customer = gen.rng.choice(customers[1] if kind == 31 else customers[0])
    status = gen.rng.choice(ORDER_SPELLINGS)
    if kind == 3:
        status = gen.rng.choice(ODD_ORDER_STATUSES)
    elif kind == 37:  # a second open cart of a customer who has one
        status, customer = "cart", orders.last_cart or customer
    midtrans = "" if status == "cart" else f"ESN-{sale.hex}"
    if kind == 11:
        midtrans = orders.last_midtrans  # held by an imported order: this one is cleared
    elif midtrans and kind not in (7, 31):
        orders.last_midtrans = midtrans
    if kind in ORDER_DEFECTS and kind != 37:
        gen.planted.plant(ORDER_DEFECTS[kind])
    if status == "cart" and kind not in (7, 31):
        orders.carts[customer] = orders.carts.get(customer, 0) + 1
        orders.last_cart = customer
        if orders.carts[customer] > 1:
            gen.planted.plant("extra_open_cart")
    total = _items(orders, n, sale, products)
    orders.sales.append((sale, customer, status, -total if kind == 7 else total, midtrans))
    if status.lower() in PAID_SPELLINGS and kind not in (7, 31):
        owned = [line[5] for line in orders.lines if line[1] == sale and line[5] in orders.kept_set]
        bundles = [line[6] for line in orders.lines if line[1] == sale and line[6] is not None]
        orders.paid.update((customer, p) for p in owned)
        orders.paid.update((customer, p) for b in bundles for p in orders.bundles[b])
        _entitle(orders, customer, list(dict.fromkeys(owned)), n)


def _items(orders: _Orders, n: int, sale: Any, products: list[Any]) -> Decimal:
    """The order's lines (ordinary ones, maybe a bundle, maybe a defective one); its total."""
    gen, kind = orders.gen, n % 50
    bought = gen.rng.sample(products, gen.rng.randint(1, 3))
    prices = [Decimal(gen.rng.randrange(10, 200) * 1000) for _ in bought]
    for product, price in zip(bought, prices, strict=True):
        orders.line(sale, price, product)
        if product not in orders.kept_set and kind not in (7, 31):
            gen.planted.plant("line_of_rejected_product")
    if n % 10 == 9 and orders.bundles:
        bundle = gen.rng.choice(sorted(orders.bundles))
        orders.line(sale, Decimal(50_000), bundle=bundle)
        prices.append(Decimal(50_000))
    _dirty_lines(orders, kind, sale, bought)
    return sum(prices, Decimal(0))


def _entitle(orders: _Orders, customer: Any, bought: list[Any], n: int) -> None:
    """What the original's webhooks wrote for a paid order: reading rows, sometimes downloads."""
    gen = orders.gen
    if gen.chance(10):
        gen.planted.plant("paid_without_entitlement")
        return
    for product in bought:
        orders.read(customer, product)
        if n % 5 == 0 and (customer, product) not in orders.granted:
            orders.downloads.append((gen.uid(), product, customer, f"kunci-{n}"))
        orders.granted.add((customer, product))


def _odd_entitlements(orders: _Orders, customers: list[Any]) -> None:
    """A download no paid order grants, a repeated download, progress on a rejected product."""
    gen = orders.gen
    for _ in range(3):
        pair = (gen.rng.choice(customers), gen.rng.choice(orders.kept))
        if pair not in orders.paid:
            orders.downloads.append((gen.uid(), pair[1], pair[0], "kunci-liar"))
            gen.planted.plant("download_without_paid_order")
    if orders.downloads:
        first = orders.downloads[0]
        orders.downloads.append((gen.uid(), first[1], first[2], "kunci-ulang"))
        gen.planted.plant("repeated_download")


async def orders(
    conn: asyncpg.Connection,
    gen: _Gen,
    products: list[uuid.UUID],
    count: int,
) -> None:
    """``count`` orders with their lines, reading rows and download rows."""
    good = [r["id"] for r in await conn.fetch("SELECT id FROM customer WHERE email LIKE '%@%'")]
    bad = [r["id"] for r in await conn.fetch("SELECT id FROM customer WHERE email NOT LIKE '%@%'")]
    kept = [
        r["id"]
        for r in await conn.fetch(
            "SELECT id FROM product WHERE real_price >= 0 AND id_author IS NOT NULL ORDER BY id"
        )
    ]
    bundles: dict[Any, list[Any]] = {}
    for row in await conn.fetch(
        "SELECT id FROM bundle WHERE real_price >= 0 AND id_author IS NOT NULL ORDER BY id"
    ):
        bundles[row["id"]] = []
    for row in await conn.fetch("SELECT id_bundle, id_product FROM bundle_product ORDER BY id"):
        if row["id_bundle"] in bundles:
            bundles[row["id_bundle"]].append(row["id_product"])
    built = _Orders(gen, kept, bundles)
    for n in range(count):
        _order(built, n, (sorted(good), sorted(bad) or sorted(good)), products)
    _odd_entitlements(built, sorted(good))
    await conn.executemany(
        "INSERT INTO t_sales (id, id_customer, status, total, midtrans_order_id, info, "
        "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        [
            (*s, json.dumps({"n": i, "snap_token": f"tok-{i}"}), gen.moment())
            for i, s in enumerate(built.sales)
        ],
    )
    await conn.executemany(
        "INSERT INTO t_sales_line (id, id_sales, unit_price, qty, total_price, id_product, "
        "id_bundle) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        built.lines,
    )
    await conn.executemany(
        "INSERT INTO customer_reader (id, id_customer, id_product, last_page, percent) "
        "VALUES ($1, $2, $3, $4, $5)",
        built.readers,
    )
    await conn.executemany(
        "INSERT INTO t_sales_download (id, id_product, id_customer, download_key, downloaded_at) "
        "VALUES ($1, $2, $3, $4, $5)",
        [(*d, gen.moment()) for d in built.downloads],
    )
    gen.planted.rows.update(
        t_sales=len(built.sales),
        t_sales_line=len(built.lines),
        customer_reader=len(built.readers),
        t_sales_download=len(built.downloads),
    )


PROMO_DEFECTS = {
    2: "duplicate_promo_code_case",
    4: "odd_discount_type",
    6: "negative_discount",
    8: "promo_used_over_limit",
    10: "odd_promo_status",
    11: "promo_bad_range",
}
PROMO_KINDS = ("percentage", "percent", "fixed", "nominal")
PROMO_STATUSES = ("active", "aktif", "inactive", "expired")


def _promo(gen: _Gen, n: int, publisher: Any, previous: str) -> tuple[Any, ...]:
    kind = PROMO_KINDS[n % 4]
    value = Decimal(10 if kind.startswith("percent") else 15_000)
    code, status, limit, used = f"HEMAT{n}", PROMO_STATUSES[n % 4], 10, n % 10
    start = gen.moment()
    end = start + timedelta(days=30)
    if n % 12 == 2:
        code = previous.lower()
    elif n % 12 == 4:
        kind = "gratis"
    elif n % 12 == 6:
        value = -value
    elif n % 12 == 8:
        used = 15
    elif n % 12 == 10:
        status = "arsip"
    elif n % 12 == 11:
        end = start - timedelta(days=1)
    if n % 12 in PROMO_DEFECTS:
        gen.planted.plant(PROMO_DEFECTS[n % 12])
    return (gen.uid(), code, kind, value, start, end, limit, used, status, publisher)


def _events(gen: _Gen, order_ids: list[str]) -> list[tuple[Any, ...]]:
    """Gateway events; planted: an unknown type, no order id, a repeated notification, a
    negative gross amount."""
    events: list[tuple[Any, ...]] = []
    kinds = ("notification", "webhook", "status", "snap")
    for n in range(32):
        payload: dict[str, Any] = {
            "order_id": order_ids[n % len(order_ids)],
            "transaction_id": f"trx-{n}",
            "transaction_status": "settlement",
            "status_code": "200",
            "gross_amount": "150000.00",
        }
        kind = "notification" if n % 16 == 10 else kinds[n % 4]
        if n % 16 == 3:
            kind = "log"
            gen.planted.plant("odd_midtrx_type")
        elif n % 16 == 7:
            del payload["order_id"]
            gen.planted.plant("midtrx_without_order")
        elif n % 16 == 11:
            kind, payload = "notification", json.loads(events[-1][2])
            gen.planted.plant("repeated_notification")
        elif n % 16 == 15:
            payload["gross_amount"] = "-150000.00"
            gen.planted.plant("negative_gross_amount")
        events.append((gen.uid(), kind, json.dumps(payload), gen.moment()))
    return events


# Per publisher (by position): its requests (status, amount); "-" marks a negative amount.
REQUESTS = (
    (("success", 50_000), ("pending", 40_000)),
    (("ditolak", 30_000), ("pending", 20_000), ("pending", 10_000)),
    (("batal", 25_000), ("ditahan", 15_000)),
    (("done", 35_000), ("-", 5_000)),
)
LEDGER_DEFECTS = {5: "odd_ledger_type", 9: "sale_with_wrong_sign", 13: "replayed_credit"}


def _ledger(
    gen: _Gen, publishers: list[Any], orders: list[Any]
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """(withdrawal rows, ledger rows): 12 sales per publisher; the first publisher's ledger
    holds only repairable defects, so its balance must come over unchanged."""
    requests: list[tuple[Any, ...]] = []
    ledger: list[tuple[Any, ...]] = []
    k = 0
    for p, publisher in enumerate(publishers):
        for _ in range(12):
            # Distinct amounts: only the planted replay repeats (publisher, order, amount).
            kind, amount = "sale", Decimal((gen.rng.randrange(10, 200) * 100 + k) * 10)
            info: dict[str, Any] = {"id_sales": str(orders[k % len(orders)])}
            if k % 20 == 5:
                kind = "bonus"
            elif k % 20 == 9:
                amount = -amount
            elif k % 20 == 13:
                amount, info = ledger[-1][3], json.loads(ledger[-1][4])
            if k % 20 in LEDGER_DEFECTS:
                gen.planted.plant(LEDGER_DEFECTS[k % 20])
            ledger.append((gen.uid(), publisher, kind, amount, json.dumps(info), gen.moment()))
            k += 1
        for status, value in REQUESTS[p % len(REQUESTS)]:
            request, moment = gen.uid(), gen.moment()
            if status == "-":
                requests.append((request, publisher, Decimal(-value), "pending", moment))
                gen.planted.plant("negative_withdrawal")
                continue
            requests.append((request, publisher, Decimal(value), status, moment))
            bank = {"bank_account_number": f"123{p}", "bank_account_provider": "BCA"}
            bank |= {"bank_account_name": f"Penerbit {p}", "id_withdrawal": str(request)}
            ledger.append(
                (gen.uid(), publisher, "withdrawal", Decimal(-value), json.dumps(bank), moment)
            )
    gen.planted.dirty["second_pending_withdrawal"] = 1  # the second publisher's
    gen.planted.dirty["odd_withdrawal_status"] = 1  # the third publisher's "ditahan"
    return requests, ledger


async def finance(conn: asyncpg.Connection, gen: _Gen) -> None:
    """Promo codes, gateway events, payout requests and the publisher ledger."""
    publishers = [r["id"] for r in await conn.fetch("SELECT id FROM publisher ORDER BY id")]
    order_ids = [
        r["midtrans_order_id"]
        for r in await conn.fetch(
            "SELECT midtrans_order_id FROM t_sales WHERE midtrans_order_id <> '' ORDER BY id"
        )
    ] or ["ESN-0"]
    promos: list[tuple[Any, ...]] = []
    for n in range(24):
        previous = promos[-1][1] if promos else ""
        promos.append(_promo(gen, n, publishers[n % len(publishers)], previous))
    await conn.executemany(
        "INSERT INTO promo_code (id, code, discount_type, discount_value, valid_from, valid_to, "
        "usage_limit, used_count, status, id_publisher) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        promos,
    )
    events = _events(gen, order_ids)
    await conn.executemany(
        "INSERT INTO midtrx (id, type, payload, tz) VALUES ($1, $2, $3, $4)", events
    )
    sales = [r["id"] for r in await conn.fetch("SELECT id FROM t_sales ORDER BY id")]
    requests, ledger = _ledger(gen, publishers, sales or [gen.uid()])
    await conn.executemany(
        "INSERT INTO withdrawal (id, id_publisher, amount, status, requested_at) "
        "VALUES ($1, $2, $3, $4, $5)",
        requests,
    )
    await conn.executemany(
        'INSERT INTO "transaction" (id, id_publisher, type, amount, info, created_at) '
        "VALUES ($1, $2, $3, $4, $5, $6)",
        ledger,
    )
    await _dropped(conn, gen, publishers)
    gen.planted.rows.update(promo_code=len(promos), midtrx=len(events))
    gen.planted.rows.update(withdrawal=len(requests), transaction=len(ledger))


async def _dropped(conn: asyncpg.Connection, gen: _Gen, publishers: list[Any]) -> None:
    """Rows of tables ours dropped: AI credit balances and top-ups, a page-view log."""
    balances = [(gen.uid(), p, 1000 * (n + 1)) for n, p in enumerate(publishers)]
    await conn.executemany(
        "INSERT INTO t_ai_credit (id, id_publisher, balance) VALUES ($1, $2, $3)", balances
    )
    topups = [(gen.uid(), c[0], 500, "paid", gen.moment()) for c in balances for _ in range(2)]
    await conn.executemany(
        "INSERT INTO t_ai_credit_topup (id, id_t_ai_credit, amount, status, created_at) "
        "VALUES ($1, $2, $3, $4, $5)",
        topups,
    )
    customer = await conn.fetchval("SELECT id FROM customer ORDER BY id LIMIT 1")
    tracks = [
        (gen.uid(), customer, f"/buku/{n}", "", "{}", "127.0.0.1", gen.moment()) for n in range(5)
    ]
    await conn.executemany(
        "INSERT INTO customer_track (id, id_customer, path, referrer, info, ip, ts) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7)",
        tracks,
    )
    gen.planted.rows.update(
        t_ai_credit=len(balances), t_ai_credit_topup=len(topups), customer_track=len(tracks)
    )
