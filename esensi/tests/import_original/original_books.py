"""The fixture's chapter-site side: books of kept products, their genres and tags, chapters.

Planted, at positions no other kind uses (``n % 25``): ``book_without_author`` (3),
``negative_submitted_price`` (5), ``odd_book_status`` (7), ``book_product_claimed_twice`` (9),
``duplicate_book_slug`` (11), ``duplicate_book_genre`` (13); on serialised books:
``duplicate_chapter_number`` (14), ``chapter_number_zero`` (16), ``chapter_bad_content`` (18).
"""

from __future__ import annotations

import json
import uuid
from typing import TYPE_CHECKING, Any

import asyncpg

if TYPE_CHECKING:
    from import_original.original_data import _Gen

BOOK_STATUSES = ("draft", "published", "submitted", "PUBLISH", "rejected")
BOOK_DEFECTS = {
    3: "book_without_author",
    5: "negative_submitted_price",
    7: "odd_book_status",
    9: "book_product_claimed_twice",
    11: "duplicate_book_slug",
}
DOCUMENT = json.dumps({"blocks": [{"type": "paragraph", "data": {"text": "Bab"}}]})


def _book(
    gen: _Gen, n: int, product: tuple[Any, Any], previous: tuple[Any, ...] | None
) -> tuple[Any, ...]:
    kind = n % 25
    author, price, status = product[1], 10_000, BOOK_STATUSES[n % len(BOOK_STATUSES)]
    slug, id_product = f"novel-{n}", product[0]
    if kind == 3:
        author = None
    elif kind == 5:
        price = -price
    elif kind == 7:
        status = "menunggu"
    elif kind == 9 and previous is not None:
        id_product = previous[5]
    elif kind == 11 and previous is not None:
        slug = previous[2]
    if kind in BOOK_DEFECTS and (previous is not None or kind not in (9, 11)):
        gen.planted.plant(BOOK_DEFECTS[kind])
    return (
        gen.uid(),
        f"Novel {n}",
        slug,
        price,
        status,
        id_product,
        author,
        n % 2 == 0,
        gen.moment(),
    )


def _chapters(gen: _Gen, n: int, book: uuid.UUID) -> list[tuple[Any, ...]]:
    numbers, content = [1, 2, 3], [DOCUMENT] * 3
    kind = n % 25
    if kind == 14:
        numbers[2] = 2
        gen.planted.plant("duplicate_chapter_number")
    elif kind == 16:
        numbers[0] = 0
        gen.planted.plant("chapter_number_zero")
    elif kind == 18:
        content[1] = "[]"
        gen.planted.plant("chapter_bad_content")
    return [
        (gen.uid(), book, num, f"Bab {num}", doc, gen.moment())
        for num, doc in zip(numbers, content, strict=True)
    ]


async def books(
    conn: asyncpg.Connection,
    gen: _Gen,
    products: list[tuple[uuid.UUID, uuid.UUID | None]],
    trees: dict[str, list[uuid.UUID]],
) -> None:
    """One book for each of the first half of the kept products; even ones are serialised."""
    heads: list[tuple[Any, ...]] = []
    genres, tags, chapters = [], [], []
    for n, product in enumerate(products[: len(products) // 2]):
        head = _book(gen, n, product, heads[-1] if heads else None)
        heads.append(head)
        genre = trees["genre"][n % len(trees["genre"])]
        genres.append((gen.uid(), head[0], genre))
        if n % 25 == 13:
            genres.append((gen.uid(), head[0], genre))
            gen.planted.plant("duplicate_book_genre")
        tags.append((gen.uid(), head[0], trees["tags"][n % len(trees["tags"])]))
        if head[7] and head[6] is not None and head[3] >= 0:  # serialised and importable
            chapters += _chapters(gen, n, head[0])
    await conn.executemany(
        "INSERT INTO book (id, name, slug, submitted_price, status, id_product, id_author, "
        "is_chapter, created_at, published_date) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        # created_at (timestamptz) and published_date (timestamp) take the same moment, as
        # two parameters: one parameter cannot have both types.
        [(*head, head[8]) for head in heads],
    )
    for table, column, rows in (("book_genre", "id_genre", genres), ("book_tags", "id_tags", tags)):
        await conn.executemany(
            f"INSERT INTO {table} (id, id_book, {column}) VALUES ($1, $2, $3)",
            rows,
        )
    await conn.executemany(
        "INSERT INTO chapter (id, id_book, number, name, content, created_at) "
        "VALUES ($1, $2, $3, $4, $5, $6)",
        chapters,
    )
    gen.planted.rows.update(
        book=len(heads), book_genre=len(genres), book_tags=len(tags), chapter=len(chapters)
    )
