"""Demo catalog: books in every status with their review history and edit log, the products of
approved books, and their categories, genres and tags."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from esensi.models.book import Book, BookApproval, BookChangesLog, BookGenre, BookTags
from esensi.models.enums import (
    ApprovalStatus,
    BookStatus,
    ContentType,
    ProductStatus,
)
from esensi.models.product import Product, ProductCategory
from esensi.seed.book_files import demo_book_name
from esensi.seed.clock import at
from esensi.seed.keys import rng, seed_id
from esensi.seed.people import REVIEWERS, AuthorPlan, staff_id, stamps
from esensi.seed.runner import Tables
from esensi.seed.taxonomy import CATEGORIES, GENRES, TAGS, leaves, node_id
from esensi.seed.words import PRICES, book_title, paragraph, slugify

if TYPE_CHECKING:
    from esensi.seed.world import Block

BOOKS_PER_AUTHOR = 6
# The life of book i of a block is PATTERN[i % 10]: every status, and every kind of review event.
PATTERN = (
    "published",
    "published",
    "draft",
    "published",
    "submitted",
    "published",
    "rejected",
    "revised",
    "unpublished",
    "published",
)
BOOK_STATUS = {
    "published": BookStatus.PUBLISHED,
    "revised": BookStatus.PUBLISHED,
    "draft": BookStatus.DRAFT,
    "unpublished": BookStatus.DRAFT,
    "submitted": BookStatus.SUBMITTED,
    "rejected": BookStatus.REJECTED,
}
COMMENTS = {
    ApprovalStatus.REJECTED: "Naskah belum memenuhi pedoman: sinopsis dan isi tidak sesuai.",
    ApprovalStatus.REVISE: "Mohon perbaiki sampul dan beberapa salah ketik di bab awal.",
    ApprovalStatus.UNPUBLISHED: "Diturunkan sementara karena laporan hak cipta; mohon konfirmasi.",
}
BOOKS_PER_BLOCK = 60
# Days after the first submission at which the author edited the book (drafts: before it).
EDIT_AFTER = {"draft": -5.0, "rejected": 4.0, "revised": 3.0, "unpublished": 41.0}


@dataclass(frozen=True, slots=True)
class Event:
    """One ``book_approval`` row: who did what, when."""

    status: ApprovalStatus
    day: float
    reviewer: int | None = None


@dataclass(frozen=True, slots=True)
class BookPlan:
    id: uuid.UUID
    number: int
    index: int
    author: AuthorPlan
    title: str
    price: Decimal
    life: str
    day: float
    history: tuple[Event, ...]
    is_chapter: bool
    content_type: str
    product_id: uuid.UUID | None
    product_status: str | None

    @property
    def status(self) -> str:
        return BOOK_STATUS[self.life].value

    @property
    def slug(self) -> str:
        return slugify(self.title)

    @property
    def published_day(self) -> float | None:
        """The day of the first approval."""
        days = [e.day for e in self.history if e.status == ApprovalStatus.PUBLISHED]
        return days[0] if days else None

    @property
    def published_at(self) -> dt.datetime | None:
        day = self.published_day
        return at(day) if day is not None else None

    @property
    def sellable(self) -> bool:
        return self.product_status == ProductStatus.PUBLISHED

    @property
    def owner(self) -> tuple[uuid.UUID | None, uuid.UUID | None]:
        """The ledger owner as (publisher, author): the publisher, else the author."""
        publisher = self.author.publisher_id
        return (publisher, None) if publisher else (None, self.author.id)


def _history(life: str, day: float, index: int) -> tuple[Event, ...]:
    reviewer = REVIEWERS[index % len(REVIEWERS)]
    submitted = Event(ApprovalStatus.SUBMITTED, day)
    published = Event(ApprovalStatus.PUBLISHED, day + 2, reviewer)
    match life:
        case "published":
            return (submitted, published)
        case "revised":
            revise = Event(ApprovalStatus.REVISE, day + 2, reviewer)
            again = Event(ApprovalStatus.SUBMITTED, day + 5)
            return (submitted, revise, again, Event(ApprovalStatus.PUBLISHED, day + 7, reviewer))
        case "unpublished":
            return (submitted, published, Event(ApprovalStatus.UNPUBLISHED, day + 40, 1))
        case "rejected":
            return (submitted, Event(ApprovalStatus.REJECTED, day + 3, reviewer))
        case "submitted":
            return (submitted,)
        case _:
            # Half of the drafts went back to their author for revision once.
            return (
                (submitted, Event(ApprovalStatus.REVISE, day + 2, reviewer))
                if index % 20 == 2
                else ()
            )


def plan_books(block: int, authors: list[AuthorPlan]) -> list[BookPlan]:
    """Six books per author; products exist for books that were ever published."""
    plans = []
    for index in range(BOOKS_PER_BLOCK):
        number = block * BOOKS_PER_BLOCK + index
        rand = rng("book", number)
        life = PATTERN[index % len(PATTERN)]
        day = 30 + index * 0.5 + rand.random() * 10
        ever_published = life in ("published", "revised", "unpublished")
        product_status = None
        if ever_published:
            product_status = ProductStatus.PUBLISHED
            if life == "unpublished":
                product_status = ProductStatus.PAUSED
            elif index % 20 == 19:
                product_status = ProductStatus.DISCONTINUED
        content = ContentType.EBOOK
        if index % 15 == 7:
            content = ContentType.AUDIO
        elif index % 15 == 11:
            content = ContentType.COMIC
        plans.append(
            BookPlan(
                id=seed_id("book", str(number)),
                number=number,
                index=index,
                author=authors[index // BOOKS_PER_AUTHOR],
                title=book_title(number),
                price=Decimal(rand.choice(PRICES)),
                life=life,
                day=day,
                history=_history(life, day, index),
                is_chapter=index % 4 == 1,
                content_type=content.value,
                product_id=seed_id("product", str(number)) if ever_published else None,
                product_status=product_status.value if product_status else None,
            )
        )
    return plans


def categories(number: int) -> list[uuid.UUID]:
    names = leaves(CATEGORIES)
    rand = rng("categories", number)
    return [node_id("category", n) for n in rand.sample(names, 1 + number % 2)]


def _publication(book: BookPlan) -> dict[str, Any]:
    """Columns a product copies from its book."""
    publisher, _ = book.owner
    rand = rng("book-text", book.number)
    return {
        "name": book.title,
        "slug": book.slug,
        "alias": None,
        "desc": paragraph(rand, 4),
        "info": {"pages": 80 + rand.randrange(400), "language": "id", "isbn": None},
        "currency": "IDR",
        "img_file": [f"/_file/upload/demo/cover-{book.number}.webp"],
        "cover": f"/_file/upload/demo/cover-{book.number}.webp",
        "product_file": [demo_book_name(book.number)],
        "sku": f"ESN-{book.number:07d}",
        "id_author": book.author.id,
        "id_publisher": publisher,
        "published_date": book.published_at,
        "is_physical": False,
        "preorder_min_qty": None,
        "content_type": book.content_type,
        "is_chapter": book.is_chapter,
        "version": 1,
        "deleted_at": None,
    }


def product_rows(books: list[BookPlan]) -> list[dict[str, Any]]:
    return [
        {
            "id": book.product_id,
            **_publication(book),
            "real_price": book.price,
            "strike_price": book.price + 10_000 if book.number % 3 == 0 else None,
            "status": book.product_status,
            **stamps(book.published_at or at(book.day)),
        }
        for book in books
        if book.product_id
    ]


def book_rows(books: list[BookPlan]) -> list[dict[str, Any]]:
    return [
        {
            "id": book.id,
            **_publication(book),
            "submitted_price": book.price,
            "id_product": book.product_id,
            "cfg": None,
            "status": book.status,
            **stamps(at(book.day - 20)),
        }
        for book in books
    ]


def approval_rows(books: list[BookPlan]) -> list[dict[str, Any]]:
    return [
        {
            "id": seed_id("book_approval", f"{book.number}:{n}"),
            "id_book": book.id,
            "id_internal": staff_id(event.reviewer) if event.reviewer is not None else None,
            "comment": COMMENTS.get(event.status),
            "status": event.status.value,
            "created_at": at(event.day),
        }
        for book in books
        for n, event in enumerate(book.history)
    ]


def change_rows(books: list[BookPlan]) -> list[dict[str, Any]]:
    """Books their authors edited after a review: the price went up by Rp 5.000."""
    return [
        {
            "id": seed_id("book_changes_log", str(book.number)),
            "id_book": book.id,
            "id_user": book.author.login.id,
            "changes": {
                "old": {"submitted_price": str(book.price - 5000)},
                "new": {"submitted_price": str(book.price)},
            },
            "created_at": at(book.day + EDIT_AFTER[book.life]),
        }
        for book in books
        if book.life in EDIT_AFTER
    ]


def _links(books: list[BookPlan], kind: str, tree: dict[str, dict[str, list[str]]]) -> list[Any]:
    names = leaves(tree)
    rows = []
    for book in books:
        if book.is_chapter:
            for name in rng(kind, book.number).sample(names, 1 + book.number % 2):
                column = "id_genre" if kind == "genre" else "id_tags"
                rows.append(
                    {"id_book": book.id, column: node_id(kind, name), "created_at": at(book.day)}
                )
    return rows


def seed_catalog(block: Block) -> Tables:
    """Products first (books point at them), then books, history, edit log and filing."""
    books = block.books
    tables: Tables = [(Product, product_rows(books))]
    tables.append((Book, book_rows(books)))
    tables.append((BookApproval, approval_rows(books)))
    tables.append((BookChangesLog, change_rows(books)))
    filing = [
        {"id_product": book.product_id, "id_category": category, "created_at": at(book.day)}
        for book in books
        if book.product_id
        for category in categories(book.number)
    ]
    tables.append((ProductCategory, filing))
    tables.append((BookGenre, _links(books, "genre", GENRES)))
    return [*tables, (BookTags, _links(books, "tags", TAGS))]
