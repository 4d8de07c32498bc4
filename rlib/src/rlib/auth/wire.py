"""better-auth's wire on the built-in routes: bare bodies and its ``{code, message}`` errors.

The codes are better-auth's (``packages/better-auth/src/error/codes.ts`` and the plugins'
error codes), so a client written against better-auth (``createAuthClient``) reads our errors
as its own; the messages stay ours, in the caller's language.
"""

from __future__ import annotations

from rlib.envelope import PlainWire

BETTER_AUTH = PlainWire(
    codes={
        "bad_credentials": "INVALID_EMAIL_OR_PASSWORD",
        "bad_username_credentials": "INVALID_USERNAME_OR_PASSWORD",
        "password_wrong": "INVALID_PASSWORD",
        "token_invalid": "INVALID_TOKEN",
        "code_invalid": "INVALID_CODE",
        "backup_code_invalid": "INVALID_BACKUP_CODE",
        "otp_invalid": "INVALID_OTP",
        "reauth_required": "SESSION_EXPIRED",
        "csrf_rejected": "INVALID_ORIGIN",
        "provider_not_configured": "PROVIDER_NOT_FOUND",
        "last_sign_in_method": "FAILED_TO_UNLINK_LAST_ACCOUNT",
        "no_session": "FAILED_TO_GET_SESSION",
        "unauthenticated": "UNAUTHORIZED",
        "rate_limited": "TOO_MANY_REQUESTS",
        "internal_error": "INTERNAL_SERVER_ERROR",
    },
    statuses={
        # better-call answers a body that fails its schema 400, and better-auth refuses a
        # wrong second-factor code 401 and unlinking the last account 400.
        "validation_error": 400,
        "code_invalid": 401,
        "backup_code_invalid": 401,
        "last_sign_in_method": 400,
        "not_found": 400,  # "Session not found", "Account not found"
    },
)
