"""Readers' and editors' history: ``book_changes_log``, ``reviews``, ``reviews_likes``, ``notif``.

Rules (docs/adr: import content rules), each reported with the full source row:
- ``book_changes_log`` had the key ``(id_book, created_at)``; ours has an id, made here from
  that key (uuid5), so a rerun writes the same ids and adds nothing. A log of a book that was
  not imported is rejected; ``{oldFields, newFields}`` becomes ``{old, new}``; a missing or
  malformed ``changes`` is kept under ``raw`` with empty ``old``/``new`` (repaired).
- ``reviews``: a review of a book or by a login that was not imported, or a reply whose
  parent was not imported (or that sits in a loop of parents), is rejected. A top-level
  review needs a rating 1..5 (a fraction is rounded, reported; none or out of range rejects
  it); a reply's rating is cleared. Ours allows one live top-level review per reader and
  book: a later one is imported soft-deleted (``deleted_at`` = its ``created_at``), reported.
  A comment over 5 000 characters is cut (reported; the whole text stays in the report).
- ``reviews_likes``: both ends imported, one like per (review, reader): a repeat is rejected.
- ``notif``: the recipient must be imported. The original's key ``(id_user, created_at)``
  is unique in the source; ours is a bigint identity, so a rerun skips the notifications
  whose ``(id_user, created_at)`` is already present. Types and statuses map through
  :data:`NOTIF_TYPE` / :data:`NOTIF_STATUS`; an unknown type imports as ``message``, an
  unknown status as ``read`` (both reported). A URL that is not a site path or an http(s)
  URL on the original's hosts is cleared (ours: relative or allowlisted host).
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import asyncpg
from sqlalchemy import select

from esensi.importer.cleaning import json_value
from esensi.importer.identity import utc
from esensi.importer.links import imported_ids
from esensi.importer.report import Report
from esensi.importer.sink import Sink
from esensi.importer.uploads import web_link
from esensi.models import metadata
from esensi.models.review import COMMENT_MAX

# The namespace of ids made from the original's composite keys (book_changes_log).
IMPORT_NAMESPACE = uuid.UUID("6f1c3a52-8e0b-4d7e-9a51-20e5e1a0c0de")

NOTIF_TYPE = {
    # The original's NotifType values (original-system.md section 5) ...
    "book-create": "book-submit",
    "book-update": "book-submit",
    "book-submit": "book-submit",
    "book-revise": "book-revise",
    "book-publish": "book-approve",
    "book-approve": "book-approve",
    "book-reject": "book-reject",
    # ... and ours, which a later original build may have written already.
    "message": "message",
    "order-update": "order-update",
    "payment-success": "payment-success",
    "comment": "comment",
    "like": "like",
    "follow": "follow",
    "announcement": "announcement",
    "chapter-new": "chapter-new",
    "withdrawal-update": "withdrawal-update",
}
NOTIF_STATUS = {"unread": "unread", "new": "unread", "read": "read", "seen": "read"}


def text_fits(value: str | None, limit: int) -> bool:
    """Whether ``value`` can be stored in a column of ``limit`` characters (no NUL either)."""
    return value is None or (len(value) <= limit and "\x00" not in value)


def changes_id(id_book: uuid.UUID, created_at: dt.datetime) -> uuid.UUID:
    """The id of a change-log row, from the original's key (same on every run)."""
    return uuid.uuid5(IMPORT_NAMESPACE, f"book_changes_log/{id_book}/{created_at.isoformat()}")


def changes_document(raw: Any) -> tuple[dict[str, Any], str | None]:
    """(ours ``{old, new}``, the repair to report or None)."""
    value = json_value(raw)
    if isinstance(value, dict):
        if isinstance(value.get("oldFields"), dict) and isinstance(value.get("newFields"), dict):
            rest = {k: v for k, v in value.items() if k not in ("oldFields", "newFields")}
            return {"old": value["oldFields"], "new": value["newFields"], **rest}, None
        if isinstance(value.get("old"), dict) and isinstance(value.get("new"), dict):
            return value, None
    return {"old": {}, "new": {}, "raw": value}, "changes not {oldFields, newFields}: kept as raw"


async def import_book_changes(source: asyncpg.Connection, sink: Sink, report: Report) -> None:
    books = await imported_ids(source, report, "book")
    rows = await source.fetch("SELECT * FROM book_changes_log ORDER BY created_at, id_book")
    table = report.table("book_changes_log")
    table.source = len(rows)
    batch: list[dict[str, Any]] = []
    for row in rows:
        if row["id_book"] not in books:
            report.reject("book_changes_log", "book missing or not imported", dict(row))
            continue
        changes, repair = changes_document(row["changes"])
        if repair:
            report.repair("book_changes_log", repair, dict(row))
        batch.append(
            {
                "id": changes_id(row["id_book"], row["created_at"]),
                "id_book": row["id_book"],
                "id_user": None,  # the original did not record who edited
                "changes": changes,
                "created_at": utc(row["created_at"]),
            }
        )
    await sink.write("book_changes_log", batch)
    table.imported = len(batch)


def rating_of(raw: Decimal | None) -> tuple[int | None, str | None]:
    """(our rating, the repair) of a top-level review; (None, reason) rejects it."""
    if raw is None:
        return None, "top-level review without a rating"
    if not raw.is_finite():
        return None, f"rating {raw} outside 1..5"
    rounded = int(raw.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if not 1 <= rounded <= 5:
        return None, f"rating {raw} outside 1..5"
    return rounded, (None if rounded == raw else f"rating {raw} rounded to {rounded}")


def replies_after_parents(
    rows: list[asyncpg.Record], accepted: set[Any]
) -> tuple[list[asyncpg.Record], list[asyncpg.Record]]:
    """(rows in an order where a parent comes before its replies, rows whose parent never
    becomes available: missing, rejected, or a loop)."""
    ordered: list[asyncpg.Record] = []
    waiting = list(rows)
    ready = set(accepted)
    while waiting:
        progress, still = False, []
        for row in waiting:
            if row["parent"] is None or row["parent"] in ready:
                ordered.append(row)
                ready.add(row["id"])
                progress = True
            else:
                still.append(row)
        waiting = still
        if not progress:
            break
    return ordered, waiting


def _review(
    row: asyncpg.Record, live_claims: set[tuple[Any, Any]]
) -> tuple[dict[str, Any] | None, list[str]]:
    """(our row or None when rejected, the repairs — or the one rejection reason)."""
    repairs: list[str] = []
    rating: int | None = None
    if row["parent"] is None:
        rating, note = rating_of(row["rating"])
        if rating is None:
            return None, [note or "invalid rating"]
        if note:
            repairs.append(note)
    elif row["rating"] is not None:
        repairs.append("rating on a reply: cleared")
    comments = (row["comments"] or "").replace("\x00", "")
    if len(comments) > COMMENT_MAX:
        comments = comments[:COMMENT_MAX]
        repairs.append(f"comment cut to {COMMENT_MAX} characters")
    deleted_at = utc(row["deleted_at"])
    if row["parent"] is None and deleted_at is None:
        pair = (row["id_book"], row["id_user"])
        if pair in live_claims:
            deleted_at = utc(row["created_at"])
            repairs.append("second review of the book by the same reader: imported as deleted")
        live_claims.add(pair)
    created = utc(row["created_at"])
    return {
        "id": row["id"],
        "id_book": row["id_book"],
        "comments": comments,
        "rating": rating,
        "parent": row["parent"],
        "id_user": row["id_user"],
        "deleted_at": deleted_at,
        "created_at": created,
        "updated_at": created,
    }, repairs


async def _review_candidates(
    source: asyncpg.Connection, report: Report, rows: list[asyncpg.Record]
) -> list[asyncpg.Record]:
    """The reviews whose book and reader were imported; the others are rejected."""
    books = await imported_ids(source, report, "book")
    users = await imported_ids(source, report, "auth_user")
    candidates: list[asyncpg.Record] = []
    for row in rows:
        if row["id_book"] not in books:
            report.reject("reviews", "book missing or not imported", dict(row))
        elif row["id_user"] not in users:
            report.reject("reviews", "login missing or not imported", dict(row))
        else:
            candidates.append(row)
    return candidates


def _keep_review(
    row: asyncpg.Record, claims: set[tuple[Any, Any]], report: Report
) -> dict[str, Any] | None:
    review, notes = _review(row, claims)
    if review is None:
        report.reject("reviews", notes[0], dict(row))
    elif notes:
        report.repair("reviews", "; ".join(notes), dict(row))
    return review


async def import_reviews(source: asyncpg.Connection, sink: Sink, report: Report) -> None:
    rows = await source.fetch("SELECT * FROM reviews ORDER BY created_at, id")
    table = report.table("reviews")
    table.source = len(rows)
    candidates = await _review_candidates(source, report, rows)
    claims: set[tuple[Any, Any]] = set()
    # Top-level reviews first (their rejections decide which replies can stay), then
    # replies, each after its parent (replies carry no rating, so are never rejected there).
    batch = [
        review
        for row in candidates
        if row["parent"] is None and (review := _keep_review(row, claims, report)) is not None
    ]
    replies, stranded = replies_after_parents(
        [r for r in candidates if r["parent"] is not None], {r["id"] for r in batch}
    )
    batch += [r for row in replies if (r := _keep_review(row, claims, report)) is not None]
    for row in stranded:
        report.reject("reviews", "parent review missing, not imported, or a loop", dict(row))
    await sink.write("reviews", batch)
    table.imported = len(batch)


async def import_review_likes(source: asyncpg.Connection, sink: Sink, report: Report) -> None:
    reviews = await imported_ids(source, report, "reviews")
    users = await imported_ids(source, report, "auth_user")
    rows = await source.fetch("SELECT * FROM reviews_likes ORDER BY id")
    table = report.table("reviews_likes")
    table.source = len(rows)
    seen: set[tuple[Any, Any]] = set()
    batch: list[dict[str, Any]] = []
    for row in rows:
        pair = (row["id_reviews"], row["id_user"])
        if row["id_reviews"] not in reviews:
            reason: str | None = "review missing or not imported"
        elif row["id_user"] not in users:
            reason = "login missing or not imported"
        elif pair in seen:
            reason = "duplicate like (same review, same reader)"
        else:
            reason = None
        if reason is not None:
            report.reject("reviews_likes", reason, dict(row))
            continue
        seen.add(pair)
        batch.append({"id": row["id"], "id_reviews": pair[0], "id_user": pair[1]})
    await sink.write("reviews_likes", batch)
    table.imported = len(batch)


async def _notifs_present(sink: Sink) -> set[tuple[Any, dt.datetime]]:
    """(recipient, created_at) of the notifications already in our database."""
    notif = metadata.tables["notif"]
    async with sink.reading() as conn:
        result = await conn.execute(select(notif.c.id_user, notif.c.created_at))
        return {(row[0], row[1]) for row in result}


def _notif_fields(row: asyncpg.Record, repairs: list[str]) -> dict[str, Any]:
    kind = NOTIF_TYPE.get((row["type"] or "").strip().lower())
    if kind is None:
        kind = "message"
        repairs.append(f"unknown type {row['type']!r}: imported as message")
    status = NOTIF_STATUS.get((row["status"] or "").strip().lower())
    if status is None:
        status = "read"
        repairs.append(f"unknown status {row['status']!r}: imported as read")
    message = (row["message"] or "").replace("\x00", "")
    if len(message) > 1000:
        message = message[:1000]
        repairs.append("message cut to 1000 characters")
    url = row["url"]
    if not text_fits(url, 512) or not web_link(url or None, original_hosts_only=True):
        url = None
        repairs.append("url too long, not a web address or on another host: cleared")
    data = json_value(row["data"])
    if data is not None and not isinstance(data, dict):
        data = {"value": data}
        repairs.append("data not an object: wrapped")
    return {"type": kind, "status": status, "message": message, "url": url, "data": data}


async def import_notifs(source: asyncpg.Connection, sink: Sink, report: Report) -> None:
    users = await imported_ids(source, report, "auth_user")
    rows = await source.fetch("SELECT * FROM notif ORDER BY created_at, id_user")
    table = report.table("notif")
    table.source = len(rows)
    present = await _notifs_present(sink)
    batch: list[dict[str, Any]] = []
    imported = 0
    for row in rows:
        if row["id_user"] not in users:
            report.reject("notif", "recipient missing or not imported", dict(row))
            continue
        repairs: list[str] = []
        fields = _notif_fields(row, repairs)
        key = f"{row['id_user']}/{row['created_at'].isoformat()}"  # the original's key
        thumbnail = report.uploads.single("notif", key, "thumbnail", row["thumbnail"])
        fields["data"] = report.uploads.embedded("notif", key, "data", fields["data"])
        if repairs:
            report.repair("notif", "; ".join(repairs), dict(row))
        imported += 1
        created = utc(row["created_at"])
        if (row["id_user"], created) in present:
            continue  # written by an earlier run
        batch.append(
            fields
            | {
                "id_user": row["id_user"],
                "thumbnail": thumbnail,
                "read_at": created if fields["status"] == "read" else None,
                "created_at": created,
            }
        )
    await sink.write("notif", batch)
    table.imported = imported
