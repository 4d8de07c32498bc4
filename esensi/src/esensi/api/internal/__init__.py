"""internal: the back office for staff.

Each endpoint names the role flags it admits (``internal:<role>``, spec/endpoints.md §5);
``internal`` alone admits any staff.
"""

from rlib import Domain

domain = Domain(name="internal", prefix="/api/internal", auth=frozenset({"internal"}))
