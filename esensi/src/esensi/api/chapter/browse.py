"""Browsing the chapter site by genre."""

from __future__ import annotations

from esensi.api.chapter.schemas import BookCard, GenrePageQuery
from esensi.models.taxonomy import Genre
from esensi.services import catalog, taxonomy
from rlib import Ctx, NotFoundError, Page, define_api

PAGE_SIZE = 20


@define_api(
    name="genre",
    url="/genre/{slug}/{page:int}",
    methods=("GET", "POST"),
    auth="public",
    aliases=("/genre/{slug}",),
)
async def genre(ctx: Ctx, payload: GenrePageQuery) -> Page[BookCard]:
    """Published chapter books of a genre and its sub-genres, newest first."""
    genre_ids = await taxonomy.subtree_ids(ctx, Genre, payload.slug)
    if genre_ids is None:
        raise NotFoundError("resource.genre")
    listing = await catalog.chapter_books_by_genre(
        ctx, genre_ids, page=payload.page, limit=PAGE_SIZE
    )
    items = [BookCard.model_validate(dict(row)) for row in listing.rows]
    return Page(items=items, page=payload.page, limit=PAGE_SIZE, total=listing.total)
