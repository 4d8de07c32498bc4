"""Input and output models of the built-in auth routes.

Field names on the wire follow better-auth (``emailVerified``, ``twoFactorRedirect``), so its
clients work unchanged.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Password = Field(min_length=8, max_length=128)
Email = Field(min_length=3, max_length=320, pattern=r"^\s*[^@\s]+@[^@\s]+\.[^@\s]+\s*$")
# A typed code: six digits, a TOTP code or a backup code (spaces and dashes tolerated).
Code = Field(min_length=1, max_length=32)


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SignUpEmail(_Input):
    """Create a login with a password."""

    name: str = Field(min_length=1, max_length=255)
    email: str = Email
    password: str = Password
    image: str | None = Field(default=None, max_length=512)
    callbackURL: str | None = Field(default=None, max_length=2048)
    rememberMe: bool | None = None


class SignInEmail(_Input):
    """Sign in with email and password."""

    email: str = Field(min_length=1, max_length=320)
    password: str = Field(min_length=1, max_length=128)
    callbackURL: str | None = Field(default=None, max_length=2048)
    rememberMe: bool | None = None


class SignInUsername(_Input):
    """Sign in with username and password."""

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=128)
    rememberMe: bool | None = None


class SendVerification(_Input):
    """Ask for a new email verification link."""

    email: str = Field(min_length=1, max_length=320)
    callbackURL: str | None = Field(default=None, max_length=2048)


class VerifyEmail(_Input):
    """The link of a verification (or change-email) mail."""

    token: str = Field(min_length=1, max_length=128)
    callbackURL: str | None = Field(default=None, max_length=2048)


class DeleteUser(_Input):
    """Ask for the account deletion link (mailed; the account stays until it is followed)."""

    callbackURL: str | None = Field(default=None, max_length=2048)


class DeleteUserCallback(_Input):
    """The link of a delete-account-confirm mail."""

    token: str = Field(min_length=1, max_length=128)
    callbackURL: str | None = Field(default=None, max_length=2048)


class ForgetPassword(_Input):
    """Ask for a password reset link."""

    email: str = Field(min_length=1, max_length=320)
    redirectTo: str | None = Field(default=None, max_length=2048)


class ResetPassword(_Input):
    """Set a new password with the token of a reset link."""

    token: str = Field(min_length=1, max_length=128)
    newPassword: str = Password


class ChangePassword(_Input):
    """Replace the password of the signed-in login; other sessions are always revoked."""

    currentPassword: str = Field(min_length=1, max_length=128)
    newPassword: str = Password
    revokeOtherSessions: bool | None = None


class ChangeEmail(_Input):
    """Move the login to another address (confirmed by a link sent there)."""

    newEmail: str = Email
    callbackURL: str | None = Field(default=None, max_length=2048)


class RevokeSession(_Input):
    """One of the caller's own sessions, by id."""

    id: uuid.UUID


class SendOtp(_Input):
    """Ask for an emailed six-digit code (better-auth's ``email-otp`` plugin)."""

    email: str = Field(min_length=1, max_length=320)
    type: Literal["sign-in", "email-verification"]


class EmailOtp(_Input):
    """An emailed code for an address: verify it, or sign in with it."""

    email: str = Field(min_length=1, max_length=320)
    otp: str = Code


class ConfirmPassword(_Input):
    """The current password, confirming a two-factor change."""

    password: str = Field(min_length=1, max_length=128)


class SecondFactor(_Input):
    """A TOTP, emailed or backup code. ``trustDevice`` is accepted for better-auth clients
    but not honoured: every sign-in asks for the second factor."""

    code: str = Code
    trustDevice: bool | None = None


class DisableTwoFactor(_Input):
    """Turn 2FA off: the password and a current TOTP or backup code."""

    password: str = Field(min_length=1, max_length=128)
    code: str = Code


class TwoFactorSetup(BaseModel):
    """``two-factor/enable``: shown once, to the owner only."""

    secret: str
    totpURI: str
    backupCodes: list[str]


class TotpUri(BaseModel):
    """``two-factor/get-totp-uri``: the ``otpauth://`` URI (it carries the secret)."""

    totpURI: str


class Rotated(BaseModel):
    """A change that rotated the session: the new bearer token (the cookie carries it too)."""

    status: bool
    token: str


class BackupCodes(BaseModel):
    """New backup codes, shown once."""

    backupCodes: list[str]


# A hand-off state or code is ``secrets.token_urlsafe(32)``: 43 URL-safe characters.
Nonce = Field(pattern=r"^[A-Za-z0-9_-]{43}$")


class HandoffBegin(_Input):
    """Target host: where to land once signed in (a path here, or a URL of this host)."""

    return_to: str = Field(min_length=1, max_length=2048)


class HandoffStart(_Input):
    """Auth host: the target host's URL to return to and its state nonce."""

    return_to: str = Field(min_length=1, max_length=2048)
    state: str = Nonce


class HandoffRedeem(_Input):
    """Target host: the code issued by the auth host and the state it was issued for."""

    code: str = Nonce
    state: str = Nonce


class UserView(BaseModel):
    """The signed-in login as its owner sees it (no secrets)."""

    id: uuid.UUID
    name: str
    email: str
    emailVerified: bool
    image: str | None
    username: str | None
    twoFactorEnabled: bool
    profiles: dict[str, uuid.UUID]
    roles: list[str]


class SessionInfo(BaseModel):
    """Session metadata (never the token)."""

    id: uuid.UUID
    expiresAt: dt.datetime
    createdAt: dt.datetime
    ipAddress: str | None
    userAgent: str | None
    current: bool


class SessionView(BaseModel):
    """``get-session``: the current session and its user."""

    session: SessionInfo
    user: UserView


class SignInResult(BaseModel):
    """Sign-in answer; ``token`` is the bearer for non-browser clients (the cookie carries the
    same for browsers). With 2FA pending: ``twoFactorRedirect`` and no user."""

    token: str
    twoFactorRedirect: bool
    user: UserView | None


class Done(BaseModel):
    """A plain acknowledgement (better-auth's ``{status: true}``)."""

    status: bool


class SignInSocial(_Input):
    """Start a sign-in with an identity provider (better-auth's ``sign-in/social``)."""

    provider: str = Field(min_length=1, max_length=32)
    callbackURL: str | None = Field(default=None, max_length=2048)
    errorCallbackURL: str | None = Field(default=None, max_length=2048)


class LinkSocial(_Input):
    """Link an identity provider account to the signed-in login."""

    provider: str = Field(min_length=1, max_length=32)
    callbackURL: str | None = Field(default=None, max_length=2048)
    errorCallbackURL: str | None = Field(default=None, max_length=2048)


class UnlinkAccount(_Input):
    """Remove a provider link (``credential`` removes the password) from the signed-in login."""

    providerId: str = Field(min_length=1, max_length=32)
    accountId: str | None = Field(default=None, max_length=255)


class OAuthCallback(BaseModel):
    """What the provider appends to the redirect URI. Providers add parameters of their own
    (Google: ``scope``, ``authuser``, ``prompt``...), so unknown ones are ignored."""

    model_config = ConfigDict(extra="ignore")

    code: str | None = Field(default=None, max_length=2048)
    state: str | None = Field(default=None, max_length=128)
    error: str | None = Field(default=None, max_length=256)


class SocialRedirect(BaseModel):
    """Where the browser goes next (better-auth's ``{url, redirect: true}``)."""

    url: str
    redirect: bool
