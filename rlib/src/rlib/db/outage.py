"""Is an exception the database (or another server the request needed) being unreachable?

While PostgreSQL restarts, is stopped, or has the app's connections terminated, a request
meets a refused connect (``ConnectionRefusedError``, not wrapped by SQLAlchemy), a server
that is starting or shutting down (SQLSTATE 57P01-57P03), a connection class error (08xxx),
or a pooled connection found closed. None of them is a bug of the request: the caller
answers 503 with ``Retry-After`` (security.md D6), never a 500.
"""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError

# 08xxx connection exceptions; 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot
# connect now; 53300 too many connections.
_SHUTDOWN_STATES = frozenset({"57P01", "57P02", "57P03", "53300"})
_CLOSED_MARKERS = ("connection is closed", "connection was closed", "underlying connection")


def _one(exc: BaseException) -> bool:
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    if isinstance(exc, ConnectionError):  # refused, reset, aborted, broken pipe
        return True
    state = getattr(exc, "sqlstate", None) or getattr(exc, "pgcode", None)
    if isinstance(state, str) and (state.startswith("08") or state in _SHUTDOWN_STATES):
        return True
    if type(exc).__name__ in ("InterfaceError", "ConnectionDoesNotExistError"):
        text = str(exc).lower()
        return any(marker in text for marker in _CLOSED_MARKERS)
    return False


def unreachable(exc: BaseException) -> bool:
    """True when ``exc`` (or what caused it) says a server could not be reached or dropped
    the connection; False for everything else (a real error)."""
    seen: set[int] = set()
    todo: list[BaseException] = [exc]
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if _one(current):
            return True
        orig = getattr(current, "orig", None)
        todo.extend(
            e
            for e in (orig, current.__cause__, current.__context__)
            if isinstance(e, BaseException)
        )
    return False
