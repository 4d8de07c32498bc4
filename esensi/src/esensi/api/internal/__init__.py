"""internal: the back office for staff (role flags narrow each endpoint once auth lands)."""

from rlib import Domain

domain = Domain(name="internal", prefix="/api/internal", auth=frozenset({"internal"}))
