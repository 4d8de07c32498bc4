"""One page of a listing: what the store and the chapter site list pages return."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Listing:
    """One page of rows and the total number of matching rows."""

    rows: Sequence[Mapping[Any, Any]]  # session rows or the fast path's dicts
    total: int
