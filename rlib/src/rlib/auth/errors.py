"""Errors of the auth layer (they extend the tree drawn in ``rlib.errors``)."""

from __future__ import annotations

from rlib.errors import (
    AuthenticationError,
    AuthorizationError,
    BadRequestError,
    ConflictError,
)


class BadCredentialsError(AuthenticationError):
    """401: unknown account, wrong password or disabled account, all answered alike."""

    code = "bad_credentials"
    key = "auth.bad_credentials"


class CsrfRejectedError(AuthorizationError):
    """403: an unsafe cookie-authenticated request from an untrusted origin."""

    code = "csrf_rejected"
    key = "auth.csrf"


class ReauthRequiredError(AuthorizationError):
    """403: the action needs a sign-in from the last few minutes."""

    code = "reauth_required"
    key = "auth.reauth_required"


class TokenInvalidError(BadRequestError):
    """400: a link token or code that is unknown, used, expired or burnt."""

    code = "token_invalid"
    key = "auth.token_invalid"


class PasswordWrongError(BadRequestError):
    """400: the current password given to confirm a change is wrong (not a 401: the session
    itself is fine)."""

    code = "password_wrong"
    key = "auth.password_wrong"


class AccountUndeletableError(ConflictError):
    """409: the login holds a profile that cannot live without it (staff); an administrator
    removes such accounts."""

    code = "account_undeletable"
    key = "auth.account_undeletable"


class TwoFactorOffError(BadRequestError):
    """400: a two-factor action for a login whose 2FA is not set up (or not yet verified)."""

    code = "two_factor_not_enabled"
    key = "auth.two_factor_not_enabled"


class TwoFactorOnError(ConflictError):
    """409: enabling 2FA that is already on (disable it first)."""

    code = "two_factor_enabled"
    key = "auth.two_factor_enabled"
