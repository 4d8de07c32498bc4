"""``auth="gateway"``: a machine caller the handler authenticates (a payment webhook)."""

from types import SimpleNamespace

import pytest

from rlib.auth.authenticator import SessionAuthenticator
from rlib.auth.policy import check_access
from rlib.endpoint import Access


def test_gateway_is_declared_alone_and_passes_the_access_check():
    access = Access.parse("gateway")
    assert access.gateway
    assert access.public
    assert access.describe() == "gateway"
    check_access(access, None)
    with pytest.raises(ValueError, match="gateway"):
        Access.parse({"gateway", "customer"})


async def test_a_gateway_route_reads_no_session_and_skips_csrf():
    # A cross-site POST carrying a session cookie would be refused (403) on any other route;
    # here neither the cookie nor the Origin is looked at, and nobody is signed in.
    request = SimpleNamespace(
        state=SimpleNamespace(),
        method="POST",
        headers={"cookie": "rlib_session=stolen", "origin": "https://evil.example"},
    )
    ctx = SimpleNamespace(req=request, user="someone", response_headers={})
    route = SimpleNamespace(access=Access.parse("gateway"))
    await SessionAuthenticator(kit=object())(ctx, route)  # type: ignore[arg-type]
    assert ctx.user is None
    assert ctx.response_headers["Cache-Control"] == "no-store"
