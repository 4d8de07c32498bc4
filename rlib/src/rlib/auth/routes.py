"""The built-in ``/api/auth/*`` routes and their installation.

They speak better-auth's wire (paths, bodies, ``{code, message}`` errors; see
:mod:`rlib.auth.wire`), so better-auth's own clients work unchanged; the cross-host hand-off,
which is ours, answers in the envelope.

The app calls :func:`install_auth` with its registry and passes a
:class:`~rlib.auth.authenticator.SessionAuthenticator` to ``create_app``; handlers reach the
kit through the request.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rlib.auth import (
    account,
    deletion,
    email_otp,
    handoff,
    recovery,
    revocation,
    second_factor,
    signin,
    social,
    two_factor,
)
from rlib.auth.errors import (
    AccountUndeletableError,
    BackupCodeInvalidError,
    BadCredentialsError,
    BadUsernameCredentialsError,
    CodeInvalidError,
    HandoffStateError,
    HandoffUnavailableError,
    LastSignInMethodError,
    NoSessionError,
    OAuthStateInvalidError,
    OtpInvalidError,
    PasswordWrongError,
    ProviderNotConfiguredError,
    ProviderUnavailableError,
    ReauthRequiredError,
    TokenInvalidError,
    TwoFactorOffError,
    TwoFactorOnError,
)
from rlib.auth.wire import BETTER_AUTH
from rlib.endpoint import ANY_USER, PUBLIC, Endpoint, Handler, define_api
from rlib.envelope import PlainWire
from rlib.errors import RateLimitedError, RlibError
from rlib.registry import Domain, Registry

AUTH_PREFIX = "/api/auth"


@dataclass(frozen=True, slots=True)
class BuiltIn:
    """One built-in route before installation."""

    name: str
    url: str
    handler: Handler
    auth: str
    methods: tuple[str, ...] = ("POST",)
    wire: PlainWire | None = BETTER_AUTH


BUILT_INS: tuple[BuiltIn, ...] = (
    BuiltIn("sign_up_email", "/sign-up/email", signin.sign_up_email, PUBLIC),
    BuiltIn("sign_in_email", "/sign-in/email", signin.sign_in_email, PUBLIC),
    BuiltIn("sign_in_username", "/sign-in/username", signin.sign_in_username, PUBLIC),
    BuiltIn("sign_out", "/sign-out", signin.sign_out, PUBLIC),
    BuiltIn("get_session", "/get-session", signin.get_session, PUBLIC, ("GET", "POST")),
    BuiltIn(
        "send_verification_email",
        "/send-verification-email",
        recovery.send_verification_email,
        PUBLIC,
    ),
    BuiltIn("verify_email", "/verify-email", recovery.verify_email, PUBLIC, ("GET",)),
    BuiltIn("forget_password", "/forget-password", recovery.forget_password, PUBLIC),
    # better-auth 1.3+ renamed forget-password; its clients call this one.
    BuiltIn("request_password_reset", "/request-password-reset", recovery.forget_password, PUBLIC),
    BuiltIn(
        "reset_password_link",
        "/reset-password/{token}",
        recovery.reset_password_link,
        PUBLIC,
        ("GET",),
    ),
    BuiltIn("reset_password", "/reset-password", recovery.reset_password, PUBLIC),
    BuiltIn("change_password", "/change-password", account.change_password, ANY_USER),
    BuiltIn("change_email", "/change-email", account.change_email, ANY_USER),
    BuiltIn("delete_user", "/delete-user", deletion.delete_user, ANY_USER),
    BuiltIn(
        "delete_user_callback",
        "/delete-user/callback",
        deletion.delete_user_callback,
        PUBLIC,
        ("GET",),
    ),
    BuiltIn(
        "email_otp_send",
        "/email-otp/send-verification-otp",
        email_otp.send_verification_otp,
        PUBLIC,
    ),
    BuiltIn("email_otp_verify", "/email-otp/verify-email", email_otp.verify_email_otp, PUBLIC),
    BuiltIn("sign_in_email_otp", "/sign-in/email-otp", email_otp.sign_in_email_otp, PUBLIC),
    BuiltIn("two_factor_enable", "/two-factor/enable", two_factor.enable, ANY_USER),
    BuiltIn(
        "two_factor_get_totp_uri", "/two-factor/get-totp-uri", two_factor.get_totp_uri, ANY_USER
    ),
    BuiltIn(
        "two_factor_verify_totp", "/two-factor/verify-totp", second_factor.verify_totp, ANY_USER
    ),
    BuiltIn("two_factor_disable", "/two-factor/disable", two_factor.disable, ANY_USER),
    BuiltIn("two_factor_send_otp", "/two-factor/send-otp", second_factor.send_otp, ANY_USER),
    BuiltIn("two_factor_verify_otp", "/two-factor/verify-otp", second_factor.verify_otp, ANY_USER),
    BuiltIn(
        "two_factor_verify_backup_code",
        "/two-factor/verify-backup-code",
        second_factor.verify_backup_code,
        ANY_USER,
    ),
    BuiltIn(
        "two_factor_generate_backup_codes",
        "/two-factor/generate-backup-codes",
        two_factor.generate_backup_codes,
        ANY_USER,
    ),
    BuiltIn("list_sessions", "/list-sessions", revocation.list_sessions, ANY_USER, ("GET",)),
    BuiltIn("revoke_session", "/revoke-session", revocation.revoke_session, ANY_USER),
    BuiltIn("revoke_sessions", "/revoke-sessions", revocation.revoke_sessions, ANY_USER),
    BuiltIn(
        "revoke_other_sessions",
        "/revoke-other-sessions",
        revocation.revoke_other_sessions,
        ANY_USER,
    ),
    BuiltIn("sign_in_social", "/sign-in/social", social.sign_in_social, PUBLIC),
    BuiltIn("link_social", "/link-social", social.link_social, ANY_USER),
    BuiltIn("unlink_account", "/unlink-account", social.unlink_account, ANY_USER),
    BuiltIn("list_accounts", "/list-accounts", social.list_accounts, ANY_USER, ("GET",)),
    # Cross-host sign-in: browser navigations, so GET; each step checks its own credentials.
    # Not better-auth's: our envelope.
    BuiltIn("handoff_begin", "/handoff/begin", handoff.handoff_begin, PUBLIC, ("GET",), None),
    BuiltIn("handoff_start", "/handoff", handoff.handoff_start, PUBLIC, ("GET",), None),
    BuiltIn("handoff_redeem", "/handoff/redeem", handoff.handoff_redeem, PUBLIC, ("GET",), None),
)


# The routes that take a throttle slot (attempts.py, throttle.take): gen documents their 429.
THROTTLED = frozenset(
    {
        "sign_up_email",
        "sign_in_email",
        "sign_in_username",
        "send_verification_email",
        "forget_password",
        "request_password_reset",
        "reset_password",
        "change_password",
        "change_email",
        "delete_user",
        "email_otp_send",
        "email_otp_verify",
        "sign_in_email_otp",
        "two_factor_enable",
        "two_factor_get_totp_uri",
        "two_factor_disable",
        "two_factor_generate_backup_codes",
        "two_factor_verify_totp",
        "two_factor_send_otp",
        "two_factor_verify_otp",
        "two_factor_verify_backup_code",
        "sign_in_social",
        "link_social",
    }
)


_SOCIAL = (ProviderNotConfiguredError, ProviderUnavailableError)
_TWO_FACTOR = (ReauthRequiredError, PasswordWrongError, TwoFactorOffError, TwoFactorOnError)
_SECOND = (CodeInvalidError, BackupCodeInvalidError, TwoFactorOffError)
_HANDOFF = (HandoffStateError, HandoffUnavailableError, TokenInvalidError)
# What each built-in raises beyond the framework's own answers: gen documents them, so a client
# (and the contract fuzzing) knows every code a route can answer. Callbacks share ``callback_``.
ERRORS: dict[str, tuple[type[RlibError], ...]] = {
    "sign_in_email": (BadCredentialsError,),
    "sign_in_username": (BadUsernameCredentialsError,),
    "sign_out": (NoSessionError,),
    "verify_email": (TokenInvalidError,),
    "reset_password_link": (TokenInvalidError,),
    "reset_password": (TokenInvalidError,),
    "change_password": (ReauthRequiredError, PasswordWrongError),
    "change_email": (ReauthRequiredError,),
    "delete_user": (ReauthRequiredError, PasswordWrongError, AccountUndeletableError),
    "delete_user_callback": (TokenInvalidError, AccountUndeletableError),
    "email_otp_verify": (OtpInvalidError,),
    "sign_in_email_otp": (OtpInvalidError,),
    "two_factor_enable": _TWO_FACTOR,
    "two_factor_get_totp_uri": _TWO_FACTOR,
    "two_factor_disable": (*_TWO_FACTOR, CodeInvalidError),
    "two_factor_generate_backup_codes": _TWO_FACTOR,
    "two_factor_verify_totp": _SECOND,
    "two_factor_send_otp": _SECOND,
    "two_factor_verify_otp": _SECOND,
    "two_factor_verify_backup_code": _SECOND,
    "sign_in_social": _SOCIAL,
    "link_social": (ReauthRequiredError, *_SOCIAL),
    "unlink_account": (ReauthRequiredError, LastSignInMethodError),
    "callback_": (*_SOCIAL, OAuthStateInvalidError),
    "handoff_begin": _HANDOFF,
    "handoff_start": _HANDOFF,
    "handoff_redeem": _HANDOFF,
}


def _errors(name: str) -> tuple[type[RlibError], ...]:
    own = ERRORS.get("callback_" if name.startswith("callback_") else name, ())
    return (*own, *((RateLimitedError,) if name in THROTTLED else ()))


def social_callbacks(providers: Sequence[str]) -> tuple[BuiltIn, ...]:
    """``GET /callback/<id>`` (named ``callback_<id>``) for each identity provider the app
    may configure; an unconfigured one answers 404 ``provider_not_configured``."""
    return tuple(
        BuiltIn(f"callback_{p}", f"/callback/{p}", social.callback_endpoint(p), PUBLIC, ("GET",))
        for p in providers
    )


def auth_endpoints(
    aliases: Mapping[str, Sequence[str]] | None = None, social_providers: Sequence[str] = ()
) -> list[Endpoint]:
    """The built-in endpoints; ``aliases`` adds URLs (under the auth prefix) by endpoint name,
    ``social_providers`` the provider ids that get a callback route."""
    extra = aliases or {}
    return [
        define_api(
            name=b.name,
            url=b.url,
            handler=b.handler,
            auth=b.auth,
            methods=b.methods,
            aliases=tuple(extra.get(b.name, ())),
            readonly=False,  # GET verify-email claims a token: auth flows always run in a tx
            wire=b.wire,
            errors=_errors(b.name),
        )
        for b in (*BUILT_INS, *social_callbacks(social_providers))
    ]


def install_auth(
    registry: Registry,
    *,
    domain: Domain | None = None,
    aliases: Mapping[str, Sequence[str]] | None = None,
    social_providers: Sequence[str] = (),
) -> Registry:
    """Add the built-in routes to ``registry`` under ``domain`` (default: ``auth`` at
    ``/api/auth``, every endpoint declaring its own access)."""
    target = domain or Domain(name="auth", prefix=AUTH_PREFIX, auth=frozenset({ANY_USER}))
    registry.add(target, auth_endpoints(aliases, social_providers))
    return registry
