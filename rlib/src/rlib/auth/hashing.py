"""Bounded password hashing: argon2 runs in threads behind one semaphore.

A login flood must not starve the server: at most ``permits`` hashes run at once (each
holds ~19 MiB), the rest wait. An unknown account is verified against a fixed dummy hash so
that "no such user" and "wrong password" take the same time.
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass, field

from rlib.auth.passwords import hash_password, needs_rehash, verify_password

# A hash of a random password nobody knows; only its cost matters.
_DUMMY_HASH = (
    "$argon2id$v=19$m=19456,t=2,p=1$tZo27e1ctzUOoKb8KjMhAA$"
    "TFrcFoJ7rVa/fjwwxRczj5rv0fFk/+4hky3K4rSUezw"
)


def default_permits() -> int:
    """2 x CPU cores (security.md P2)."""
    return 2 * (os.cpu_count() or 1)


@dataclass(slots=True)
class Verdict:
    """Result of a verify: ``ok``, and a fresh hash when the stored one used old parameters."""

    ok: bool
    new_hash: str | None = None


@dataclass
class BoundedHasher:
    """Hash and verify in worker threads, at most ``permits`` at a time.

    ``verifications`` counts every verify that reached argon2 (dummy ones included); the
    throttle tests use it to prove that locked-out attempts never reach the hasher.
    """

    permits: int = field(default_factory=default_permits)
    verifications: int = 0
    _semaphore: asyncio.Semaphore | None = field(default=None, init=False, repr=False)

    def _gate(self) -> asyncio.Semaphore:
        # Created lazily so the semaphore binds to the running loop, not the import-time one.
        if self._semaphore is None:
            self._semaphore = asyncio.Semaphore(self.permits)
        return self._semaphore

    async def hash(self, password: str) -> str:
        """The argon2id hash of ``password``."""
        async with self._gate():
            return await asyncio.to_thread(hash_password, password)

    async def verify(self, stored_hash: str | None, password: str) -> Verdict:
        """Check ``password``; ``stored_hash`` None (unknown account) runs a dummy verify.

        Returns:
            ``Verdict(ok, new_hash)``: ``new_hash`` is set when the password matched and the
            stored hash should be replaced (parameters changed).
        """
        async with self._gate():
            self.verifications += 1
            ok = await asyncio.to_thread(verify_password, stored_hash or _DUMMY_HASH, password)
            if not ok or stored_hash is None:
                return Verdict(ok=False)
            if needs_rehash(stored_hash):
                return Verdict(ok=True, new_hash=await asyncio.to_thread(hash_password, password))
            return Verdict(ok=True)
