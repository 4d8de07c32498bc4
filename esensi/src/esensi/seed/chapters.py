"""Demo chapters of the serialised books: Editor.js content, numbered from 1 per book."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from esensi.models.chapter import Chapter
from esensi.models.enums import ChapterStatus
from esensi.seed.catalog import BookPlan
from esensi.seed.clock import at
from esensi.seed.keys import rng, seed_id
from esensi.seed.people import stamps
from esensi.seed.runner import Tables
from esensi.seed.words import paragraph

if TYPE_CHECKING:
    from esensi.seed.world import Block

FREE_CHAPTERS = 2
EDITOR_VERSION = "2.30.7"


@dataclass(frozen=True, slots=True)
class ChapterPlan:
    id: uuid.UUID
    book: BookPlan
    number: int
    published: bool
    day: float


def plan_chapters(books: list[BookPlan]) -> list[ChapterPlan]:
    """Three to eight chapters per serialised book; published books publish all but the last."""
    plans = []
    for book in books:
        if not book.is_chapter:
            continue
        count = 3 + rng("chapters", book.number).randrange(6)
        live = book.status == "published"
        for number in range(1, count + 1):
            plans.append(
                ChapterPlan(
                    id=seed_id("chapter", f"{book.number}:{number}"),
                    book=book,
                    number=number,
                    published=live and number < count,
                    day=book.day + 10 + number * 3,
                )
            )
    return plans


def document(key: str, title: str) -> dict[str, Any]:
    """An Editor.js document: a heading and a few paragraphs."""
    rand = rng("document", key)
    blocks: list[dict[str, Any]] = [
        {"id": f"{key}-h", "type": "header", "data": {"text": title, "level": 2}}
    ]
    blocks += [
        {"id": f"{key}-p{n}", "type": "paragraph", "data": {"text": paragraph(rand, 4)}}
        for n in range(3 + rand.randrange(4))
    ]
    return {"time": 1735689600000, "blocks": blocks, "version": EDITOR_VERSION}


def seed_chapters(block: Block) -> Tables:
    rows = []
    for plan in block.chapters:
        name = f"Bab {plan.number}: " + rng("chapter-name", plan.id).choice(
            ("Awal Mula", "Pertemuan", "Rahasia Lama", "Badai", "Jalan Pulang", "Titik Balik")
        )
        rows.append(
            {
                "id": plan.id,
                "id_book": plan.book.id,
                "number": plan.number,
                "name": name,
                "content": document(str(plan.id), name),
                "is_free": plan.number <= FREE_CHAPTERS,
                "status": (
                    ChapterStatus.PUBLISHED if plan.published else ChapterStatus.DRAFT
                ).value,
                "published_at": at(plan.day) if plan.published else None,
                "version": 1,
                **stamps(at(plan.day - 1)),
            }
        )
    return [(Chapter, rows)]
