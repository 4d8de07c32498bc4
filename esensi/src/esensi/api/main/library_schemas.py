"""Input and output models of the store's library, reader, downloads and reading progress."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from esensi.api.main.catalog_schemas import PageNumber, ProductCard, Slug

# secrets.token_urlsafe(32) is 43 characters; anything far off is not a key at all.
DownloadKey = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{20,100}$")]
INT32_MAX = 2_147_483_647


class LibraryQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")

    page: PageNumber = 1


class Progress(BaseModel):
    """Where the reader stopped (zero and null: not started)."""

    id_chapter: uuid.UUID | None
    last_page: int
    percent: float
    read_at: dt.datetime | None


class LibraryItem(ProductCard):
    """An owned product with when it was granted and the reading progress."""

    is_chapter: bool
    granted_at: dt.datetime
    progress: Progress

    @classmethod
    def of(cls, row: Any) -> LibraryItem:
        values = dict(row)
        return cls(**values, progress=Progress.model_validate(values))


class ReadQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")

    slug: Slug


class ReaderData(LibraryItem):
    """What the reader needs: the product, the progress and a download URL that works once
    within ten minutes (null when the product has no file)."""

    desc: str | None
    info: dict[str, Any] | None
    download_url: str | None


class DownloadRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id_product: uuid.UUID


class DownloadLink(BaseModel):
    """Fetch ``url`` (GET) once, within ten minutes."""

    url: str


class DownloadKeyPath(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: DownloadKey


class ProgressUpdate(BaseModel):
    """The reader's position in an owned product; ``id_chapter`` (optional) must be a chapter
    of that product's book."""

    model_config = ConfigDict(extra="ignore")

    id_product: uuid.UUID
    last_page: int = Field(ge=0, le=INT32_MAX)
    percent: float = Field(ge=0, le=100, allow_inf_nan=False)
    id_chapter: uuid.UUID | None = None
