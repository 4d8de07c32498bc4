"""``book_approval``: the review history of books.

Statuses map through :data:`APPROVAL_STATUS`; an unknown one rejects the row (history is
referenced by nothing, and guessing an event would falsify it). Ours requires a comment on
``rejected``/``revise``/``unpublished`` events: a missing one becomes a marker text
(repaired). A reviewer (``id_internal``) who was not imported is cleared (repaired); an
approval of a book that was not imported is rejected.
"""

from __future__ import annotations

from typing import Any

import asyncpg

from esensi.importer.identity import utc
from esensi.importer.links import imported_ids
from esensi.importer.report import Report
from esensi.importer.sink import Sink

APPROVAL_STATUS = {
    "submitted": "submitted",
    "submit": "submitted",
    "pending": "submitted",
    "published": "published",
    "approved": "published",
    "rejected": "rejected",
    "reject": "rejected",
    "revise": "revise",
    "revision": "revise",
    "unpublished": "unpublished",
}
NEEDS_COMMENT = {"rejected", "revise", "unpublished"}
NO_COMMENT = "(tanpa komentar di sistem lama)"


async def import_approvals(source: asyncpg.Connection, sink: Sink, report: Report) -> None:
    books = await imported_ids(source, report, "book")
    staff = await imported_ids(source, report, "internal")
    rows = await source.fetch("SELECT * FROM book_approval ORDER BY created_at, id")
    table = report.table("book_approval")
    table.source = len(rows)
    batch: list[dict[str, Any]] = []
    for row in rows:
        status = APPROVAL_STATUS.get((row["status"] or "").strip().lower())
        if row["id_book"] not in books:
            report.reject("book_approval", "book missing or not imported", dict(row))
            continue
        if status is None:
            report.reject("book_approval", f"unknown status {row['status']!r}", dict(row))
            continue
        repairs, comment, reviewer = [], row["comment"], row["id_internal"]
        if status in NEEDS_COMMENT and not (comment or "").strip():
            comment = NO_COMMENT
            repairs.append("comment missing: marker text")
        if reviewer is not None and reviewer not in staff:
            reviewer = None
            repairs.append("reviewer not imported: cleared")
        if repairs:
            report.repair("book_approval", "; ".join(repairs), dict(row))
        batch.append(
            {
                "id": row["id"],
                "id_book": row["id_book"],
                "id_internal": reviewer,
                "comment": comment,
                "status": status,
                "created_at": utc(row["created_at"]),
            }
        )
    await sink.write("book_approval", batch)
    table.imported = len(batch)
