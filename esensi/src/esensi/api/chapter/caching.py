"""How the chapter site's public pages are cached (ADR 0038): an ETag on every answer, a minute in
shared caches; pages that differ per reader (``following``, unlocked content, own reviews) vary
on the caller too, and a signed-in reader's answer is never public."""

from __future__ import annotations

from rlib.httpcache import PUBLIC_PAGE, HttpCache

PER_CALLER_PAGE = HttpCache(max_age=0, shared_max_age=60, per_caller=True)

__all__ = ["PER_CALLER_PAGE", "PUBLIC_PAGE"]
