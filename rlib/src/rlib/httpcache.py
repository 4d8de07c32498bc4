"""HTTP caching of public GET answers: an ``ETag`` on the body, 304 on ``If-None-Match``, and a
``Cache-Control`` for browsers and shared caches declared per endpoint::

    @define_api(name="browse", url="/browse/{page:int}", methods=("GET", "POST"),
                auth="public", cache=HttpCache(shared_max_age=60))

Only a successful GET or HEAD is cached, and only when neither the authenticator (protected and
auth routes are ``no-store``) nor the handler already chose a ``Cache-Control``. An answer to a
signed-in caller is never public: it gets ``private, no-cache`` (the browser still revalidates
with the ``ETag``). An endpoint whose data differs per caller declares ``per_caller=True`` so its
anonymous answer also varies on ``Cookie`` and ``Authorization``. The body depends on
``Accept-Language`` (the envelope's message) and, for page endpoints, on ``Accept`` (JSON or the
HTML shell), hence ``Vary``. ``RlibConfig.shared_max_age`` overrides an endpoint's ``s-maxage`` by
``<domain>.<name>`` without a code change.
"""

from __future__ import annotations

import hashlib
from collections.abc import MutableMapping
from dataclasses import dataclass, replace

CACHEABLE_METHODS = frozenset({"GET", "HEAD"})
VARY = "Accept, Accept-Language"


@dataclass(frozen=True, slots=True)
class HttpCache:
    """How long browsers (``max_age``) and shared caches (``shared_max_age``, ``s-maxage``) may
    reuse an answer without asking; None leaves ``s-maxage`` out (shared caches then use
    ``max_age``). Either way the ``ETag`` lets them revalidate for a 304."""

    max_age: int = 0
    shared_max_age: int | None = None
    per_caller: bool = False

    def __post_init__(self) -> None:
        if self.max_age < 0 or (self.shared_max_age is not None and self.shared_max_age < 0):
            raise ValueError("HttpCache: ages are seconds, never negative")

    def with_shared_max_age(self, seconds: int | None) -> HttpCache:
        """The same policy with another ``s-maxage``."""
        return replace(self, shared_max_age=seconds)

    def cache_control(self, *, personal: bool = False) -> str:
        """The ``Cache-Control`` value: ``public, max-age=0, s-maxage=60``; for an answer made
        for a signed-in caller, ``private, no-cache``."""
        if personal:
            return "private, no-cache"
        parts = ["public", f"max-age={self.max_age}"]
        if self.shared_max_age is not None:
            parts.append(f"s-maxage={self.shared_max_age}")
        return ", ".join(parts)


# Public page data: browsers revalidate every time (cheap with the ETag), shared caches keep a
# minute.
PUBLIC_PAGE = HttpCache(max_age=0, shared_max_age=60)


def etag_of(body: bytes) -> str:
    """A strong validator for exactly these bytes."""
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


def matches(if_none_match: str | None, etag: str) -> bool:
    """True when ``If-None-Match`` names ``etag`` (weak comparison, as RFC 9110 asks) or ``*``."""
    if not if_none_match:
        return False
    wanted = etag.removeprefix("W/")
    for candidate in if_none_match.split(","):
        tag = candidate.strip()
        if tag == "*" or tag.removeprefix("W/") == wanted:
            return True
    return False


def apply_policy(
    policy: HttpCache | None,
    *,
    method: str,
    status: int,
    body: bytes,
    if_none_match: str | None,
    headers: MutableMapping[str, str],
    personal: bool = False,
) -> bool:
    """Add the validator and policy headers to a cacheable answer; True means answer 304.

    Leaves ``headers`` alone when there is no policy, the answer is not a 200 to GET/HEAD, or a
    ``Cache-Control`` was already chosen (a signed-in caller's answer is ``no-store``).
    """
    if policy is None or method not in CACHEABLE_METHODS or status != 200:
        return False
    if any(name.lower() == "cache-control" for name in headers):
        return False
    etag = etag_of(body)
    headers["ETag"] = etag
    headers["Cache-Control"] = policy.cache_control(personal=personal)
    headers["Vary"] = f"{VARY}, Cookie, Authorization" if policy.per_caller else VARY
    return matches(if_none_match, etag)
