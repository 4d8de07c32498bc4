"""How the auth layer sends mail: a small interface the app wires to its outbox.

The auth routes never talk SMTP. They hand an :class:`AuthEmail` (template name, recipient,
context with the link or code) to the app's :class:`AuthMailer`, which must queue it in the
request's transaction, so a rollback sends nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from rlib.i18n import DEFAULT_LANG, Lang
from rlib.scope import Scope

# Template names, shared with the app's mail templates.
EMAIL_VERIFICATION = "email-verification"
ACCOUNT_EXISTS = "account-exists"
PASSWORD_RESET = "password-reset"
PASSWORD_CHANGED = "password-changed"
OTP_CODE = "otp-code"
CHANGE_EMAIL_VERIFICATION = "change-email-verification"
EMAIL_CHANGED = "email-changed"
TWO_FACTOR_ENABLED = "two-factor-enabled"
TWO_FACTOR_DISABLED = "two-factor-disabled"
DELETE_ACCOUNT_CONFIRM = "delete-account-confirm"
ACCOUNT_DELETED = "account-deleted"
TEMPLATE_NAMES = (
    EMAIL_VERIFICATION,
    ACCOUNT_EXISTS,
    PASSWORD_RESET,
    PASSWORD_CHANGED,
    OTP_CODE,
    CHANGE_EMAIL_VERIFICATION,
    EMAIL_CHANGED,
    TWO_FACTOR_ENABLED,
    TWO_FACTOR_DISABLED,
    DELETE_ACCOUNT_CONFIRM,
    ACCOUNT_DELETED,
)


@dataclass(frozen=True, slots=True)
class AuthEmail:
    """One email of the auth layer; ``context`` may hold a link or a code (never logged).

    ``otp-code`` carries ``name``, ``otp`` and ``use`` (``sign-in``, ``email-verification``
    or ``two-factor``), so the app can point at the right page.
    """

    template: str
    to: str
    context: Mapping[str, str] = field(default_factory=dict)
    lang: Lang = DEFAULT_LANG


class AuthMailer(Protocol):
    """Queues an auth email in ``scope``'s transaction."""

    async def __call__(self, scope: Scope, email: AuthEmail) -> None: ...


class MemoryAuthMailer:
    """Keeps emails in ``sent`` once the transaction commits (tests; development without mail)."""

    def __init__(self) -> None:
        self.sent: list[AuthEmail] = []

    async def __call__(self, scope: Scope, email: AuthEmail) -> None:
        scope.on_commit(lambda: self.sent.append(email))

    def last(self, template: str, to: str | None = None) -> AuthEmail:
        """The latest email of ``template`` (to ``to``); AssertionError when none was sent."""
        for email in reversed(self.sent):
            if email.template == template and (to is None or email.to == to):
                return email
        raise AssertionError(f"no {template!r} email to {to!r}")
