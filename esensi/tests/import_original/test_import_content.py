"""Importing content: change logs, reviews and likes, notifications, cfg, banners, landing
pages — every row imported or reported with its reason, a rerun adds nothing; upload paths
rewritten to our layout with the operator's copy list, unsafe ones listed and not copied."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import re
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from import_original.original_content import UNSAFE_PATHS
from import_original.original_data import Planted
from import_original.original_source import (
    filled_source,
)
from sqlalchemy import func, select

from esensi.importer.community import changes_document, changes_id, rating_of
from esensi.importer.dropped import DROPPED
from esensi.importer.report import Report
from esensi.importer.run import run_import
from esensi.importer.sink import Sink
from esensi.importer.uploads import (
    UnsafePathError,
    Uploads,
    original_relative,
    our_name,
    web_link,
)
from esensi.models import metadata
from rlib.db.engine import Database

PG_URL = os.environ.get("ESENSI_TEST_DATABASE_URL")
CONTENT = (
    "book_changes_log",
    "reviews",
    "reviews_likes",
    "notif",
    "cfg",
    "banner",
    "landing",
    "landing_items",
)
OUR_PUBLIC = re.compile(r"^_file/upload/\d{4}-\d{2}/\d{2}/[A-Za-z0-9_-]{22}\.[a-z0-9]{2,5}$")


@pytest.fixture(scope="module")
def source_url() -> Iterator[tuple[str, Planted]]:
    with filled_source(seed=11, users=80, products=200, orders=10) as made:
        yield made


def test_original_paths_become_our_generated_names_the_same_way_every_time() -> None:
    name = our_name(
        original_relative("/_file/upload/2024-3/5/17-sampul depan.JPG"), frozenset({"jpg"})
    )
    assert re.fullmatch(r"2024-03/05/[A-Za-z0-9_-]{22}\.jpg", name)
    again = original_relative("https://esensi.online/_img/upload/2024-3/5/17-sampul depan.JPG")
    assert our_name(again, frozenset({"jpg"})) == name
    assert our_name("lama/x.png", frozenset({"png"})).startswith("1970-01/01/")
    # A URL is percent-encoded, a stored path is the file's own name.
    assert original_relative("https://esensi.online/_file/upload/a%20b.jpg") == "a b.jpg"
    assert original_relative("_file/upload/diskon%2050.jpg") == "diskon%2050.jpg"


@pytest.mark.parametrize("raw", UNSAFE_PATHS)
def test_unsafe_paths_are_refused(raw: str) -> None:
    uploads = Uploads()
    assert uploads.single("banner", 1, "banner_file", raw) is None
    assert len(uploads.unsafe) == 1
    assert not uploads.copies
    with pytest.raises(UnsafePathError):
        our_name(original_relative(raw), frozenset({"jpg", "png"}))


def test_book_files_go_to_the_private_root_and_images_are_not_book_files() -> None:
    uploads = Uploads()
    ours = uploads.single(
        "product", 1, "product_file", "_file/upload/2024-1/1/9-buku.epub", private=True
    )
    assert ours is not None
    assert ours.startswith("_file/book/2024-01/01/")
    assert uploads.single("product", 1, "product_file", "_file/upload/a.jpg", private=True) is None
    assert [target for _, target in uploads.copies] == ["book/" + ours.removeprefix("_file/book/")]


@pytest.mark.parametrize(
    ("link", "any_host", "original_only"),
    [
        ("/promo/1", True, True),
        ("https://esensi.online/buku", True, True),
        ("https://publish.esensi.online/buku", True, True),
        ("https://toko.lain.example/promo", True, False),
        ("//evil.example/x", False, False),
        ("javascript:alert(1)", False, False),
        ("data:text/html,hi", False, False),
        ("promo/1", False, False),
        ("/a\nb", False, False),
    ],
)
def test_links_must_be_site_paths_or_web_addresses(
    link: str, any_host: bool, original_only: bool
) -> None:
    assert web_link(link) is any_host
    assert web_link(link, original_hosts_only=True) is original_only


def test_ratings_changes_and_change_ids() -> None:
    assert rating_of(Decimal("4.5")) == (5, "rating 4.5 rounded to 5")
    assert rating_of(Decimal(3)) == (3, None)
    assert rating_of(None)[0] is None
    assert rating_of(Decimal(0))[0] is None
    assert rating_of(Decimal("NaN"))[0] is None
    doc, repair = changes_document('{"oldFields": {"a": 1}, "newFields": {"a": 2}}')
    assert doc == {"old": {"a": 1}, "new": {"a": 2}}
    assert repair is None
    raw, note = changes_document(None)
    assert raw == {"old": {}, "new": {}, "raw": None}
    assert note == "changes not {oldFields, newFields}: kept as raw"
    book, moment = uuid.uuid4(), dt.datetime(2024, 1, 1, 0, 0, 0, 123000)
    assert changes_id(book, moment) == changes_id(book, moment)
    assert changes_id(book, moment) != changes_id(book, moment + dt.timedelta(milliseconds=1))


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
            for name in CONTENT
        }


def _check_reasons(report: Report, planted: Planted) -> None:
    dirty = planted.dirty
    assert (
        _reasons(report, "book_changes_log", "repaired").count("kept as raw")
        == dirty["changes_raw"]
    )
    assert report.table("book_changes_log").rejected
    assert len(report.table("book_changes_log").rejected) == dirty["changes_book_rejected"]
    rejected = _reasons(report, "reviews", "rejected")
    assert rejected.count("without a rating") == dirty["review_without_rating"]
    assert rejected.count("outside 1..5") == dirty["review_rating_out_of_range"]
    assert rejected.count("login missing") == dirty["review_by_rejected_login"]
    assert rejected.count("book missing") == dirty["review_of_rejected_book"]
    assert rejected.count("parent review missing") == (
        dirty["reply_to_rejected_review"] + dirty["reply_parent_missing"] + dirty["reply_loop"]
    )
    repaired = _reasons(report, "reviews", "repaired")
    assert repaired.count("rounded") == dirty["review_fraction_rating"]
    assert repaired.count("imported as deleted") == dirty["review_duplicate"]
    assert repaired.count("rating on a reply") == dirty["reply_with_rating"]
    assert repaired.count("comment cut") == dirty["review_long_comment"]
    likes = _reasons(report, "reviews_likes", "rejected")
    assert likes.count("duplicate like") == dirty["like_duplicate"]
    assert likes.count("review missing") == dirty["like_of_rejected_review"]
    assert likes.count("login missing") == dirty["like_by_rejected_login"]
    notes = _reasons(report, "notif", "repaired")
    assert notes.count("unknown type") == dirty["notif_odd_type"]
    assert notes.count("unknown status") == dirty["notif_odd_status"]
    assert notes.count("url") == dirty["notif_bad_url"]
    assert len(report.table("notif").rejected) == dirty["notif_rejected_login"]
    cfg = _reasons(report, "cfg", "rejected")
    assert cfg.count("secret") == dirty["cfg_secret"]
    assert cfg.count("over 128") == dirty["cfg_long_key"]
    assert cfg.count("over 65535") == dirty["cfg_long_value"]
    banner = _reasons(report, "banner", "repaired")
    assert banner.count("unknown status") == dirty["banner_odd_status"]
    assert banner.count("not a web address") == dirty["banner_bad_link"]
    landing = _reasons(report, "landing", "repaired")
    assert landing.count("duplicate slug") == dirty["landing_duplicate_slug"]
    assert landing.count("negative views") == dirty["landing_negative_views"]
    assert landing.count("unknown status") == dirty["landing_odd_status"]
    items = _reasons(report, "landing_items", "repaired")
    assert items.count("color over") == dirty["landing_item_long_color"]
    assert items.count("desc dropped") == dirty["landing_item_desc"]
    assert items.count("not a web address") == dirty["landing_item_bad_link"]


@pytest.mark.postgres
@pytest.mark.skipif(PG_URL is None, reason="needs ESENSI_TEST_DATABASE_URL (CI always sets it)")
async def test_content_is_imported_or_reported_and_a_rerun_adds_nothing(
    source_url: tuple[str, Planted], database: Database, tmp_path: Path
) -> None:
    url, planted = source_url
    report = await run_import(url, database)
    for name in CONTENT:
        table = report.table(name)
        assert table.source == planted.rows[name] > 0, name
        assert table.imported + len(table.rejected) == table.source, name
        assert table.imported > 0, name
    _check_reasons(report, planted)
    for name in DROPPED:
        table = report.table(name)
        assert name not in metadata.tables
        assert table.source == planted.rows[name] == len(table.rejected) > 0, name
        assert table.imported == 0
    counts = await _counts(database)
    assert counts == {name: report.table(name).imported for name in CONTENT}
    again = await run_import(url, database)
    assert await _counts(database) == counts
    for name in CONTENT:
        assert again.table(name).imported == report.table(name).imported, name
        assert len(again.table(name).rejected) == len(report.table(name).rejected), name


@pytest.mark.postgres
@pytest.mark.skipif(PG_URL is None, reason="needs ESENSI_TEST_DATABASE_URL (CI always sets it)")
async def test_upload_paths_are_rewritten_and_listed_for_the_operator(
    source_url: tuple[str, Planted], database: Database, tmp_path: Path
) -> None:
    url, planted = source_url
    report = await run_import(url, database)
    report.write(tmp_path)
    with (tmp_path / "files-to-copy.csv").open(encoding="utf-8") as handle:
        copies = list(csv.DictReader(handle))
    with (tmp_path / "files-unsafe.csv").open(encoding="utf-8") as handle:
        unsafe = list(csv.DictReader(handle))
    assert copies
    assert all(row["source"].startswith("_file/upload/") for row in copies)
    assert all(".." not in row["source"].split("/") for row in copies)
    assert all(OUR_PUBLIC.match("_file/" + row["target"]) or row["target"].startswith("book/")
               for row in copies)  # fmt: skip
    assert len({row["target"] for row in copies}) == len(copies)
    assert len(unsafe) == planted.dirty["unsafe_path"]
    banners = [row for row in unsafe if row["table"] == "banner"]
    assert {row["table"] for row in unsafe} == {"banner", "author", "product", "chapter"}
    assert {row["value"] for row in banners} == set(UNSAFE_PATHS)
    assert "unsafe, not copied" in (tmp_path / "report.md").read_text(encoding="utf-8")
    banner, items = metadata.tables["banner"], metadata.tables["landing_items"]
    async with database.engine.connect() as conn:
        stored = [p for (files,) in await conn.execute(select(banner.c.banner_file)) for p in files]
        stored += [p for (files,) in await conn.execute(select(items.c.img_file)) for p in files]
    targets = {"_file/" + row["target"] for row in copies}
    assert stored
    assert all(OUR_PUBLIC.match(path) and path in targets for path in stored)
    await _check_catalogue_files(database, targets)
    await _check_embedded_paths(database, targets)


async def _check_embedded_paths(database: Database, targets: set[str]) -> None:
    cfg, notif = metadata.tables["cfg"], metadata.tables["notif"]
    async with database.engine.connect() as conn:
        header = (await conn.execute(select(cfg.c.value).where(cfg.c.key == "header"))).scalar_one()
        data = [d for (d,) in await conn.execute(select(notif.c.data)) if d and "sampul" in d]
    logo = json.loads(header)["logo"]
    assert logo.startswith("/")
    assert OUR_PUBLIC.match(logo[1:])
    assert logo[1:] in targets
    assert json.loads(header)["teks"] == "_file/x"  # not an upload path: left alone
    assert data
    # A URL on the original's host becomes a path on ours: with its leading "/".
    assert all(d["sampul"][0] == "/" and OUR_PUBLIC.match(d["sampul"][1:]) for d in data)


async def _check_catalogue_files(database: Database, targets: set[str]) -> None:
    product, chapter = metadata.tables["product"], metadata.tables["chapter"]
    user, author = metadata.tables["auth_user"], metadata.tables["author"]
    async with database.engine.connect() as conn:
        rows = (await conn.execute(select(product).where(product.c.cover.is_not(None)))).all()
        images = [i for (i,) in await conn.execute(select(user.c.image)) if i]
        images += [a for (a,) in await conn.execute(select(author.c.avatar)) if a]
        contents = [c for (c,) in await conn.execute(select(chapter.c.content))]
    assert rows
    for row in rows:
        assert OUR_PUBLIC.match(row.cover)
        assert row.cover in targets
        assert all(OUR_PUBLIC.match(p) for p in row.img_file)
        assert row.product_file
        assert all(p.startswith("_file/book/") and p in targets for p in row.product_file)
    assert images
    assert all(OUR_PUBLIC.match(i) for i in images)
    urls = [b["data"]["file"]["url"] for c in contents for b in c["blocks"] if b["type"] == "image"]
    assert len(urls) == 1
    assert urls[0].startswith("/_file/upload/")
    assert urls[0][1:] in targets


@pytest.mark.postgres
@pytest.mark.skipif(PG_URL is None, reason="needs ESENSI_TEST_DATABASE_URL (CI always sets it)")
async def test_a_run_killed_inside_the_notifications_resumes_without_duplicates(
    source_url: tuple[str, Planted], database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, _ = source_url
    real = Sink._insert_missing
    notif_batches = 0

    async def dies_on_the_second_notif_batch(
        self: Sink, table: str, rows: list[dict[str, Any]]
    ) -> int:
        nonlocal notif_batches
        if table == "notif":
            notif_batches += 1
            if notif_batches == 2:
                raise ConnectionError("killed")
        return await real(self, table, rows)

    monkeypatch.setattr(Sink, "_insert_missing", dies_on_the_second_notif_batch)
    with pytest.raises(ConnectionError):
        await run_import(url, database, batch=20)
    partial = await _counts(database)
    assert 0 < partial["notif"] < 40
    assert partial["cfg"] == 0  # after notif in the steps: never reached
    monkeypatch.setattr(Sink, "_insert_missing", real)
    report = await run_import(url, database, batch=20)
    assert await _counts(database) == {name: report.table(name).imported for name in CONTENT}
