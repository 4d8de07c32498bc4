"""One import run: open the source read-only, import table by table, write the report.

The source is read inside one read-only, repeatable-read transaction: the import never
writes there and sees one consistent snapshot even while the original is still serving.
"""

from __future__ import annotations

import datetime as dt
import gc
from pathlib import Path

import asyncpg
from rich.console import Console
from rich.progress import Progress
from rich.table import Table
from sqlalchemy.engine import make_url

from esensi.importer.approvals import import_approvals
from esensi.importer.books import import_book_taxonomies, import_books, import_chapters
from esensi.importer.bundles import (
    import_bundle_categories,
    import_bundle_products,
    import_bundles,
)
from esensi.importer.cms import (
    import_banners,
    import_cfg,
    import_landing_items,
    import_landings,
)
from esensi.importer.community import (
    import_book_changes,
    import_notifs,
    import_review_likes,
    import_reviews,
)
from esensi.importer.dropped import report_dropped
from esensi.importer.entitlements import import_customer_readers, import_downloads
from esensi.importer.finance import import_ledger, import_withdrawals
from esensi.importer.identity import import_accounts, import_users
from esensi.importer.partners import (
    import_affiliates,
    import_publisher_authors,
    import_publishers,
    import_staff,
)
from esensi.importer.payments import import_midtrx, import_promo_codes
from esensi.importer.products import import_product_categories, import_products
from esensi.importer.profiles import import_authors, import_customers
from esensi.importer.report import Report
from esensi.importer.sales import import_sales
from esensi.importer.sink import Sink
from esensi.importer.taxonomy import import_taxonomies
from rlib.db.engine import Database

# Dependency order: a table comes after every table it references.
STEPS = (
    import_users,
    import_accounts,
    import_customers,
    import_authors,
    import_publishers,
    import_affiliates,
    import_staff,
    import_publisher_authors,
    import_taxonomies,
    import_products,
    import_product_categories,
    import_bundles,
    import_bundle_products,
    import_bundle_categories,
    import_books,
    import_book_taxonomies,
    import_approvals,
    import_chapters,
    import_book_changes,
    import_reviews,
    import_review_likes,
    import_notifs,
    import_cfg,
    import_banners,
    import_landings,
    import_landing_items,
    import_promo_codes,
    import_sales,  # t_sales, then t_sales_line
    import_midtrx,
    import_customer_readers,
    import_downloads,  # after the orders: paid orders grant the derived entitlements
    import_withdrawals,
    import_ledger,  # after the requests it debits; then the balances are compared
    report_dropped,  # tables ours dropped: every row listed in the report
)


async def _connect(source_url: str) -> asyncpg.Connection:
    url = make_url(source_url)
    return await asyncpg.connect(
        host=url.host,
        port=url.port,
        user=url.username,
        password=url.password,
        database=url.database,
    )


async def run_import(
    source_url: str,
    database: Database,
    *,
    batch: int = 5000,
    dry_run: bool = False,
    quiet: bool = True,
) -> Report:
    """Import every supported table from ``source_url`` into ``database``; returns the report."""
    report = Report()
    source = await _connect(source_url)
    # Whole tables are held in memory: millions of rows, and no cycles among them. The cyclic
    # collector would rescan them all again and again (a third of a 1M-row import's time).
    collecting = gc.isenabled()
    gc.disable()
    try:
        async with source.transaction(readonly=True, isolation="repeatable_read"):
            with Progress(disable=quiet) as progress:
                sink = Sink(database.engine, batch=batch, dry_run=dry_run, progress=progress)
                try:
                    for step in STEPS:
                        await step(source, sink, report)
                    await sink.flush()
                finally:
                    await sink.close()
    finally:
        if collecting:
            gc.enable()
        await source.close()
    return report


def report_directory(root: Path) -> Path:
    """``<root>/<UTC timestamp>``: one directory per run, never overwritten."""
    return root / dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def summary(report: Report) -> Table:
    """The end-of-run table: source, imported, repaired, rejected per table."""
    table = Table("table", "source", "imported", "repaired", "rejected", "derived")
    for name, t in report.tables.items():
        counts = (t.source, t.imported, len(t.repaired), len(t.rejected), len(t.derived))
        table.add_row(name, *map(str, counts))
    return table


def print_summary(report: Report, directory: Path) -> None:
    console = Console()
    console.print(summary(report))
    for owner, old, new in report.balances:
        console.print(f"balance differs: {owner}: original {old}, imported {new}")
    console.print(f"report: {directory / 'report.md'}")
