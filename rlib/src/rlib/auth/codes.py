"""Short codes: six-digit one-time codes and 2FA backup codes, and their stored form.

Codes under 128 bits are stored as HMAC-SHA-256 under a key derived from the app secret
(security.md section 4): a bare hash of six digits is reversed by trying all million. An
emailed code's digest also covers its row id, address and use, so equal codes of two
addresses never share a digest (``auth_verification`` is unique on purpose + digest) and a
sign-in code does not verify an email.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

OTP_DIGITS = 6
BACKUP_CODE_COUNT = 10
BACKUP_CODE_LENGTH = 10
# Lower-case letters and digits without look-alikes (0/o, 1/l/i): easy to copy from paper.
_BACKUP_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_SEPARATOR = "\x1f"


def new_otp() -> str:
    """Six random digits from ``secrets`` (leading zeros kept)."""
    return f"{secrets.randbelow(10**OTP_DIGITS):0{OTP_DIGITS}d}"


def new_backup_codes() -> list[str]:
    """Ten codes of ten characters, shown as ``abcde-fghjk`` (the dash is not part of it)."""
    codes = []
    for _ in range(BACKUP_CODE_COUNT):
        raw = "".join(secrets.choice(_BACKUP_ALPHABET) for _ in range(BACKUP_CODE_LENGTH))
        codes.append(raw[:5] + "-" + raw[5:])
    return codes


def normalize_backup_code(code: str) -> str:
    """What is compared: lower case, without dashes and spaces (typed from paper)."""
    return "".join(code.split()).replace("-", "").lower()


@dataclass
class CodeHasher:
    """HMAC digests of short codes under one derived key.

    ``comparisons`` counts every code compared against a stored digest; the tests use it to
    prove that a burnt code is refused without being compared.
    """

    key: bytes
    comparisons: int = 0

    def digest(self, *parts: str) -> str:
        """HMAC-SHA-256 (hex) of ``parts`` joined by a separator no part contains."""
        message = _SEPARATOR.join(parts).encode("utf-8")
        return hmac.new(self.key, message, hashlib.sha256).hexdigest()

    def matches(self, stored: str, *parts: str) -> bool:
        """Whether ``parts`` give the ``stored`` digest (constant-time comparison)."""
        self.comparisons += 1
        return hmac.compare_digest(stored, self.digest(*parts))

    def backup_digest(self, owner: str, code: str) -> str:
        """The stored form of a backup code of login ``owner``."""
        return self.digest("backup", owner, normalize_backup_code(code))

    def without_backup_code(self, stored: list[str], owner: str, code: str) -> list[str] | None:
        """``stored`` less the digest of ``code``; None when ``code`` is not among them."""
        self.comparisons += 1
        digest = self.backup_digest(owner, code)
        remaining = [d for d in stored if not hmac.compare_digest(d, digest)]
        return None if len(remaining) == len(stored) else remaining
