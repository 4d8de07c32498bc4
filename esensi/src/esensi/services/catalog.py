"""One page of a listing: what the store and the chapter site list pages return."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.engine import RowMapping


@dataclass(frozen=True, slots=True)
class Listing:
    """One page of rows and the total number of matching rows."""

    rows: Sequence[RowMapping]
    total: int
