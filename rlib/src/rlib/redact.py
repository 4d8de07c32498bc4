"""Log redaction: secrets never reach a log line (design/security.md L1).

Values under secret-looking field names are replaced, bank account numbers keep their last four
digits, and ``token``, ``code`` and ``state`` query parameters inside logged text are masked.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

MASK = "[redacted]"
SECRET_KEYS = frozenset(
    {
        "password",
        "new_password",
        "current_password",
        "token",
        "session_token",
        "access_token",
        "refresh_token",
        "id_token",
        "authorization",
        "cookie",
        "set-cookie",
        "otp",
        "code",
        "backup_code",
        "backup_codes",
        "secret",
        "totp_secret",
        "signature_key",
        "server_key",
        "smtp_password",
        "secret_key",
        "value_hash",
        "token_hash",
        "download_key",
    }
)
BANK_KEYS = frozenset({"bank_account_number"})
_QUERY_SECRET = re.compile(r"(?i)([?&](?:token|code|state)=)[^&#\s]*")


def redact_text(text: str) -> str:
    """Mask ``token``, ``code`` and ``state`` query parameters in ``text``."""
    return _QUERY_SECRET.sub(lambda m: m.group(1) + MASK, text)


def redact(value: object, key: str = "") -> object:
    """A copy of ``value`` safe to log (mappings and lists are walked)."""
    name = key.lower()
    if name in SECRET_KEYS:
        return MASK
    if name in BANK_KEYS and isinstance(value, str):
        return "*" * max(0, len(value) - 4) + value[-4:]
    if isinstance(value, Mapping):
        return {k: redact(v, str(k)) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [redact(item) for item in value]
    if isinstance(value, str):
        return redact_text(value)
    return value
