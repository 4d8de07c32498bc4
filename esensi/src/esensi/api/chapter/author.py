"""An author's page on the chapter site, and following authors."""

from __future__ import annotations

from esensi.api.chapter.caching import PER_CALLER_PAGE
from esensi.api.chapter.page_schemas import AuthorPage, AuthorQuery
from esensi.api.chapter.review_schemas import FollowRef, FollowState
from esensi.api.chapter.schemas import BookCard
from esensi.api.chapter.title import author_card
from esensi.services import chapter_books, follows
from rlib import Ctx, define_api

PAGE_SIZE = 20


@define_api(
    name="author",
    url="/author/{username}/{page:int}",
    methods=("GET", "POST"),
    auth="public",
    cache=PER_CALLER_PAGE,
    page=True,
    aliases=("/author/{username}",),
)
async def author(ctx: Ctx, payload: AuthorQuery) -> AuthorPage:
    """The author (by login username or author id) with followers and one page of books."""
    row = await follows.author_by_handle(ctx, payload.username)
    matching = chapter_books.books_by_author(row["author_id"])
    listing = await chapter_books.card_page(ctx, matching, page=payload.page, limit=PAGE_SIZE)
    return AuthorPage(
        author=author_card(row),
        books=[BookCard.model_validate(dict(book)) for book in listing.rows],
        total=listing.total,
        page=payload.page,
    )


@define_api(name="author_follow", url="/api/author/follow", auth="customer")
async def author_follow(ctx: Ctx, payload: FollowRef) -> FollowState:
    """Follow an author, or stop following; a new follow notifies the author."""
    following, followers = await follows.toggle(ctx, payload.id_author)
    return FollowState(following=following, followers=followers)
