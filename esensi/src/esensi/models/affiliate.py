"""Affiliate profile: a user type with sign-in and a profile, no commission model."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Mapped, mapped_column

from esensi.models.base import Base, one_profile_per_user, user_link
from rlib.db.base import Timestamps, UUIDPrimaryKey
from rlib.db.types import BoundedString


class Affiliate(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "affiliate"
    __table_args__ = (one_profile_per_user(),)

    name: Mapped[str] = mapped_column(BoundedString(255))
    id_user: Mapped[uuid.UUID | None] = user_link()
