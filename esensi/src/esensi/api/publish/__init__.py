"""publish: the author and publisher portal."""

from rlib import Domain

domain = Domain(name="publish", prefix="/api/publish", auth=frozenset({"author", "publisher"}))
