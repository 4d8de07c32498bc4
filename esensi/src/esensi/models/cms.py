"""Site content edited by staff: config keys, banners, landing pages."""

from __future__ import annotations

import uuid

from sqlalchemy import Index, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from esensi.models.base import (
    EMPTY_JSON_LIST,
    Base,
    empty_list,
    fk,
    partial_unique,
    status_column,
)
from esensi.models.enums import BannerStatus, LandingStatus
from rlib.db.base import SoftDelete, Timestamps, UUIDPrimaryKey, Versioned, vocabulary_check
from rlib.db.types import BoundedInteger, BoundedString, BoundedText, json_type


class Cfg(Versioned, Timestamps, Base):
    """A config key; only ``is_public`` keys are served to the store, secrets never live here."""

    __tablename__ = "cfg"

    key: Mapped[str] = mapped_column(BoundedString(128), primary_key=True)
    value: Mapped[str] = mapped_column(BoundedText())
    is_public: Mapped[bool] = mapped_column(default=False, server_default=false())
    description: Mapped[str | None] = mapped_column(BoundedText())


class Banner(UUIDPrimaryKey, Versioned, SoftDelete, Timestamps, Base):
    __tablename__ = "banner"
    __table_args__ = (vocabulary_check("status", BannerStatus, "status"),)

    # A lookup key shared by several banners (e.g. "banner-default"), hence indexed, not unique.
    title: Mapped[str] = mapped_column(BoundedString(128), index=True)
    banner_file: Mapped[list[str]] = mapped_column(
        json_type(), default=empty_list, server_default=EMPTY_JSON_LIST
    )
    link: Mapped[str | None] = mapped_column(BoundedString(512))
    idx: Mapped[int] = mapped_column(BoundedInteger, default=0, server_default="0")
    status: Mapped[str] = status_column(BannerStatus.ACTIVE)


class Landing(UUIDPrimaryKey, Versioned, SoftDelete, Timestamps, Base):
    __tablename__ = "landing"
    __table_args__ = (
        partial_unique("slug"),
        vocabulary_check("status", LandingStatus, "status"),
    )

    slug: Mapped[str] = mapped_column(BoundedString(255))
    title: Mapped[str] = mapped_column(BoundedString(255))
    views: Mapped[int] = mapped_column(BoundedInteger, default=0, server_default="0")
    status: Mapped[str] = status_column(LandingStatus.DRAFT)

    items: Mapped[list[LandingItems]] = relationship(
        back_populates="landing", lazy="raise", order_by="LandingItems.idx"
    )


class LandingItems(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "landing_items"
    # Leads with id_landing, so it is also the foreign-key index.
    __table_args__ = (Index(None, "id_landing", "idx"),)

    id_landing: Mapped[uuid.UUID] = mapped_column(fk("landing.id", ondelete="CASCADE"))
    img_file: Mapped[list[str]] = mapped_column(
        json_type(), default=empty_list, server_default=EMPTY_JSON_LIST
    )
    tag: Mapped[str | None] = mapped_column(BoundedString(64))
    link_to: Mapped[str | None] = mapped_column(BoundedString(512))
    idx: Mapped[int] = mapped_column(BoundedInteger, default=0, server_default="0")
    color: Mapped[str | None] = mapped_column(BoundedString(16))

    landing: Mapped[Landing] = relationship(back_populates="items", lazy="raise")
