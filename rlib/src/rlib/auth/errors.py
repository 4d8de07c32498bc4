"""Errors of the auth layer (they extend the tree drawn in ``rlib.errors``)."""

from __future__ import annotations

from rlib.errors import AuthenticationError, AuthorizationError, BadRequestError


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


class HandoffUnavailableError(BadRequestError):
    """400: cross-host sign-in asked of a host that is not one of the configured ones."""

    code = "handoff_unavailable"
    key = "auth.handoff_unavailable"


class HandoffStateError(BadRequestError):
    """400: the hand-off ``state`` does not match this browser's hand-off cookie (login CSRF)."""

    code = "handoff_state"
    key = "auth.handoff_state"
