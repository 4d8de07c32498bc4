"""Top serialised books by sales, rating or reads in a time window: one SQL aggregate."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Subquery, func, select, true
from sqlalchemy.engine import RowMapping

from esensi.models.book import Book
from esensi.models.entitlement import CustomerReader
from esensi.models.enums import SalesStatus
from esensi.models.review import Reviews
from esensi.models.sales import TSales, TSalesLine
from esensi.services.chapter_books import books_in_genres, card_columns, visible_book
from rlib import Scope
from rlib.db.base import utcnow

WINDOWS = {"7d": dt.timedelta(days=7), "30d": dt.timedelta(days=30), "all": None}
# Orders that still count as sold: paid, not refunded or cancelled afterwards.
SOLD = (SalesStatus.PAID.value,)


def _since(column: Any, window: dt.timedelta | None) -> ColumnElement[bool]:
    return true() if window is None else column >= utcnow() - window


def _sales(window: dt.timedelta | None) -> Subquery:
    return (
        select(
            Book.id.label("id_book"),
            func.sum(TSalesLine.qty).label("score"),
            func.count(func.distinct(TSales.id)).label("count"),
        )
        .join(TSalesLine, TSalesLine.id_product == Book.id_product)
        .join(TSales, TSales.id == TSalesLine.id_sales)
        .where(TSales.status.in_(SOLD), TSales.deleted_at.is_(None))
        .where(_since(TSales.paid_at, window))
        .group_by(Book.id)
        .subquery()
    )


def _rating(window: dt.timedelta | None) -> Subquery:
    return (
        select(
            Reviews.id_book.label("id_book"),
            func.avg(Reviews.rating).label("score"),
            func.count().label("count"),
        )
        .where(Reviews.parent.is_(None), Reviews.deleted_at.is_(None))
        .where(_since(Reviews.created_at, window))
        .group_by(Reviews.id_book)
        .subquery()
    )


def _reads(window: dt.timedelta | None) -> Subquery:
    return (
        select(
            Book.id.label("id_book"),
            func.count().label("score"),
            func.count().label("count"),
        )
        .join(CustomerReader, CustomerReader.id_product == Book.id_product)
        .where(_since(CustomerReader.updated_at, window))
        .group_by(Book.id)
        .subquery()
    )


METRICS = {"sales": _sales, "rating": _rating, "reads": _reads}


async def top_books(
    scope: Scope,
    *,
    metric: str,
    window: str,
    genre_ids: Sequence[uuid.UUID] | None,
    limit: int,
) -> Sequence[RowMapping]:
    """The visible books with the highest ``metric`` in ``window`` (optionally in
    ``genre_ids``), best first, as card rows with ``score`` and ``count``."""
    scores = METRICS[metric](WINDOWS[window])
    query = (
        card_columns()
        .add_columns(scores.c.score, scores.c["count"])
        .join(scores, scores.c.id_book == Book.id)
        .where(visible_book())
    )
    if genre_ids is not None:
        query = query.where(Book.id.in_(select(books_in_genres(genre_ids).subquery().c.id)))
    rows = await scope.db.execute(
        query.order_by(scores.c.score.desc(), scores.c["count"].desc(), Book.id).limit(limit)
    )
    return rows.mappings().all()
