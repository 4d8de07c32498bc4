"""Importing the money history: orders and lines, reading progress, entitlements (the
original's and those derived from paid orders), every row imported or reported with its
reason, into PostgreSQL and SQLite, and a second run adding nothing."""

from __future__ import annotations

import os
import uuid
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from import_original.original_data import Planted
from import_original.original_source import (
    connect,
    filled_source,
)
from sqlalchemy import func, select, text

from esensi.importer.cleaning import map_status
from esensi.importer.entitlements import derived_id
from esensi.importer.finance import WITHDRAWAL_STATUS, ledger_type
from esensi.importer.report import Report
from esensi.importer.run import run_import
from esensi.importer.sales import ORDER_STATUS, UNKNOWN_ORDER_STATUS
from esensi.importer.sink import Sink
from esensi.models import metadata
from esensi.models.enums import SalesStatus
from esensi.services.ledger import money
from factories import login_as
from rlib.db.engine import Database
from rlib.testing import FakeAuthenticator

PG_URL = os.environ.get("ESENSI_TEST_DATABASE_URL")
needs_pg = pytest.mark.skipif(PG_URL is None, reason="needs ESENSI_TEST_DATABASE_URL")
MONEY = ("t_sales", "t_sales_line", "customer_reader", "t_sales_download")

# Each (customer, product) a paid order holds, bundles expanded, that has no entitlement.
UNENTITLED = """
SELECT count(*) FROM (
  SELECT s.id_customer, l.id_product FROM t_sales s JOIN t_sales_line l ON l.id_sales = s.id
  WHERE s.status = 'paid' AND l.id_product IS NOT NULL
  UNION
  SELECT s.id_customer, bp.id_product FROM t_sales s JOIN t_sales_line l ON l.id_sales = s.id
  JOIN bundle_product bp ON bp.id_bundle = l.id_bundle WHERE s.status = 'paid'
) AS owed
WHERE NOT EXISTS (
  SELECT 1 FROM t_sales_download d
  WHERE d.id_customer = owed.id_customer AND d.id_product = owed.id_product
)
"""


@pytest.fixture(scope="module")
def source_url() -> Iterator[tuple[str, Planted]]:
    with filled_source(seed=11, users=150, products=120, orders=400) as made:
        yield made


def test_order_statuses_map_through_the_documented_table() -> None:
    assert map_status("settlement", ORDER_STATUS, UNKNOWN_ORDER_STATUS) == ("paid", None)
    assert map_status("PAID", ORDER_STATUS, UNKNOWN_ORDER_STATUS) == ("paid", None)
    assert map_status("cancel", ORDER_STATUS, UNKNOWN_ORDER_STATUS) == ("cancelled", None)
    assert map_status("deny", ORDER_STATUS, UNKNOWN_ORDER_STATUS) == ("denied", None)
    status, repair = map_status("refund??", ORDER_STATUS, UNKNOWN_ORDER_STATUS)
    assert status == "failed"
    assert repair is not None
    assert "refund??" in repair
    assert set(ORDER_STATUS.values()) <= {s.value for s in SalesStatus}


def test_a_derived_entitlement_has_the_same_id_on_every_run() -> None:
    assert derived_id("a", "b") == derived_id("a", "b")
    assert derived_id("a", "b") != derived_id("b", "a")


def test_ledger_rows_that_do_not_fit_a_type_become_adjustments_with_the_reason() -> None:
    assert ledger_type("penjualan", Decimal(5)) == ("sale", None)
    assert ledger_type("penarikan", Decimal(-5)) == ("withdrawal", None)
    kind, repair = ledger_type("sale", Decimal(-5))
    assert kind == "adjustment"
    assert repair is not None
    assert "sign" in repair
    kind, repair = ledger_type("bonus", Decimal(5))
    assert kind == "adjustment"
    assert repair is not None
    assert "bonus" in repair
    assert map_status("ditolak", WITHDRAWAL_STATUS, "pending") == ("rejected", None)
    assert map_status("ditahan", WITHDRAWAL_STATUS, "pending")[0] == "pending"


def test_the_report_counts_derived_rows_and_lists_balance_differences(tmp_path: Path) -> None:
    report = Report()
    report.table("t_sales_download").source = 1
    report.derive("t_sales_download", "granted by its paid order", {"id_customer": "c"})
    report.balances = [("publisher p", Decimal("10.00"), Decimal("7.50"))]
    report.write(tmp_path)
    written = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "| t_sales_download | 1 | 0 | 0 | 0 | 1 |" in written
    assert "| publisher p | 10.00 | 7.50 |" in written
    csv_text = (tmp_path / "t_sales_download.csv").read_text(encoding="utf-8")
    assert "derived,granted by its paid order" in csv_text
    Report().write(tmp_path / "clean")
    assert "equals the original" in (tmp_path / "clean" / "report.md").read_text(encoding="utf-8")


def _reasons(report: Report, table: str, outcome: str) -> str:
    t = report.table(table)
    return " | ".join(reason for reason, _ in getattr(t, outcome))


async def _counts(database: Database) -> dict[str, int]:
    async with database.engine.connect() as conn:
        return {
            name: int(
                (
                    await conn.execute(select(func.count()).select_from(metadata.tables[name]))
                ).scalar_one()
            )
            for name in MONEY
        }


@pytest.mark.postgres
@needs_pg
async def test_orders_lines_and_entitlements_are_imported_or_reported(
    source_url: tuple[str, Planted], database: Database
) -> None:
    url, planted = source_url
    report = await run_import(url, database)
    for name in MONEY:
        table = report.table(name)
        assert table.source == planted.rows[name], name
        assert table.imported + len(table.rejected) == table.source, name
    dirty = planted.dirty

    orders = _reasons(report, "t_sales", "rejected")
    assert orders.count("negative money") == dirty["negative_total"]
    assert orders.count("customer missing") == dirty["order_of_rejected_customer"]
    fixed = _reasons(report, "t_sales", "repaired")
    assert fixed.count("unknown status") == dirty["odd_order_status"]
    assert fixed.count("older open cart") == dirty["extra_open_cart"]
    assert fixed.count("midtrans_order_id repeated") == dirty["repeated_midtrans_order_id"]
    assert "line(s) not imported: total kept" in fixed

    lines = _reasons(report, "t_sales_line", "rejected")
    assert lines.count("exactly one product or one bundle") == dirty["line_without_item"]
    assert lines.count("item repeated") == dirty["repeated_order_item"]
    assert lines.count("negative money") == dirty["negative_line_price"]
    assert lines.count("quantity 0") == dirty["line_qty_zero"]
    assert lines.count("not price times quantity") == dirty["line_total_mismatch"]
    assert lines.count("product not imported") == dirty["line_of_rejected_product"]
    assert "order not imported" in lines  # the lines of rejected orders

    readers = _reasons(report, "customer_reader", "rejected")
    assert readers.count("repeated reading progress") == dirty["repeated_reading_progress"]
    clamped = _reasons(report, "customer_reader", "repaired")
    assert clamped.count("clamped") == dirty["progress_out_of_range"]
    downloads = _reasons(report, "t_sales_download", "rejected")
    assert downloads.count("no imported paid order") == dirty["download_without_paid_order"]
    assert downloads.count("repeated entitlement") == dirty["repeated_download"]
    derived = report.table("t_sales_download").derived
    assert len(derived) > 0

    counts = await _counts(database)
    expected = {name: report.table(name).imported for name in MONEY}
    expected["t_sales_download"] += len(derived)
    assert counts == expected
    async with database.engine.connect() as conn:
        assert (await conn.execute(text(UNENTITLED))).scalar_one() == 0
        sales = metadata.tables["t_sales"]
        statuses = {row[0] for row in await conn.execute(select(sales.c.status).distinct())}
        carts = await conn.execute(
            select(sales.c.id_customer)
            .where(sales.c.status == "cart", sales.c.deleted_at.is_(None))
            .group_by(sales.c.id_customer)
            .having(func.count() > 1)
        )
        assert carts.all() == []
        tokens = await conn.execute(
            select(func.count()).where(sales.c.snap_token.is_not(None), sales.c.info.is_not(None))
        )
        assert tokens.scalar_one() == report.table("t_sales").imported
        infos = [row[0] for row in await conn.execute(select(sales.c.info))]
        assert all("snap_token" not in info for info in infos)
    assert statuses <= {s.value for s in SalesStatus}
    assert {"paid", "failed", "cart"} <= statuses

    again = await run_import(url, database)
    assert await _counts(database) == counts
    assert len(again.table("t_sales_download").derived) == len(derived)


FINANCE = ("promo_code", "midtrx", "withdrawal", "transaction")


async def _owner_sums(database: Database) -> dict[str, Decimal]:
    ledger = metadata.tables["transaction"]
    query = select(ledger.c.id_publisher, func.sum(ledger.c.amount)).group_by(ledger.c.id_publisher)
    async with database.engine.connect() as conn:
        return {str(owner): money(total) for owner, total in await conn.execute(query)}


@pytest.mark.postgres
@needs_pg
async def test_promo_codes_events_payouts_and_the_ledger_keep_their_money(
    source_url: tuple[str, Planted], database: Database, tmp_path: Path
) -> None:
    url, planted = source_url
    report = await run_import(url, database)
    for name in FINANCE:
        table = report.table(name)
        assert table.source == planted.rows[name], name
        assert table.imported + len(table.rejected) == table.source, name
    dirty = planted.dirty
    promos = _reasons(report, "promo_code", "rejected")
    assert promos.count("unknown discount type") == dirty["odd_discount_type"]
    assert promos.count("negative money") == dirty["negative_discount"]
    assert promos.count("validity ends") == dirty["promo_bad_range"]
    fixed = _reasons(report, "promo_code", "repaired")
    assert fixed.count("duplicate code") == dirty["duplicate_promo_code_case"]
    assert fixed.count("used count outside") == dirty["promo_used_over_limit"]
    assert fixed.count("unknown status") == dirty["odd_promo_status"]
    events = _reasons(report, "midtrx", "rejected")
    assert events.count("unknown event type") == dirty["odd_midtrx_type"]
    assert events.count("no order_id") == dirty["midtrx_without_order"]
    assert events.count("repeated notification") == dirty["repeated_notification"]
    assert events.count("negative money") == dirty["negative_gross_amount"]
    requests = _reasons(report, "withdrawal", "rejected")
    assert requests.count("another pending request") == dirty["second_pending_withdrawal"]
    assert requests.count("negative money") == dirty["negative_withdrawal"]
    assert (
        _reasons(report, "withdrawal", "repaired").count("unknown status")
        == (dirty["odd_withdrawal_status"])
    )
    ledger = _reasons(report, "transaction", "rejected")
    assert ledger.count("replayed credit") == dirty["replayed_credit"]
    kept = _reasons(report, "transaction", "repaired")
    assert kept.count("unknown type") == dirty["odd_ledger_type"]
    assert kept.count("sign does not fit") == dirty["sale_with_wrong_sign"]

    async with database.engine.connect() as conn:
        for name in FINANCE:
            count = await conn.execute(select(func.count()).select_from(metadata.tables[name]))
            assert count.scalar_one() == report.table(name).imported, name
        midtrx = metadata.tables["midtrx"]
        received = await conn.execute(select(func.sum(midtrx.c.received_count)))
        assert (
            received.scalar_one()
            == report.table("midtrx").imported + dirty["repeated_notification"]
        )
        withdrawal = metadata.tables["withdrawal"]
        statuses = {r[0] for r in await conn.execute(select(withdrawal.c.status).distinct())}
        ledger_table = metadata.tables["transaction"]
        linked = await conn.execute(
            select(func.count()).where(ledger_table.c.id_withdrawal.is_not(None))
        )
        assert linked.scalar_one() == report.table("withdrawal").imported
        sold = await conn.execute(
            select(func.count()).where(
                ledger_table.c.id_sales.is_not(None), ledger_table.c.type == "sale"
            )
        )
        assert sold.scalar_one() > 0  # credits name the imported order they came from
    assert statuses == {"pending", "paid", "rejected", "cancelled"}


@pytest.mark.postgres
@needs_pg
async def test_balances_are_recomputed_and_every_difference_is_reported(
    source_url: tuple[str, Planted], database: Database, tmp_path: Path
) -> None:
    """The original's SUM(amount) per publisher against ours, read back from our ledger: equal
    for every publisher whose rows all came over, reported for the others."""
    url, _ = source_url
    dry = await run_import(url, database, dry_run=True)
    async with database.engine.connect() as conn:
        nothing = select(func.count()).select_from(metadata.tables["transaction"])
        assert (await conn.execute(nothing)).scalar_one() == 0  # a dry run writes nothing
    report = await run_import(url, database)
    assert dry.balances == report.balances
    source = await connect(url)
    try:
        original = {
            str(r["id_publisher"]): money(r["total"])
            for r in await source.fetch(
                'SELECT id_publisher, sum(amount) AS total FROM "transaction" GROUP BY 1'
            )
        }
    finally:
        await source.close()
    lost: dict[str, Decimal] = defaultdict(Decimal)
    for _, row in report.table("transaction").rejected:
        lost[str(row["id_publisher"])] += row["amount"]
    ours = await _owner_sums(database)
    for owner, total in original.items():
        assert ours[owner] == total - lost.get(owner, Decimal(0)), owner
    clean = set(original) - set(lost)
    assert clean  # some publishers have only repairable rows: their balance came over equal
    assert {owner for owner, _, _ in report.balances} == {f"publisher {p}" for p in lost}
    for owner, old, new in report.balances:
        assert old - new == lost[owner.removeprefix("publisher ")]

    report.write(tmp_path)
    written = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "## Balances" in written
    assert all(owner in written for owner, _, _ in report.balances)
    assert "derived" in (tmp_path / "t_sales_download.csv").read_text(encoding="utf-8")

    again = await run_import(url, database)
    assert await _owner_sums(database) == ours
    assert again.balances == report.balances


@pytest.mark.postgres
@needs_pg
async def test_a_run_killed_among_the_order_lines_resumes_and_entitles_every_paid_order(
    source_url: tuple[str, Planted], database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, _ = source_url
    real = Sink._insert_missing
    calls = 0

    async def dies_on_the_second_line_batch(
        self: Sink, table: str, rows: list[dict[str, Any]]
    ) -> int:
        nonlocal calls
        calls += table == "t_sales_line"
        if calls == 2:
            raise ConnectionError("killed")
        return await real(self, table, rows)

    monkeypatch.setattr(Sink, "_insert_missing", dies_on_the_second_line_batch)
    with pytest.raises(ConnectionError):
        await run_import(url, database, batch=100)
    partial = await _counts(database)
    assert 0 < partial["t_sales_line"] < 200
    assert partial["t_sales_download"] == 0
    monkeypatch.setattr(Sink, "_insert_missing", real)
    report = await run_import(url, database, batch=100)
    counts = await _counts(database)
    assert counts["t_sales_line"] == report.table("t_sales_line").imported
    derived = len(report.table("t_sales_download").derived)
    assert counts["t_sales_download"] == report.table("t_sales_download").imported + derived
    async with database.engine.connect() as conn:
        assert (await conn.execute(text(UNENTITLED))).scalar_one() == 0


@pytest.mark.postgres
@needs_pg
async def test_the_rows_of_dropped_tables_are_listed_in_full(
    source_url: tuple[str, Planted], database: Database
) -> None:
    url, planted = source_url
    report = await run_import(url, database, dry_run=True)
    for name in ("t_ai_credit", "t_ai_credit_topup", "customer_track"):
        table = report.table(name)
        assert table.source == planted.rows[name] > 0, name
        assert table.imported == 0
        assert len(table.rejected) == table.source
        assert all("table dropped" in reason for reason, _ in table.rejected)
    balances = {row["balance"] for _, row in report.table("t_ai_credit").rejected}
    assert balances  # the stored balance itself is in the listed row


@pytest.mark.postgres
@needs_pg
async def test_the_app_serves_the_imported_library_and_ledger(
    source_url: tuple[str, Planted],
    database: Database,
    client: httpx.AsyncClient,
    auth: FakeAuthenticator,
) -> None:
    url, _ = source_url
    report = await run_import(url, database)
    derived = report.table("t_sales_download").derived[0][1]
    downloads = metadata.tables["t_sales_download"]
    async with database.engine.connect() as conn:
        owned = await conn.execute(
            select(func.count()).where(downloads.c.id_customer == derived["id_customer"])
        )
        expected = owned.scalar_one()
    login_as(auth, uuid.uuid4(), customer=derived["id_customer"])
    library = (await client.get("/library")).json()
    assert library["pagination"]["total"] == expected > 0

    sums = await _owner_sums(database)
    for owner, balance in sums.items():
        login_as(auth, uuid.uuid4(), publisher=uuid.UUID(owner))
        data = (await client.get("/api/publish/transactions")).json()["data"]
        assert Decimal(data["balance"]) == balance, owner
