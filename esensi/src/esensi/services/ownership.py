"""Whose rows a signed-in author or publisher may see and manage."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from esensi.models.enums import LinkStatus
from esensi.models.publisher import PublisherAuthor
from rlib import Scope
from rlib.auth.users import SessionUser


async def managed_author_ids(scope: Scope) -> uuid.UUID | list[uuid.UUID] | None:
    """An author manages their own rows; a publisher those of its actively linked authors.

    None when the caller is neither (nothing is visible).
    """
    user = scope.user
    if not isinstance(user, SessionUser):
        return None
    author = user.profile_id("author")
    if author is not None:
        return author
    publisher = user.profile_id("publisher")
    if publisher is None:
        return None
    rows = await scope.db.scalars(
        select(PublisherAuthor.author_id).where(
            PublisherAuthor.publisher_id == publisher, PublisherAuthor.status == LinkStatus.ACTIVE
        )
    )
    return list(rows)
