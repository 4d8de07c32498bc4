"""The source fixture: the original's schema applies on PostgreSQL and keeps its looseness.

The import is only as credible as its source: these tests pin that the transcribed schema has
every one of the original's 45 tables and that it accepts the dirty data the original's
database holds (case-duplicate emails, free-text statuses, negative money) while enforcing
what the original did enforce (exact-duplicate emails, its foreign keys).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator

import asyncpg
import pytest
from import_original.original_content import CONTENT_KINDS
from import_original.original_data import fill
from import_original.original_source import connect, create_source_database, drop_source_database

PG_URL = os.environ.get("ESENSI_TEST_DATABASE_URL")

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(PG_URL is None, reason="needs ESENSI_TEST_DATABASE_URL (CI always sets it)"),
]

ORIGINAL_TABLES = {
    "affiliate", "auth_account", "auth_session", "auth_two_factor", "auth_user",
    "auth_verification", "author", "banner", "book", "book_approval", "book_changes_log",
    "book_genre", "book_tags", "bundle", "bundle_category", "bundle_product", "category", "cfg",
    "chapter", "customer", "customer_reader", "customer_track", "genre", "internal", "landing",
    "landing_items", "midtrx", "notif", "preorder", "product", "product_category", "promo_code",
    "publisher", "publisher_author", "ranking", "reviews", "reviews_likes", "t_ai_credit",
    "t_ai_credit_topup", "t_sales", "t_sales_download", "t_sales_line", "tags", "transaction",
    "withdrawal",
}  # fmt: skip


@pytest.fixture
async def source() -> AsyncIterator[asyncpg.Connection]:
    url = await create_source_database()
    conn = await connect(url)
    try:
        yield conn
    finally:
        await conn.close()
        await drop_source_database(url)


async def test_every_original_table_exists(source: asyncpg.Connection) -> None:
    rows = await source.fetch(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
    )
    assert {row["table_name"] for row in rows} == ORIGINAL_TABLES


async def test_emails_differing_by_case_are_accepted_as_in_the_original(
    source: asyncpg.Connection,
) -> None:
    insert = "INSERT INTO auth_user (name, email) VALUES ($1, $2)"
    await source.execute(insert, "Ani", "ani@example.com")
    await source.execute(insert, "Ani", "ANI@example.com")
    with pytest.raises(asyncpg.UniqueViolationError):
        await source.execute(insert, "Ani", "ani@example.com")


async def test_free_text_status_and_negative_money_are_accepted(
    source: asyncpg.Connection,
) -> None:
    customer = await source.fetchval(
        "INSERT INTO customer (name, email, whatsapp) VALUES ('Budi', 'budi@', '') RETURNING id"
    )
    await source.execute(
        "INSERT INTO t_sales (id_customer, status, total, info) "
        "VALUES ($1, 'lunas??', -5000, '{}')",
        customer,
    )
    assert await source.fetchval("SELECT total FROM t_sales") == -5000


async def test_the_original_foreign_keys_are_enforced(source: asyncpg.Connection) -> None:
    with pytest.raises(asyncpg.ForeignKeyViolationError):
        await source.execute(
            "INSERT INTO t_sales (id_customer, status, total, info) "
            "VALUES (gen_random_uuid(), 'paid', 1000, '{}')"
        )


DIRTY_KINDS = {
    "invalid_email", "invalid_phone", "orphan_customer_user", "orphan_author_user",
    "duplicate_email_case", "duplicate_slug", "negative_price", "odd_product_status",
    "odd_order_status", "negative_total", "paid_without_entitlement", "strike_below_price",
    "product_without_author", "missing_taxon_slug", "duplicate_taxon_slug", "parent_loop",
    "duplicate_link", "bundle_author_derived", "bundle_without_author", "negative_bundle_price",
    "odd_bundle_status", "duplicate_bundle_slug", "duplicate_bundle_line", "bad_bundle_qty",
    "book_without_author", "negative_submitted_price", "odd_book_status",
    "book_product_claimed_twice", "duplicate_book_slug", "duplicate_book_genre",
    "duplicate_chapter_number", "chapter_number_zero", "chapter_bad_content",
    "duplicate_publisher_name", "orphan_profile_user", "staff_without_login", "staff_without_role",
    "odd_approval_status", "approval_without_comment", "approval_reviewer_missing",
    "repeated_midtrans_order_id", "line_without_item", "repeated_order_item",
    "negative_line_price", "line_qty_zero", "line_total_mismatch", "order_of_rejected_customer",
    "extra_open_cart", "line_of_rejected_product", "repeated_reading_progress",
    "progress_out_of_range", "download_without_paid_order", "repeated_download",
    "duplicate_promo_code_case", "odd_discount_type", "negative_discount", "promo_used_over_limit",
    "odd_promo_status", "promo_bad_range", "odd_midtrx_type", "midtrx_without_order",
    "repeated_notification", "negative_gross_amount", "odd_ledger_type", "sale_with_wrong_sign",
    "replayed_credit", "negative_withdrawal", "second_pending_withdrawal", "odd_withdrawal_status",
} | CONTENT_KINDS  # fmt: skip


async def _fingerprint(conn: asyncpg.Connection, table: str) -> str:
    return str(
        await conn.fetchval(f"SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) FROM {table} t")
    )


async def test_the_generator_plants_every_dirty_kind_and_counts_its_rows(
    source: asyncpg.Connection,
) -> None:
    planted = await fill(source)
    assert set(planted.dirty) == DIRTY_KINDS
    assert all(count > 0 for count in planted.dirty.values())
    for table, count in planted.rows.items():
        assert await source.fetchval(f"SELECT count(*) FROM {table}") == count
    assert sum(planted.rows.values()) > 2000
    assert planted.sign_in


async def test_the_generator_is_deterministic(source: asyncpg.Connection) -> None:
    first = await fill(source, seed=7, users=60, products=40, orders=80)
    prints = {t: await _fingerprint(source, t) for t in first.rows}
    tables = await source.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    await source.execute("TRUNCATE " + ", ".join(f'"{r[0]}"' for r in tables) + " CASCADE")
    second = await fill(source, seed=7, users=60, products=40, orders=80)
    assert second == first
    assert {t: await _fingerprint(source, t) for t in second.rows} == prints
