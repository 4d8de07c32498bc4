"""A string-keyed resource with a JSON column, for the bad-input tests (never esensi)."""

from rlib import Domain

domain = Domain(name="keyed", prefix="/api/keyed", auth=frozenset({"staff"}))
