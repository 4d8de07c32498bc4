"""CSRF for cookie-authenticated unsafe requests (security.md C1, C2).

In order: ``Origin`` in the trusted list -> allow; ``Origin: null`` -> refuse; ``Sec-Fetch-Site``
present -> allow only ``same-origin`` or ``none``; absent -> allow when ``Origin`` is absent
(a non-browser client) or is the request's own origin. Bearer requests without the cookie skip
the check: a browser never attaches a bearer header on its own.
"""

from __future__ import annotations

import logging
from collections.abc import Collection

from rlib.auth.errors import CsrfRejectedError

logger = logging.getLogger("rlib.auth")

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def check_csrf(
    *,
    method: str,
    origin: str | None,
    fetch_site: str | None,
    own_origin: str,
    trusted: Collection[str],
) -> None:
    """Raise 403 :class:`CsrfRejectedError` when an unsafe request may be cross-site."""
    if method in SAFE_METHODS or _allowed(origin, fetch_site, own_origin, trusted):
        return
    logger.warning(
        "csrf rejected", extra={"origin": origin or "", "sec_fetch_site": fetch_site or ""}
    )
    raise CsrfRejectedError()


def _allowed(
    origin: str | None, fetch_site: str | None, own_origin: str, trusted: Collection[str]
) -> bool:
    normalized = origin.rstrip("/").lower() if origin else None
    if normalized is not None and normalized in trusted:
        return True
    if normalized == "null":
        return False
    if fetch_site is not None:
        return fetch_site.lower() in {"same-origin", "none"}
    return normalized is None or normalized == own_origin.lower()
