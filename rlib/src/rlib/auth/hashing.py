"""Bounded password hashing: argon2 runs in threads behind one semaphore.

A login flood must not starve the server: at most ``permits`` hashes run at once (each
holds ~19 MiB), the rest wait. They run on the hasher's own pool of ``permits`` threads, not
asyncio's default executor: the C allocator keeps each thread's 19 MiB for reuse, so the
resident memory argon2 can hold is ``permits`` x 19 MiB, not (every executor thread) x 19 MiB.
An unknown account is verified against a fixed dummy hash so that "no such user" and "wrong
password" take the same time.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TypeVar

from rlib.auth.passwords import hash_password, needs_rehash, verify_password

T = TypeVar("T")

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
    _threads: ThreadPoolExecutor | None = field(default=None, init=False, repr=False)
    _admission: asyncio.Semaphore | None = field(default=None, init=False, repr=False)

    def _gate(self) -> asyncio.Semaphore:
        # Created lazily so the semaphore binds to the running loop, not the import-time one.
        if self._semaphore is None:
            self._semaphore = asyncio.Semaphore(self.permits)
        return self._semaphore

    def admission(self) -> asyncio.Semaphore:
        """At most ``permits`` password sign-ins at once, from their throttle check on.

        A flood of sign-ins would otherwise queue every request on the database pool (each
        throttle hit is a row-locked upsert on one key), ahead of every other route's
        requests; admitted first, the flood waits here and holds no connection.
        """
        if self._admission is None:
            self._admission = asyncio.Semaphore(self.permits)
        return self._admission

    async def _run(self, work: Callable[..., T], *args: str) -> T:
        """``work(*args)`` on the hasher's own threads (created on first use)."""
        if self._threads is None:
            self._threads = ThreadPoolExecutor(self.permits, thread_name_prefix="argon2")
        return await asyncio.get_running_loop().run_in_executor(self._threads, work, *args)

    async def hash(self, password: str) -> str:
        """The argon2id hash of ``password``."""
        async with self._gate():
            return await self._run(hash_password, password)

    async def verify(self, stored_hash: str | None, password: str) -> Verdict:
        """Check ``password``; ``stored_hash`` None (unknown account) runs a dummy verify.

        Returns:
            ``Verdict(ok, new_hash)``: ``new_hash`` is set when the password matched and the
            stored hash should be replaced (parameters changed).
        """
        async with self._gate():
            self.verifications += 1
            ok = await self._run(verify_password, stored_hash or _DUMMY_HASH, password)
            if not ok or stored_hash is None:
                return Verdict(ok=False)
            if needs_rehash(stored_hash):
                return Verdict(ok=True, new_hash=await self._run(hash_password, password))
            return Verdict(ok=True)
