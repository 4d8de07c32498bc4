"""The chapter site's rankings: top books by sales, rating or reads."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from esensi.api.chapter.caching import PUBLIC_PAGE
from esensi.api.chapter.schemas import BookCard
from esensi.models.taxonomy import Genre
from esensi.services import rankings as ranking
from esensi.services import taxonomy
from rlib import Ctx, NotFoundError, define_api

TOP = 50
ALL_GENRES = "all"


class RankingsQuery(BaseModel):
    """Metric, genre slug (``all`` for every genre) and window."""

    model_config = ConfigDict(extra="ignore")

    filter: Literal["sales", "rating", "reads"]
    value: str = Field(min_length=1, max_length=255)
    daterange: Literal["7d", "30d", "all"]


class RankedBook(BookCard):
    """A book card with its place, the metric's value and how many events made it."""

    rank: int
    score: float
    count: int


@define_api(
    name="rankings",
    url="/rankings/{filter}/{value}/{daterange}",
    methods=("GET", "POST"),
    auth="public",
    cache=PUBLIC_PAGE,
    page=True,
)
async def rankings(ctx: Ctx, payload: RankingsQuery) -> list[RankedBook]:
    """At most 50 books, best first: copies sold, average rating or readers, in the window."""
    genre_ids = None
    if payload.value != ALL_GENRES:
        genre_ids = await taxonomy.subtree_ids(ctx, Genre, payload.value)
        if genre_ids is None:
            raise NotFoundError("resource.genre")
    rows = await ranking.top_books(
        ctx, metric=payload.filter, window=payload.daterange, genre_ids=genre_ids, limit=TOP
    )
    return [
        RankedBook.model_validate({**row, "rank": place, "score": float(row["score"])})
        for place, row in enumerate(rows, start=1)
    ]
