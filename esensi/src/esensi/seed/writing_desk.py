"""The demo author's writing desk: chapter-books still being written, to try the portal on.

``penulis@esensi.online`` already has published chapter-books whose last chapter is a draft
(``chapters.py``), so their chapters are in every state; this step adds a draft chapter-book
with draft chapters and an edit in its change log (ready for ``book_submit``), and a rejected
one with its review history (ready to revise and submit again). Books are published under the
author's active publisher, like the rest of their catalogue.
"""

from __future__ import annotations

from typing import Any

from esensi.models.book import Book, BookApproval, BookChangesLog
from esensi.models.chapter import Chapter
from esensi.models.enums import ApprovalStatus, BookStatus, ChapterStatus
from esensi.seed.chapters import document
from esensi.seed.clock import at
from esensi.seed.keys import rng, seed_id
from esensi.seed.people import publisher_id, staff_id, stamps
from esensi.seed.runner import insert_tables
from esensi.seed.words import paragraph
from esensi.seed.world import Seeding
from rlib import Scope

AUTHOR_EMAIL = "penulis@esensi.online"
DAY = 400.0  # after the rest of the demo's history
# slug, title, status, chapter names
DESK = (
    (
        "catatan-sang-pemimpi",
        "Catatan Sang Pemimpi",
        BookStatus.DRAFT,
        ("Pagi di Belitong", "Sekolah di Ujung Jalan", "Surat yang Tak Terkirim"),
    ),
    (
        "lorong-waktu",
        "Lorong Waktu",
        BookStatus.REJECTED,
        ("Pintu Tua", "Jam yang Berhenti"),
    ),
)
REJECTION = "Sinopsis belum menggambarkan isi; lengkapi dan ajukan kembali."


async def seed_writing_desk(scope: Scope, seeding: Seeding) -> int:
    """Insert the desk's books, chapters, review history and edit log that are missing."""
    author = seed_id("author", AUTHOR_EMAIL)
    login = seed_id("auth_user", AUTHOR_EMAIL)
    books, chapters, approvals, changes = [], [], [], []
    for index, (slug, title, status, names) in enumerate(DESK):
        book_id = seed_id("book", f"desk:{slug}")
        day = DAY + index
        books.append(_book(book_id, slug, title, status, author, day))
        for number, name in enumerate(names, start=1):
            chapters.append(_chapter(book_id, number, name, day + number * 0.1))
        changes.append(
            {
                "id": seed_id("book_changes_log", f"desk:{slug}"),
                "id_book": book_id,
                "id_user": login,
                "changes": {"old": {"name": f"{title} (judul kerja)"}, "new": {"name": title}},
                "created_at": at(day + 0.5),
            }
        )
        if status == BookStatus.REJECTED:
            approvals += _review(book_id, day)
    return await insert_tables(
        scope,
        [(Book, books), (Chapter, chapters), (BookApproval, approvals), (BookChangesLog, changes)],
    )


def _book(
    book_id: Any, slug: str, title: str, status: str, author: Any, day: float
) -> dict[str, Any]:
    return {
        "id": book_id,
        "name": title,
        "slug": slug,
        "desc": paragraph(rng("desk", slug), 3),
        "currency": "IDR",
        "content_type": "ebook",
        "is_chapter": True,
        "id_author": author,
        "id_publisher": publisher_id(0),
        "submitted_price": 0,
        "status": status,
        "version": 2,
        **stamps(at(day)),
    }


def _chapter(book_id: Any, number: int, name: str, day: float) -> dict[str, Any]:
    chapter_id = seed_id("chapter", f"desk:{book_id}:{number}")
    title = f"Bab {number}: {name}"
    return {
        "id": chapter_id,
        "id_book": book_id,
        "number": number,
        "name": title,
        "content": document(str(chapter_id), title),
        "is_free": number == 1,
        "status": ChapterStatus.DRAFT.value,
        "published_at": None,
        "version": 1,
        **stamps(at(day)),
    }


def _review(book_id: Any, day: float) -> list[dict[str, Any]]:
    """Submitted by the author, rejected by the support reviewer."""
    return [
        {
            "id": seed_id("book_approval", f"desk:{book_id}:{n}"),
            "id_book": book_id,
            "id_internal": reviewer,
            "comment": comment,
            "status": status.value,
            "created_at": at(day + 0.6 + n * 0.2),
        }
        for n, (status, reviewer, comment) in enumerate(
            (
                (ApprovalStatus.SUBMITTED, None, None),
                (ApprovalStatus.REJECTED, staff_id(2), REJECTION),
            )
        )
    ]
