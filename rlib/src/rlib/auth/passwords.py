"""Password hashing with argon2id (OWASP minimum: m=19456 KiB, t=2, p=1).

Hashes are PHC strings (``$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>``) that carry their own
parameters, so raising the cost later only needs :func:`needs_rehash` at the next sign-in.
"""

from __future__ import annotations

from typing import Final

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

MEMORY_COST_KIB: Final = 19_456
TIME_COST: Final = 2
PARALLELISM: Final = 1

# Stateless once built (parameters only), so one instance serves every caller.
_HASHER: Final = PasswordHasher(
    time_cost=TIME_COST,
    memory_cost=MEMORY_COST_KIB,
    parallelism=PARALLELISM,
    hash_len=32,
    salt_len=16,
    type=Type.ID,
)


def hash_password(plain: str) -> str:
    """Hash ``plain`` with a fresh random salt.

    Args:
        plain: the password as typed (any length the caller accepted).

    Returns:
        The argon2id PHC string to store in ``auth_account.password``.
    """
    return _HASHER.hash(plain)


def verify_password(hashed: str, plain: str) -> bool:
    """Whether ``plain`` matches ``hashed``.

    Args:
        hashed: a stored PHC string.
        plain: the password to check.

    Returns:
        True on a match; False on a mismatch or when ``hashed`` is not a valid argon2 hash
        (a corrupt row must deny sign-in, never raise a 500).
    """
    try:
        return _HASHER.verify(hashed, plain)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(hashed: str) -> bool:
    """Whether ``hashed`` was made with other parameters than the current ones.

    Call after a successful :func:`verify_password` and store a fresh hash when True.

    Raises:
        argon2.exceptions.InvalidHashError: ``hashed`` is not an argon2 PHC string.
    """
    return _HASHER.check_needs_rehash(hashed)
