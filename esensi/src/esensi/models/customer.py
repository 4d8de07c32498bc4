"""Customer profile: a buyer and reader."""

from __future__ import annotations

import uuid

from sqlalchemy import Index, func
from sqlalchemy.orm import Mapped, mapped_column

from esensi.models.base import Base, one_profile_per_user, user_link
from rlib.db.base import SoftDelete, Timestamps, UUIDPrimaryKey, Versioned
from rlib.db.types import BoundedString


class Customer(UUIDPrimaryKey, Versioned, SoftDelete, Timestamps, Base):
    __tablename__ = "customer"
    __table_args__ = (one_profile_per_user(),)

    name: Mapped[str] = mapped_column(BoundedString(255))
    email: Mapped[str] = mapped_column(BoundedString(320))
    # E.164 (+62...); optional because sign-up does not ask for it.
    whatsapp: Mapped[str | None] = mapped_column(BoundedString(20))
    id_user: Mapped[uuid.UUID | None] = user_link()


Index(
    "ix_customer_lower_email",
    func.lower(Customer.email),
    unique=True,
    postgresql_where=Customer.deleted_at.is_(None),
    sqlite_where=Customer.deleted_at.is_(None),
)
