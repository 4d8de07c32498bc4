"""Errors of the auth layer (they extend the tree drawn in ``rlib.errors``)."""

from __future__ import annotations

from rlib.errors import (
    AuthenticationError,
    AuthorizationError,
    BadRequestError,
    ConflictError,
    NotFoundError,
    ServiceUnavailableError,
)


class BadCredentialsError(AuthenticationError):
    """401: unknown account, wrong password or disabled account, all answered alike."""

    code = "bad_credentials"
    key = "auth.bad_credentials"


class BadUsernameCredentialsError(BadCredentialsError):
    """401: ``sign-in/username`` failed (better-auth's username plugin has a code of its own)."""

    code = "bad_username_credentials"


class NoSessionError(BadRequestError):
    """400: sign-out without a session (better-auth's ``FAILED_TO_GET_SESSION``)."""

    code = "no_session"
    key = "auth.no_session"


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


class CodeInvalidError(TokenInvalidError):
    """400: a wrong, used or expired TOTP code (or one the emailed-code check refused)."""

    code = "code_invalid"


class BackupCodeInvalidError(TokenInvalidError):
    """400: a backup code that is not one of the login's unused ones."""

    code = "backup_code_invalid"


class OtpInvalidError(TokenInvalidError):
    """400: a wrong, used or expired emailed code (better-auth's ``email-otp`` plugin)."""

    code = "otp_invalid"


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


class ProviderNotConfiguredError(NotFoundError):
    """404: sign-in with an identity provider the app has not configured (no client id)."""

    code = "provider_not_configured"
    key = "auth.provider_not_configured"


class OAuthStateInvalidError(BadRequestError):
    """400: a provider callback whose ``state`` is missing, unknown, used, expired or was
    started in another browser; nothing says where it is safe to redirect, so no redirect."""

    code = "oauth_state_invalid"
    key = "auth.oauth_state_invalid"


class ProviderUnavailableError(ServiceUnavailableError):
    """503: the identity provider's discovery document could not be read."""

    code = "provider_unavailable"
    key = "auth.provider_unavailable"


class LastSignInMethodError(ConflictError):
    """409: removing this account would leave the login without a way to sign in."""

    code = "last_sign_in_method"
    key = "auth.last_sign_in_method"


class HandoffUnavailableError(BadRequestError):
    """400: cross-host sign-in asked of a host that is not one of the configured ones."""

    code = "handoff_unavailable"
    key = "auth.handoff_unavailable"


class HandoffStateError(BadRequestError):
    """400: the hand-off ``state`` does not match this browser's hand-off cookie (login CSRF)."""

    code = "handoff_state"
    key = "auth.handoff_state"
