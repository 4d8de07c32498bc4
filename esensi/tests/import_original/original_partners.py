"""The fixture's other profiles: publishers, affiliates, staff, publisher-author links.

Planted: ``duplicate_publisher_name`` (same name, other case), ``orphan_profile_user`` (a
publisher and an affiliate linked to a login that does not exist: the original's ``id_user``
has no foreign key), ``staff_without_login``, ``staff_without_role``.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

import asyncpg

if TYPE_CHECKING:
    from import_original.original_data import _Gen


async def partners(
    conn: asyncpg.Connection, gen: _Gen, users: list[uuid.UUID], authors: list[uuid.UUID]
) -> None:
    publishers = [
        (gen.uid(), "Penerbit Satu", users[0]),
        (gen.uid(), "Penerbit Dua", users[1]),
        (gen.uid(), "PENERBIT SATU", users[2]),
        (gen.uid(), "Penerbit Tiga", gen.uid()),
    ]
    gen.planted.plant("duplicate_publisher_name")
    affiliates = [(gen.uid(), "Mitra Satu", users[3]), (gen.uid(), "Mitra Dua", gen.uid())]
    gen.planted.dirty["orphan_profile_user"] = 2
    staff = [
        (gen.uid(), "Admin", users[4], True, False),
        (gen.uid(), "Dukungan", users[5], False, True),
        (gen.uid(), "Tanpa Login", None, True, False),
        (gen.uid(), "Tanpa Peran", users[6], False, False),
    ]
    gen.planted.plant("staff_without_login")
    gen.planted.plant("staff_without_role")
    links = [(gen.uid(), p[0], a) for p in publishers[:2] for a in authors[:3]]
    await conn.executemany(
        "INSERT INTO publisher (id, name, id_user) VALUES ($1, $2, $3)", publishers
    )
    await conn.executemany(
        "INSERT INTO affiliate (id, name, id_user) VALUES ($1, $2, $3)", affiliates
    )
    await conn.executemany(
        "INSERT INTO internal (id, name, id_user, is_management, is_support) "
        "VALUES ($1, $2, $3, $4, $5)",
        staff,
    )
    await conn.executemany(
        "INSERT INTO publisher_author (id, publisher_id, author_id) VALUES ($1, $2, $3)", links
    )
    await _approvals(conn, gen, staff[0][0], staff[3][0])
    gen.planted.rows.update(
        publisher=len(publishers), affiliate=len(affiliates), internal=len(staff),
        publisher_author=len(links),
    )  # fmt: skip


async def _approvals(
    conn: asyncpg.Connection, gen: _Gen, reviewer: uuid.UUID, rejected_reviewer: uuid.UUID
) -> None:
    """Each book's submission, a staff decision on every 10th, and three dirty rows:
    ``odd_approval_status``, ``approval_without_comment``, ``approval_reviewer_missing``."""
    books = [row["id"] for row in await conn.fetch("SELECT id FROM book ORDER BY id")]
    rows = [(gen.uid(), book, None, None, "submitted", gen.moment()) for book in books]
    rows += [(gen.uid(), b, reviewer, None, "approved", gen.moment()) for b in books[::10]]
    kept = await conn.fetchval(
        "SELECT id FROM book WHERE id_author IS NOT NULL AND submitted_price >= 0 ORDER BY id"
    )  # a book the import keeps, so each dirty row shows its own reason
    dirty = [
        ("odd_approval_status", (None, "oke?", "ditolak?")),
        ("approval_without_comment", (reviewer, None, "rejected")),
        ("approval_reviewer_missing", (rejected_reviewer, "bagus", "approved")),
    ]
    for kind, (who, comment, status) in dirty:
        rows.append((gen.uid(), kept, who, comment, status, gen.moment()))
        gen.planted.plant(kind)
    await conn.executemany(
        "INSERT INTO book_approval (id, id_book, id_internal, comment, status, created_at) "
        "VALUES ($1, $2, $3, $4, $5, $6)",
        rows,
    )
    gen.planted.rows["book_approval"] = len(rows)
