"""Publishers and their links to authors."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from esensi.models.author import Author
from esensi.models.publisher import Publisher, PublisherAuthor


async def make_publisher(db: AsyncSession, **overrides: Any) -> Publisher:
    values = {"name": f"Penerbit {uuid.uuid4().hex[:8]}", **overrides}
    row = Publisher(**values)
    db.add(row)
    await db.flush()
    return row


async def link(
    db: AsyncSession, publisher: Publisher, author: Author, status: str = "active"
) -> PublisherAuthor:
    row = PublisherAuthor(publisher_id=publisher.id, author_id=author.id, status=status)
    db.add(row)
    await db.flush()
    return row
