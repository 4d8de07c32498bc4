"""The built-in ``/api/auth/*`` routes (better-auth compatible paths) and their installation.

The app calls :func:`install_auth` with its registry and passes a
:class:`~rlib.auth.authenticator.SessionAuthenticator` to ``create_app``; handlers reach the
kit through the request.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rlib.auth import account, handoff, recovery, revocation, signin
from rlib.endpoint import ANY_USER, PUBLIC, Endpoint, Handler, define_api
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


BUILT_INS: tuple[BuiltIn, ...] = (
    BuiltIn("sign_up_email", "/sign-up/email", signin.sign_up_email, PUBLIC),
    BuiltIn("sign_in_email", "/sign-in/email", signin.sign_in_email, PUBLIC),
    BuiltIn("sign_in_username", "/sign-in/username", signin.sign_in_username, PUBLIC),
    BuiltIn("sign_out", "/sign-out", signin.sign_out, ANY_USER),
    BuiltIn("get_session", "/get-session", signin.get_session, PUBLIC, ("GET", "POST")),
    BuiltIn(
        "send_verification_email",
        "/send-verification-email",
        recovery.send_verification_email,
        PUBLIC,
    ),
    BuiltIn("verify_email", "/verify-email", recovery.verify_email, PUBLIC, ("GET",)),
    BuiltIn("forget_password", "/forget-password", recovery.forget_password, PUBLIC),
    BuiltIn("reset_password", "/reset-password", recovery.reset_password, PUBLIC),
    BuiltIn("change_password", "/change-password", account.change_password, ANY_USER),
    BuiltIn("change_email", "/change-email", account.change_email, ANY_USER),
    BuiltIn("list_sessions", "/list-sessions", revocation.list_sessions, ANY_USER, ("GET",)),
    BuiltIn("revoke_session", "/revoke-session", revocation.revoke_session, ANY_USER),
    BuiltIn("revoke_sessions", "/revoke-sessions", revocation.revoke_sessions, ANY_USER),
    BuiltIn(
        "revoke_other_sessions",
        "/revoke-other-sessions",
        revocation.revoke_other_sessions,
        ANY_USER,
    ),
    # Cross-host sign-in: browser navigations, so GET; each step checks its own credentials.
    BuiltIn("handoff_begin", "/handoff/begin", handoff.handoff_begin, PUBLIC, ("GET",)),
    BuiltIn("handoff_start", "/handoff", handoff.handoff_start, PUBLIC, ("GET",)),
    BuiltIn("handoff_redeem", "/handoff/redeem", handoff.handoff_redeem, PUBLIC, ("GET",)),
)


def auth_endpoints(aliases: Mapping[str, Sequence[str]] | None = None) -> list[Endpoint]:
    """The built-in endpoints; ``aliases`` adds URLs (under the auth prefix) by endpoint name."""
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
        )
        for b in BUILT_INS
    ]


def install_auth(
    registry: Registry,
    *,
    domain: Domain | None = None,
    aliases: Mapping[str, Sequence[str]] | None = None,
) -> Registry:
    """Add the built-in routes to ``registry`` under ``domain`` (default: ``auth`` at
    ``/api/auth``, every endpoint declaring its own access)."""
    target = domain or Domain(name="auth", prefix=AUTH_PREFIX, auth=frozenset({ANY_USER}))
    registry.add(target, auth_endpoints(aliases))
    return registry
