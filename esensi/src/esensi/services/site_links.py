"""Links in notifications and emails: on the configured origin of a host, never the request's."""

from __future__ import annotations

from rlib import Scope


def site_url(scope: Scope, host: str, path: str) -> str:
    """``path`` on ``host``'s configured origin (``auth.base_urls``); the bare path without one."""
    auth = getattr(scope.settings, "auth", None)
    base_urls: dict[str, str] = getattr(auth, "base_urls", None) or {}
    return base_urls.get(host, "").rstrip("/") + path
