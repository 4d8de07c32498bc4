"""The redirect validator every ``callbackURL``, ``redirectTo`` and ``return_to`` passes (K1).

A target is either a path on the default origin (one leading ``/``, never ``//`` or ``/\\``)
or an absolute URL whose origin is configured. Anything a browser could read as another host
(backslashes, control characters, user info, schemes other than the configured origin's) is
refused; the validator never consults the request's ``Host``.
"""

from __future__ import annotations

from collections.abc import Collection
from urllib.parse import urlsplit

from rlib.errors import FieldError, ValidationError

_FORBIDDEN = frozenset("\\\t\r\n\x00 ")


def safe_redirect(target: str, *, origins: Collection[str], default_origin: str) -> str | None:
    """The absolute URL to redirect to, or None when ``target`` is not allowed.

    Args:
        origins: allowed ``scheme://host[:port]`` origins, lower case, without a trailing slash.
        default_origin: the origin a bare path is resolved against.
    """
    if not target or any(ch in _FORBIDDEN or ord(ch) < 0x20 for ch in target):
        return None
    if target.startswith("/"):
        if target.startswith("//"):
            return None
        return default_origin.rstrip("/") + target
    try:
        parts = urlsplit(target)
    except ValueError:
        return None
    if parts.username is not None or parts.password is not None or not parts.hostname:
        return None
    origin = f"{parts.scheme}://{parts.netloc}".lower()
    if origin not in origins or not (parts.path or "/").startswith("/"):
        return None
    if parts.path.startswith("//"):
        return None
    return target


def require_redirect(
    target: str | None, *, origins: Collection[str], default_origin: str, field: str
) -> str | None:
    """``safe_redirect`` for an optional input field: None stays None, a refused URL is 422."""
    if target is None:
        return None
    url = safe_redirect(target, origins=origins, default_origin=default_origin)
    if url is None:
        raise ValidationError([FieldError(loc=("body", field), key="auth.redirect_invalid")])
    return url
