"""Keys derived from the app secret, and authenticated encryption of small stored secrets.

The app has one configured secret (``AuthConfig.secret_key``); each use gets its own key from
HKDF-SHA-256 with a distinct label, so a key leaked from one use says nothing about another.
TOTP secrets are stored sealed with AES-256-GCM: a random 96-bit nonce per value, and the
owner's id as associated data, so a sealed value copied onto another login does not open.
"""

from __future__ import annotations

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_VERSION = "v1"
_NONCE_BYTES = 12


def derive_key(secret: str, label: str) -> bytes:
    """A 256-bit key for ``label`` derived from the app secret."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=label.encode())
    return hkdf.derive(secret.encode("utf-8"))


class SealError(ValueError):
    """A sealed value that does not open: another key, another owner, or tampered with."""


class SecretBox:
    """Seal and open short strings with AES-256-GCM under a derived key."""

    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)

    def seal(self, plaintext: str, *, owner: str) -> str:
        """``v1.<base64url(nonce | ciphertext | tag)>``, bound to ``owner``."""
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, plaintext.encode("utf-8"), owner.encode("utf-8"))
        return _VERSION + "." + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")

    def open(self, sealed: str, *, owner: str) -> str:
        """The plaintext of a value made by :meth:`seal` for ``owner``.

        Raises:
            SealError: when the value is malformed or does not authenticate.
        """
        version, _, body = sealed.partition(".")
        if version != _VERSION:
            raise SealError("unknown sealed-value version")
        try:
            raw = base64.urlsafe_b64decode(body.encode("ascii"))
            plain = self._aead.decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], owner.encode())
        except (InvalidTag, ValueError) as exc:
            raise SealError("sealed value does not open") from exc
        return plain.decode("utf-8")
