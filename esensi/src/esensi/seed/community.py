"""Demo community on the chapter site: reviews by buyers, authors' replies, likes, follows."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from esensi.models.author import AuthorFollow
from esensi.models.review import Reviews, ReviewsLikes
from esensi.seed.catalog import BookPlan
from esensi.seed.clock import at
from esensi.seed.keys import rng, seed_id
from esensi.seed.orders import OWNED
from esensi.seed.people import CustomerPlan, stamps
from esensi.seed.runner import Tables
from esensi.seed.words import REPLY_TEXTS, REVIEW_TEXTS

if TYPE_CHECKING:
    from esensi.seed.world import Block

RATINGS = (5, 5, 5, 4, 4, 4, 3, 2, 1)


@dataclass(frozen=True, slots=True)
class ReviewPlan:
    id: uuid.UUID
    book: BookPlan
    writer: CustomerPlan
    rating: int
    day: float
    reply: bool


def plan_reviews(block: Block) -> list[ReviewPlan]:
    """About four in ten buyers review what they bought; authors answer some of them."""
    plans = []
    for order in block.orders:
        if order.status not in OWNED or order.status == "refunded":
            continue
        for line in order.lines:
            for book in line.books:
                rand = rng("review", order.customer.id, book.number)
                if rand.random() >= 0.4:
                    continue
                plans.append(
                    ReviewPlan(
                        id=seed_id("reviews", f"{order.customer.id}:{book.number}"),
                        book=book,
                        writer=order.customer,
                        rating=rand.choice(RATINGS),
                        day=order.day + 3 + rand.random() * 20,
                        reply=rand.random() < 0.3,
                    )
                )
    return plans


def _review_row(review: ReviewPlan, **overrides: Any) -> dict[str, Any]:
    rand = rng("review-text", review.id)
    row = {
        "id": review.id,
        "id_book": review.book.id,
        "comments": rand.choice(REVIEW_TEXTS),
        "rating": review.rating,
        "parent": None,
        "id_user": review.writer.login.id,
        "deleted_at": None,
        "version": 1,
        **stamps(at(review.day)),
    }
    return row | overrides


def review_rows(reviews: list[ReviewPlan]) -> list[dict[str, Any]]:
    rows = [_review_row(r) for r in reviews]
    rows += [
        _review_row(
            r,
            id=seed_id("reviews", f"reply:{r.id}"),
            comments=rng("reply", r.id).choice(REPLY_TEXTS),
            rating=None,
            parent=r.id,
            id_user=r.book.author.login.id,
            **stamps(at(r.day + 1)),
        )
        for r in reviews
        if r.reply
    ]
    return rows


def like_rows(block: Block, reviews: list[ReviewPlan]) -> list[dict[str, Any]]:
    """Up to three other readers of the block like each review."""
    rows = []
    for review in reviews:
        others = [c for c in block.customers if c.id != review.writer.id]
        rand = rng("likes", review.id)
        for fan in rand.sample(others, rand.randrange(4)):
            rows.append(
                {
                    "id": seed_id("reviews_likes", f"{review.id}:{fan.id}"),
                    "id_reviews": review.id,
                    "id_user": fan.login.id,
                    "created_at": at(review.day + 2),
                }
            )
    return rows


def follow_pairs(block: Block) -> list[tuple[CustomerPlan, uuid.UUID, float]]:
    """(reader, author id, day): every reader follows one or two authors of the block."""
    pairs = []
    for customer in block.customers:
        rand = rng("follows", customer.id)
        for author in rand.sample(block.authors, 1 + rand.randrange(2)):
            pairs.append((customer, author.id, 140 + rand.random() * 30))
    return pairs


def seed_community(block: Block) -> Tables:
    reviews = plan_reviews(block)
    tables: Tables = [(Reviews, review_rows(reviews))]
    tables.append((ReviewsLikes, like_rows(block, reviews)))
    follows = [
        {
            "id": seed_id("author_follow", f"{reader.login.id}:{author_id}"),
            "id_user": reader.login.id,
            "id_author": author_id,
            "created_at": at(day),
        }
        for reader, author_id, day in follow_pairs(block)
    ]
    return [*tables, (AuthorFollow, follows)]
