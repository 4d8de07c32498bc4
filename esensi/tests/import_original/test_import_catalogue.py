"""Importing the catalogue: taxonomies, authors, products and their categories, every row
imported or reported with its reason, slugs made unique the same way on every run."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from import_original.original_data import Planted
from import_original.original_source import (
    filled_source,
)
from sqlalchemy import func, select

from esensi.importer.cleaning import SlugClaims, map_status, slugify
from esensi.importer.report import Report
from esensi.importer.run import run_import
from esensi.importer.taxonomy import parents_first
from esensi.models import metadata
from rlib.db.engine import Database

PG_URL = os.environ.get("ESENSI_TEST_DATABASE_URL")
CATALOGUE = (
    "author",
    "category",
    "genre",
    "tags",
    "product",
    "product_category",
    "bundle",
    "bundle_product",
    "bundle_category",
)

BOOKS = ("book", "book_genre", "book_tags", "chapter", "book_approval")


@pytest.fixture(scope="module")
def source_url() -> Iterator[tuple[str, Planted]]:
    with filled_source(seed=7, users=60, products=300, orders=10) as made:
        yield made


def test_slugs_are_normalised_and_a_later_duplicate_gets_its_id_prefix() -> None:
    claims, first, second = SlugClaims(), uuid.uuid4(), uuid.uuid4()
    assert slugify(" Buku  Bagus! ") == "buku-bagus"
    assert claims.claim("buku-1", "x", first, live=True) == ("buku-1", None)
    slug, repair = claims.claim("BUKU-1", "x", second, live=True)
    assert slug == f"buku-1-{second.hex[:8]}"
    assert repair == "duplicate slug: suffixed"
    assert claims.claim("buku-1", "x", second, live=False)[0] == "buku-1"
    assert claims.claim(None, "Nama Kategori", first, live=True)[0] == "nama-kategori"


def test_statuses_map_through_the_table_and_unknown_ones_are_reported() -> None:
    table = {"published": "published", "publish": "published"}
    assert map_status("PUBLISH", table, "paused") == ("published", None)
    status, repair = map_status("hidden", table, "paused")
    assert status == "paused"
    assert repair is not None
    assert "hidden" in repair


def test_a_loop_of_parents_is_broken_and_parents_come_first() -> None:
    rows = [
        {"id": 1, "id_parent": 2},
        {"id": 2, "id_parent": 1},
        {"id": 3, "id_parent": 1},
        {"id": 4, "id_parent": 99},
    ]
    ordered, cleared = parents_first(rows)  # type: ignore[arg-type]
    order = [row["id"] for row in ordered]
    assert len(cleared & {1, 2}) == 1
    assert cleared >= {4}
    assert order.index(1) < order.index(3)
    assert sorted(order) == [1, 2, 3, 4]


def _reasons(report: Report, table: str, outcome: str) -> str:
    t = report.table(table)
    return " | ".join(reason for reason, _ in (t.repaired if outcome == "repaired" else t.rejected))


async def _counts(database: Database) -> dict[str, int]:
    async with database.engine.connect() as conn:
        return {
            name: int(
                (
                    await conn.execute(select(func.count()).select_from(metadata.tables[name]))
                ).scalar_one()
            )
            for name in CATALOGUE
        }


@pytest.mark.postgres
@pytest.mark.skipif(PG_URL is None, reason="needs ESENSI_TEST_DATABASE_URL (CI always sets it)")
async def test_the_catalogue_is_imported_or_reported_and_a_rerun_changes_nothing(
    source_url: tuple[str, Planted], database: Database
) -> None:
    url, planted = source_url
    report = await run_import(url, database)
    for name in CATALOGUE:
        table = report.table(name)
        assert table.source == planted.rows[name], name
        assert table.imported + len(table.rejected) == table.source, name
    rejected = _reasons(report, "product", "rejected")
    assert rejected.count("negative money") == planted.dirty["negative_price"]
    assert rejected.count("author missing") == planted.dirty["product_without_author"]
    repaired = _reasons(report, "product", "repaired")
    assert repaired.count("duplicate slug") == planted.dirty["duplicate_slug"]
    assert repaired.count("unknown status") == planted.dirty["odd_product_status"]
    assert repaired.count("strike price below") == planted.dirty["strike_below_price"]
    links = _reasons(report, "product_category", "rejected")
    assert links.count("duplicate link") == planted.dirty["duplicate_link"]
    assert "orphan" in links  # the links of rejected products
    taxa = " | ".join(_reasons(report, name, "repaired") for name in ("category", "genre", "tags"))
    assert taxa.count("duplicate slug") == planted.dirty["duplicate_taxon_slug"]
    assert taxa.count("slug normalised") >= planted.dirty["missing_taxon_slug"]
    assert taxa.count("loop") == planted.dirty["parent_loop"]
    assert _reasons(report, "author", "repaired").count("login missing") == planted.rows["author"]
    bundles = _reasons(report, "bundle", "rejected")
    assert bundles.count("negative money") == planted.dirty["negative_bundle_price"]
    assert bundles.count("author missing") == planted.dirty["bundle_without_author"]
    fixed = _reasons(report, "bundle", "repaired")
    assert fixed.count("taken from its products") == planted.dirty["bundle_author_derived"]
    assert fixed.count("unknown status") == planted.dirty["odd_bundle_status"]
    assert fixed.count("duplicate slug") == planted.dirty["duplicate_bundle_slug"]
    lines = _reasons(report, "bundle_product", "rejected")
    assert lines.count("duplicate link") == planted.dirty["duplicate_bundle_line"]
    assert lines.count("quantity 0") == planted.dirty["bad_bundle_qty"]
    assert "orphan" in lines  # the lines of rejected bundles

    counts = await _counts(database)
    assert counts == {name: report.table(name).imported for name in CATALOGUE}
    async with database.engine.connect() as conn:
        product = metadata.tables["product"]
        slugs = await conn.execute(
            select(product.c.slug, func.count()).group_by(product.c.slug).having(func.count() > 1)
        )
        assert slugs.all() == []
        statuses = {row[0] for row in await conn.execute(select(product.c.status).distinct())}
    assert statuses <= {"draft", "published", "paused", "discontinued"}
    assert "discontinued" in statuses
    async with database.engine.connect() as conn:
        bundle = metadata.tables["bundle"]
        deleted = await conn.execute(
            select(func.count()).where(bundle.c.deleted_at.is_not(None), bundle.c.status == "draft")
        )
        assert deleted.scalar_one() > 0  # the original's status "deleted"

    again = await run_import(url, database)
    assert await _counts(database) == counts
    assert _reasons(again, "product", "repaired") == repaired


@pytest.mark.postgres
@pytest.mark.skipif(PG_URL is None, reason="needs ESENSI_TEST_DATABASE_URL (CI always sets it)")
async def test_books_their_taxonomies_and_chapters_are_imported_or_reported(
    source_url: tuple[str, Planted], database: Database
) -> None:
    url, planted = source_url
    report = await run_import(url, database)
    for name in BOOKS:
        table = report.table(name)
        assert table.source == planted.rows[name], name
        assert table.imported + len(table.rejected) == table.source, name
    rejected = _reasons(report, "book", "rejected")
    assert rejected.count("author missing") == planted.dirty["book_without_author"]
    assert rejected.count("negative money") == planted.dirty["negative_submitted_price"]
    repaired = _reasons(report, "book", "repaired")
    assert repaired.count("unknown status") == planted.dirty["odd_book_status"]
    assert repaired.count("already another book") == planted.dirty["book_product_claimed_twice"]
    assert repaired.count("duplicate slug") == planted.dirty["duplicate_book_slug"]
    genres = _reasons(report, "book_genre", "rejected")
    assert genres.count("duplicate link") == planted.dirty["duplicate_book_genre"]
    chapters = _reasons(report, "chapter", "rejected")
    assert chapters.count("repeated in its book") == planted.dirty["duplicate_chapter_number"]
    assert chapters.count("below 1") == planted.dirty["chapter_number_zero"]
    assert chapters.count("not an Editor.js") == planted.dirty["chapter_bad_content"]
    approvals = _reasons(report, "book_approval", "rejected")
    assert approvals.count("unknown status") == planted.dirty["odd_approval_status"]
    assert "book missing" in approvals  # the history of rejected books
    fixed = _reasons(report, "book_approval", "repaired")
    assert fixed.count("comment missing") == planted.dirty["approval_without_comment"]
    assert fixed.count("reviewer not imported") == planted.dirty["approval_reviewer_missing"]

    async with database.engine.connect() as conn:
        for name in BOOKS:
            count = await conn.execute(select(func.count()).select_from(metadata.tables[name]))
            assert count.scalar_one() == report.table(name).imported, name
    await run_import(url, database)
    async with database.engine.connect() as conn:
        chapter = metadata.tables["chapter"]
        again = await conn.execute(select(func.count()).select_from(chapter))
        assert again.scalar_one() == report.table("chapter").imported
