"""Password hashing with argon2id (m=19456 KiB, t=2, p=1), the parameters OWASP recommends.

Hashes imported from better-auth (the original esensi) are verified too: ``<salt>:<key>`` in
hex, scrypt N=16384 r=16 p=1 dkLen=64 over the NFKC-normalised password, the salt's hex *text*
as the salt bytes (better-auth's ``generateKey``). They always need a rehash, so the first
successful sign-in replaces them with argon2id.

These functions are CPU and memory heavy and synchronous; request code goes through
:mod:`rlib.auth.hashing`, which bounds how many run at once.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MEMORY_COST_KIB = 19_456
TIME_COST = 2
PARALLELISM = 1

_HASHER = PasswordHasher(
    time_cost=TIME_COST,
    memory_cost=MEMORY_COST_KIB,
    parallelism=PARALLELISM,
    hash_len=32,
    salt_len=16,
    type=Type.ID,
)


_LEGACY_SCRYPT = re.compile(r"^([0-9a-f]{32}):([0-9a-f]{128})$")
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P, _SCRYPT_DKLEN = 16_384, 16, 1, 64
# hashlib refuses to use more than ``maxmem`` bytes; scrypt needs 128 * N * r (32 MiB) here.
_SCRYPT_MAXMEM = 128 * _SCRYPT_N * _SCRYPT_R * 2


def is_legacy_scrypt(stored_hash: str) -> bool:
    """True when ``stored_hash`` is a better-auth scrypt hash (``<32 hex>:<128 hex>``)."""
    return _LEGACY_SCRYPT.match(stored_hash) is not None


def _verify_legacy_scrypt(stored_hash: str, password: str) -> bool:
    salt, key = stored_hash.split(":")
    derived = hashlib.scrypt(
        unicodedata.normalize("NFKC", password).encode(),
        salt=salt.encode(),
        n=_SCRYPT_N,
        r=_SCRYPT_R,
        p=_SCRYPT_P,
        dklen=_SCRYPT_DKLEN,
        maxmem=_SCRYPT_MAXMEM,
    )
    return hmac.compare_digest(derived, bytes.fromhex(key))


def hash_password(password: str) -> str:
    """The argon2id hash (``$argon2id$v=19$m=19456,t=2,p=1$...``) of ``password``."""
    return _HASHER.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """True when ``password`` matches ``stored_hash``; False on a mismatch or a malformed hash.

    ``stored_hash`` is argon2 or, for accounts imported from the original, better-auth scrypt.
    """
    if is_legacy_scrypt(stored_hash):
        return _verify_legacy_scrypt(stored_hash, password)
    try:
        return _HASHER.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """True when ``stored_hash`` was made with other parameters than the configured ones.

    Any non-argon2 hash (better-auth scrypt included) is "malformed" here and so needs one.
    """
    try:
        return _HASHER.check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True
