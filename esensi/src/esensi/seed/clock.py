"""Seed time: every timestamp is a fixed base date plus an offset, never the wall clock."""

from __future__ import annotations

import datetime as dt

BASE = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


def at(day: float) -> dt.datetime:
    """``day`` days (fractions allowed) after the base date, rounded to the second."""
    return BASE + dt.timedelta(seconds=round(day * 86_400))
