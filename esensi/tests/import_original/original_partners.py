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
    gen.planted.rows.update(
        publisher=len(publishers), affiliate=len(affiliates), internal=len(staff),
        publisher_author=len(links),
    )  # fmt: skip
