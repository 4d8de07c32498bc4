"""Staff profile; the role flags are enforced server-side."""

from __future__ import annotations

import uuid

from sqlalchemy import CheckConstraint, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from esensi.models.base import Base, user_link
from rlib.db.base import Timestamps, UUIDPrimaryKey, Versioned
from rlib.db.types import BoundedString


class Internal(UUIDPrimaryKey, Versioned, Timestamps, Base):
    """A staff member; book reviewers are management or support."""

    __tablename__ = "internal"
    __table_args__ = (
        CheckConstraint(
            "is_sales_and_marketing OR is_support OR is_management OR is_it", name="has_role"
        ),
        UniqueConstraint("id_user"),
    )

    name: Mapped[str] = mapped_column(BoundedString(255))
    is_sales_and_marketing: Mapped[bool] = mapped_column(default=False, server_default=false())
    is_support: Mapped[bool] = mapped_column(default=False, server_default=false())
    is_management: Mapped[bool] = mapped_column(default=False, server_default=false())
    is_it: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Staff always have a login, so the link is required and plainly unique.
    id_user: Mapped[uuid.UUID] = user_link(nullable=False)
