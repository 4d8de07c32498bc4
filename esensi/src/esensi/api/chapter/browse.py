"""The chapter site's listing pages: home, browse, genre, tags and search."""

from __future__ import annotations

from esensi.api.chapter.caching import PUBLIC_PAGE
from esensi.api.chapter.schemas import (
    BookCard,
    IndexData,
    PageQuery,
    SearchHit,
    SlugPageQuery,
    TagCount,
    TaxonNode,
)
from esensi.models.taxonomy import Genre, Tags
from esensi.services import chapter_books, taxonomy
from esensi.services.catalog import Listing
from rlib import Ctx, NotFoundError, Page, define_api

PAGE_SIZE = 20
TOP_TAGS = 20


def _cards(listing: Listing, page: int) -> Page[BookCard]:
    items = [BookCard.model_validate(dict(row)) for row in listing.rows]
    return Page(items=items, page=page, limit=PAGE_SIZE, total=listing.total)


@define_api(
    name="index", url="/", methods=("GET", "POST"), auth="public", cache=PUBLIC_PAGE, page=True
)
async def index(ctx: Ctx, payload: PageQuery) -> IndexData:
    """The 20 latest books, the genre tree and the most used tags."""
    latest = await chapter_books.cards(ctx, chapter_books.all_books(), limit=PAGE_SIZE)
    genres = await taxonomy.tree(ctx, Genre)
    tags = await chapter_books.top_tags(ctx, limit=TOP_TAGS)
    return IndexData(
        latest=[BookCard.model_validate(dict(row)) for row in latest],
        genres=[TaxonNode.model_validate(node) for node in genres],
        tags=[TagCount.model_validate(dict(row)) for row in tags],
    )


@define_api(
    name="browse",
    url="/browse/{page:int}",
    methods=("GET", "POST"),
    auth="public",
    cache=PUBLIC_PAGE,
    page=True,
    aliases=("/browse",),
)
async def browse(ctx: Ctx, payload: PageQuery) -> Page[BookCard]:
    """Every published serialised book, newest first."""
    matching = chapter_books.all_books()
    listing = await chapter_books.card_page(ctx, matching, page=payload.page, limit=PAGE_SIZE)
    return _cards(listing, payload.page)


@define_api(
    name="genre",
    url="/genre/{slug}/{page:int}",
    methods=("GET", "POST"),
    auth="public",
    cache=PUBLIC_PAGE,
    page=True,
    aliases=("/genre/{slug}",),
)
async def genre(ctx: Ctx, payload: SlugPageQuery) -> Page[BookCard]:
    """Published chapter books of a genre and its sub-genres, newest first."""
    genre_ids = await taxonomy.subtree_ids(ctx, Genre, payload.slug)
    if genre_ids is None:
        raise NotFoundError("resource.genre")
    matching = chapter_books.books_in_genres(genre_ids)
    listing = await chapter_books.card_page(ctx, matching, page=payload.page, limit=PAGE_SIZE)
    return _cards(listing, payload.page)


@define_api(
    name="tags",
    url="/tags/{slug}/{page:int}",
    methods=("GET", "POST"),
    auth="public",
    cache=PUBLIC_PAGE,
    page=True,
    aliases=("/tags/{slug}",),
)
async def tags(ctx: Ctx, payload: SlugPageQuery) -> Page[BookCard]:
    """Published chapter books carrying a tag or one of its sub-tags, newest first."""
    tag_ids = await taxonomy.subtree_ids(ctx, Tags, payload.slug)
    if tag_ids is None:
        raise NotFoundError("resource.tag")
    matching = chapter_books.books_with_tags(tag_ids)
    listing = await chapter_books.card_page(ctx, matching, page=payload.page, limit=PAGE_SIZE)
    return _cards(listing, payload.page)


@define_api(
    name="search",
    url="/search/{slug}/{page:int}",
    methods=("GET", "POST"),
    auth="public",
    cache=PUBLIC_PAGE,
    page=True,
    aliases=("/search/{slug}",),
)
async def search(ctx: Ctx, payload: SlugPageQuery) -> Page[SearchHit]:
    """Serialised books and bundles whose name contains the text, by name."""
    listing = await chapter_books.search_page(ctx, payload.slug, page=payload.page, limit=PAGE_SIZE)
    items = [SearchHit.model_validate(dict(row)) for row in listing.rows]
    return Page(items=items, page=payload.page, limit=PAGE_SIZE, total=listing.total)
