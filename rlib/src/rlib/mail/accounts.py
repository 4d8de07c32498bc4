"""Named SMTP accounts and each mail context's ordered failover list.

Plain configuration objects: the app builds them from its settings (this module reads no
environment) and hands them to the worker. Enqueueing never looks at accounts; the worker picks
one per delivery attempt, in the context's order, so a message survives an account being down.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

TransportKind = Literal["smtp", "file", "memory"]
Security = Literal["none", "starttls", "tls"]


class MailConfigError(ValueError):
    """The mail configuration is inconsistent (raised at start-up, never per message)."""


@dataclass(frozen=True, slots=True)
class MailAccount:
    """One way out: an SMTP server login, a folder of ``.eml`` files, or memory (tests).

    ``rate_per_minute`` 0 means unlimited. ``headers`` are added to every message sent through
    the account (e.g. a provider's message-stream header).
    """

    name: str
    transport: TransportKind = "smtp"
    host: str = "127.0.0.1"
    port: int = 587
    security: Security = "starttls"
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    from_address: str = "no-reply@localhost"
    rate_per_minute: int = 0
    timeout_s: float = 30.0
    directory: str = "var/mail"
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Exponential backoff for temporary failures: ``base_s`` doubling up to ``cap_s``.

    A message fails for good after ``max_attempts`` attempts or ``max_age_s`` after it was queued.
    """

    base_s: float = 10.0
    cap_s: float = 600.0
    max_attempts: int = 12
    max_age_s: float = 24 * 3600.0

    def delay_s(self, attempts: int) -> float:
        """Seconds to wait after the ``attempts``-th failed attempt (1-based)."""
        return float(min(self.cap_s, self.base_s * 2 ** max(0, attempts - 1)))


@dataclass(frozen=True, slots=True)
class MailConfig:
    """Accounts by name, context -> account names in failover order, and worker tuning."""

    accounts: Mapping[str, MailAccount] = field(default_factory=dict)
    contexts: Mapping[str, Sequence[str]] = field(default_factory=dict)
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    batch_size: int = 20
    lease_s: float = 120.0
    poll_interval_s: float = 5.0

    def check(self) -> None:
        """Raise :class:`MailConfigError` unless every context names at least one known account."""
        for context, names in self.contexts.items():
            if not names:
                raise MailConfigError(f"mail context {context!r} has no account")
            unknown = [name for name in names if name not in self.accounts]
            if unknown:
                raise MailConfigError(f"mail context {context!r} names unknown accounts {unknown}")

    def accounts_for(self, context: str) -> list[MailAccount]:
        """The accounts of ``context`` in failover order.

        Raises:
            MailConfigError: the context is not configured.
        """
        names = self.contexts.get(context)
        if not names:
            raise MailConfigError(f"mail context {context!r} is not configured")
        return [self.accounts[name] for name in names]
