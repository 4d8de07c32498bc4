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
    callbackURL: str | None = Field(default=None, max_length=2048)


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


class ResetPasswordLink(_Input):
    """``GET /reset-password/<token>``: better-auth's mailed link, bounced to the app's page."""

    token: str = Field(min_length=1, max_length=128)
    callbackURL: str = Field(min_length=1, max_length=2048)


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
    """One of the caller's own sessions, by the ``token`` handle ``list-sessions`` shows."""

    token: uuid.UUID


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


class BackupCode(SecondFactor):
    """A backup code. better-auth's ``disableSession`` is accepted but not honoured: a backup
    code always rotates to a fresh session, like the other second factors."""

    disableSession: bool | None = None


class EnableTwoFactor(_Input):
    """``two-factor/enable``: the password. better-auth's ``issuer`` is accepted but the URI
    always names the configured issuer."""

    password: str = Field(min_length=1, max_length=128)
    issuer: str | None = Field(default=None, max_length=255)


class DisableTwoFactor(_Input):
    """Turn 2FA off: the password and a current TOTP or backup code."""

    password: str = Field(min_length=1, max_length=128)
    code: str = Code


class TwoFactorSetup(BaseModel):
    """``two-factor/enable``: shown once, to the owner only (the secret is in the URI)."""

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

    status: bool
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
    """better-auth's user object, as its owner sees it (no secrets). The app's user types add
    one ``id<Type>`` field each (``idCustomer``: the profile id or null) and one boolean per
    role flag (``isSupport``), so a client needs no second call to learn who the user is."""

    model_config = ConfigDict(extra="allow")

    id: uuid.UUID
    name: str
    email: str
    emailVerified: bool
    image: str | None
    createdAt: dt.datetime
    updatedAt: dt.datetime
    username: str | None
    displayUsername: str | None
    twoFactorEnabled: bool


class SessionInfo(BaseModel):
    """better-auth's session object. ``token`` is an opaque handle of the session (its id),
    never the bearer token: it is what ``revoke-session`` takes."""

    id: uuid.UUID
    token: str
    userId: uuid.UUID
    expiresAt: dt.datetime
    createdAt: dt.datetime
    updatedAt: dt.datetime
    ipAddress: str | None
    userAgent: str | None
    current: bool


class SessionView(BaseModel):
    """``get-session``: the current session and its user."""

    session: SessionInfo
    user: UserView


class SignInResult(BaseModel):
    """A completed sign-in (better-auth's ``{redirect, token, url, user}``); ``token`` is the
    bearer for non-browser clients (the cookie and ``set-auth-token`` carry the same)."""

    redirect: bool
    token: str
    url: str | None
    user: UserView


class TwoFactorPending(BaseModel):
    """A first factor accepted for a 2FA user: the client goes on to a second factor. The
    half-session token travels in the cookie and ``set-auth-token`` only."""

    twoFactorRedirect: bool
    twoFactorMethods: list[str]


class SessionResult(BaseModel):
    """A session opened or rotated by a second factor or an emailed code: ``{token, user}``."""

    token: str
    user: UserView


class SignedUp(BaseModel):
    """``sign-up/email``: no session until the address is verified, so ``token`` is null."""

    token: None
    user: UserView


class Verified(BaseModel):
    """``verify-email`` (JSON form): better-auth's ``{status: true, user: null}`` when no
    session is opened."""

    status: bool
    user: UserView | None


class OtpVerified(BaseModel):
    """``email-otp/verify-email``: the address is verified; no session is opened."""

    status: bool
    token: None
    user: UserView


class Done(BaseModel):
    """A plain acknowledgement (better-auth's ``{status: true}``)."""

    status: bool


class Succeeded(BaseModel):
    """better-auth's other acknowledgement, ``{success: true}`` (sign-out, email-otp send)."""

    success: bool


class DeletionStep(BaseModel):
    """``delete-user`` and its callback: ``{success, message}``."""

    success: bool
    message: str


class PasswordChanged(BaseModel):
    """``change-password``: this session stays, so no new token (``token`` null)."""

    token: None
    user: UserView


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


class LinkedAccount(BaseModel):
    """``list-accounts``: one sign-in method of the caller (no token, no password). better-auth
    1.2 names the provider ``provider``, later versions ``providerId``: both are given."""

    id: uuid.UUID
    provider: str
    providerId: str
    accountId: str
    userId: uuid.UUID
    scopes: list[str]
    createdAt: dt.datetime
    updatedAt: dt.datetime


class SocialRedirect(BaseModel):
    """Where the browser goes next (better-auth's ``{url, redirect: true}``)."""

    url: str
    redirect: bool
