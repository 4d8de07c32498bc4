"""A parent/child/tag fixture domain for the CRUD engine's tests (never esensi)."""

from rlib import Domain

domain = Domain(name="library", prefix="/api/library", auth=frozenset({"writer", "staff"}))
