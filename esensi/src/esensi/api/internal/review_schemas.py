"""Input and output models of the review queue and the book decisions."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

COMMENT_MAX = 2000


class BookDecisionInput(BaseModel):
    """A reviewer's decision on a submitted book.

    Prices, names and files come from the stored book only: a server-owned field (a price,
    ``status`` of the product...) at the top level is refused (422). ``book`` — the object the
    original client sent along — is accepted and ignored, so an old client still works but
    cannot change what gets published.
    """

    model_config = ConfigDict(extra="forbid")

    id_book: uuid.UUID
    status: Literal["published", "rejected", "revise"]
    comment: str | None = Field(default=None, max_length=COMMENT_MAX)
    category_ids: list[uuid.UUID] = Field(default_factory=list, max_length=20)
    book: dict[str, Any] | None = Field(
        default=None, description="Ignored: the product is made from the stored book."
    )


class BookUnpublishInput(BaseModel):
    """A published book to take off sale, and why (the author reads the reason)."""

    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID
    reason: str = Field(min_length=1, max_length=COMMENT_MAX)


class ApprovalRead(BaseModel):
    """One review event."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    status: str
    comment: str | None
    id_internal: uuid.UUID | None
    created_at: dt.datetime


class BookDecisionRead(BaseModel):
    """Where the decision left the book and its product."""

    id: uuid.UUID
    status: str
    version: int
    id_product: uuid.UUID | None
    product_status: str | None
    approval: ApprovalRead
