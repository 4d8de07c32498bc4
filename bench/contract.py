"""What every app serves: the URLs, parameters, limits and create constraints they share.

``GET /products?page=&limit=&category=&search=&include=author&count=exact|none`` lists live
products newest first (``published_at DESC, id DESC``: the pk last keeps pages stable), and
``POST /products`` creates one. The JSON is O's envelope; H and F are written to produce it.
"""

from __future__ import annotations

from decimal import Decimal

from bench.data import CATEGORIES

PAGE_LIMIT = 20
MAX_LIMIT = 100
NAME_MAX = 200
DESCRIPTION_MAX = 2000
PRICE_MIN = Decimal("0.01")
PRICE_MAX = Decimal("1000000")
STATUSES = ("draft", "published")
CATEGORY_SET = frozenset(CATEGORIES)
OK_MESSAGE = "Berhasil"

# Plain SQL for H (and for the EXPLAIN comparison): $n placeholders, filters appended in order.
PRODUCT_SELECT = (
    "SELECT id, author_id, name, description, price, category, status, published_at FROM product"
)
ORDER_BY = " ORDER BY published_at DESC, id DESC"
AUTHOR_SELECT = "SELECT id, name FROM author WHERE id = ANY($1)"
INSERT_PRODUCT = (
    "INSERT INTO product (author_id, name, description, price, category, status, published_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7) "
    "RETURNING id, author_id, name, description, price, category, status, published_at"
)


# Scenario b: a members-only product detail. Every app mounts it beside the public list, since
# rlib declares access per resource and the public list and create must stay public.
MEMBER_PRODUCTS = "/members/products"
# The session lookup (one query: the token's hash, unexpired, joined to its user), then the row.
SESSION_USER = (
    "SELECT u.id, u.name FROM session s JOIN app_user u ON u.id = s.user_id "
    "WHERE s.token_hash = $1 AND s.expires_at > $2"
)
PRODUCT_GET = f"{PRODUCT_SELECT} WHERE id = $1 AND deleted_at IS NULL"
# count=estimated: below this planner estimate the count is exact (rlib's default threshold).
ESTIMATE_THRESHOLD = 10_000

# Scenario c_outbox: the same create, plus one queued mail (an outbox row) in its transaction.
# Every app mounts it at its own URL, since the plain create of c must stay as it is.
MAILED_PRODUCTS = "/mailed/products"
MAIL_CONTEXT = "main"
MAIL_TO = "katalog@example.com"
MAIL_DOMAIN = "bench.test"
# The outbox row rlib's send_email writes; H and F write the same columns by hand.
OUTBOX_INSERT = (
    "INSERT INTO outbox (id, context, to_addrs, subject, text, locale, status, attempts, "
    "next_attempt_at, message_id, created_at, updated_at) "
    "VALUES ($1, $2, $3::jsonb, $4, $5, 'id', 'queued', 0, $6, $7, $6, $6)"
)


def product_mail(name: str, category: str, price: object) -> tuple[str, str]:
    """Subject and text of the mail queued for a new product (every app sends the same)."""
    amount = f"{Decimal(str(price)):.2f}"
    return (
        f"Produk baru: {name}",
        f"{name} ({category}) seharga Rp{amount} sudah masuk katalog.\n",
    )


def message_id(row_id: object) -> str:
    """The Message-ID rlib gives an outbox row (``<id@domain>``), for the apps that write it."""
    return f"<{row_id}@{MAIL_DOMAIN}>"


def bearer(header: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, else None."""
    if header is None:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or None


def where_clause(category: str | None, search: str | None) -> tuple[str, list[object]]:
    """The shared WHERE: live rows, optional category, optional ILIKE search on the name."""
    parts = ["deleted_at IS NULL"]
    args: list[object] = []
    if category is not None:
        args.append(category)
        parts.append(f"category = ${len(args)}")
    if search is not None:
        args.append(f"%{search}%")
        parts.append(f"name ILIKE ${len(args)}")
    return " WHERE " + " AND ".join(parts), args


def rows_sql(where: str, n_args: int) -> str:
    """H's page query: ``where`` (with ``n_args`` parameters) then LIMIT and OFFSET."""
    return f"{PRODUCT_SELECT}{where}{ORDER_BY} LIMIT ${n_args + 1} OFFSET ${n_args + 2}"


def count_sql(where: str) -> str:
    """H's exact count over the same WHERE."""
    return f"SELECT count(*) FROM product{where}"


def pagination(
    page: int, limit: int, total: int | None, has_more: bool | None
) -> dict[str, object]:
    """O's pagination object, for the apps that build it by hand."""
    body: dict[str, object] = {"page": page, "limit": limit, "total": total}
    body["totalPages"] = -(-total // limit) if total is not None else None
    if has_more is not None:
        body["hasMore"] = has_more
    return body
