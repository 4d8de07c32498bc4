"""One table with a natural string key (like cfg) and a JSON column (like a book's info)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Mapped, mapped_column

from rlib.db.base import make_base
from rlib.db.types import BoundedString, BoundedText, json_type

Base = make_base()


class Setting(Base):
    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(BoundedString(16), primary_key=True)
    value: Mapped[str] = mapped_column(BoundedText, nullable=False)
    info: Mapped[dict[str, Any] | None] = mapped_column(json_type())
