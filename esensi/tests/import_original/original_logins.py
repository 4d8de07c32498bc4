"""The fixture's login-side profile links: ``auth_user.id_<type>`` pointing at profiles.

The generator already sets ``auth_user.id_customer`` for every login (so the customers whose
own ``id_user`` is an orphan are relinked from that side). Planted here, on logins no other
kind uses (the 21st to 25th by id):
``login_side_link`` (an author without a login of its own, pointed at by one login),
``login_side_conflict`` (a publisher keeps its own login while another login points at it),
``login_side_several`` (a new affiliate pointed at by two logins: the older is linked),
``login_side_taken`` (the affiliate with an orphan link, pointed at by a login that already
holds another affiliate), ``login_side_staff`` (a new staff row with no ``id_user``, linked
from the login side, so imported).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import asyncpg

if TYPE_CHECKING:
    from import_original.original_data import _Gen

LOGIN_SIDE_KINDS = {
    "login_side_link", "login_side_conflict", "login_side_several", "login_side_taken",
    "login_side_staff",
}  # fmt: skip


async def login_side_links(conn: asyncpg.Connection, gen: _Gen) -> None:
    users = [r["id"] for r in await conn.fetch("SELECT id FROM auth_user ORDER BY id")]
    if len(users) < 25:
        return  # too small a fixture for these kinds
    point = "UPDATE auth_user SET {} = $2 WHERE id = $1"
    author = await conn.fetchval("SELECT id FROM author ORDER BY id LIMIT 1")
    await conn.execute(point.format("id_author"), users[20], author)
    second = await conn.fetchval("SELECT id FROM publisher WHERE name = 'Penerbit Dua'")
    await conn.execute(point.format("id_publisher"), users[21], second)
    several, staff = gen.uid(), gen.uid()
    await conn.execute("INSERT INTO affiliate (id, name) VALUES ($1, 'Mitra Tiga')", several)
    await conn.execute(point.format("id_affiliate"), users[22], several)
    await conn.execute(point.format("id_affiliate"), users[23], several)
    orphaned = await conn.fetchval("SELECT id FROM affiliate WHERE name = 'Mitra Dua'")
    holder = await conn.fetchval("SELECT id_user FROM affiliate WHERE name = 'Mitra Satu'")
    await conn.execute(point.format("id_affiliate"), holder, orphaned)
    await conn.execute(
        "INSERT INTO internal (id, name, is_support) VALUES ($1, 'Staf Lewat Login', true)", staff
    )
    await conn.execute(point.format("id_internal"), users[24], staff)
    for kind in LOGIN_SIDE_KINDS:
        gen.planted.plant(kind)
    for table in ("affiliate", "internal"):
        gen.planted.rows[table] = gen.planted.rows.get(table, 0) + 1
