"""auth: the app's account endpoints (the framework adds the built-in /api/auth/* routes)."""

from rlib import Domain

domain = Domain(name="auth", prefix="/api/auth", auth=frozenset({"any"}))
