"""argon2id parameters, rehash on change, dummy verify, bounded hashing (security.md P1-P3)."""

from __future__ import annotations

import asyncio
import threading

from argon2 import PasswordHasher
from argon2.low_level import Type

from rlib.auth import hashing
from rlib.auth.hashing import BoundedHasher
from rlib.auth.passwords import hash_password, needs_rehash, verify_password


def test_hash_uses_argon2id_with_the_configured_parameters():
    stored = hash_password("kata sandi ✓")
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert verify_password(stored, "kata sandi ✓")
    assert not verify_password(stored, "kata sandi ✓ ")  # no trimming
    assert not verify_password("not a hash", "x")


def test_old_parameters_need_a_rehash():
    old = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1, type=Type.ID).hash("x")
    assert needs_rehash(old)
    assert not needs_rehash(hash_password("x"))


async def test_verify_returns_a_new_hash_when_the_parameters_changed():
    old = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1, type=Type.ID).hash("pw")
    verdict = await BoundedHasher(permits=1).verify(old, "pw")
    assert verdict.ok
    assert verdict.new_hash is not None
    assert not needs_rehash(verdict.new_hash)


async def test_unknown_accounts_run_a_dummy_verify_and_fail():
    hasher = BoundedHasher(permits=1)
    assert not (await hasher.verify(None, "anything")).ok
    assert hasher.verifications == 1


async def test_at_most_permits_hashes_run_at_once(monkeypatch):
    hasher = BoundedHasher(permits=2)
    peak = 0
    running = 0
    lock = threading.Lock()
    threads: set[int] = set()

    def counting(stored: str, password: str) -> bool:
        nonlocal peak, running
        with lock:
            running += 1
            peak = max(peak, running)
            threads.add(threading.get_ident())
        try:
            return verify_password(stored, password)
        finally:
            with lock:
                running -= 1

    monkeypatch.setattr(hashing, "verify_password", counting)
    await asyncio.gather(*(hasher.verify(None, "x") for _ in range(12)))
    assert peak == 2
    assert hasher.verifications == 12
    # On its own two threads, not asyncio's default executor: the allocator keeps 19 MiB per
    # thread that ever ran argon2, so the thread count is the bound on resident memory.
    assert len(threads) == 2


async def test_a_better_auth_scrypt_hash_verifies_and_is_replaced_by_argon2id():
    # better-auth's format for "rahasia-123" (salt hex text as the salt, N=16384 r=16 p=1),
    # made with Node's crypto.scrypt; see rlib/tests/test_passwords.py.
    imported = (
        "0123456789abcdef0123456789abcdef:"
        "65b0f8a842026d89216f8653eb293f66a82ebf1a1ec9bdffce15d126f9f792a4"
        "b255bead13e4844992f5abf50e389dc9962f41b192bed47e2ec06df7e985fb25"
    )
    verdict = await BoundedHasher(permits=1).verify(imported, "rahasia-123")
    assert verdict.ok
    assert verdict.new_hash is not None
    assert verdict.new_hash.startswith("$argon2id$")
    assert not (await BoundedHasher(permits=1).verify(imported, "rahasia-124")).ok
