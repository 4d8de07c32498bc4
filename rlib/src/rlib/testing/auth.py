"""A test authenticator: the test decides who is signed in. Never mounted outside tests."""

from __future__ import annotations

from rlib.auth.users import SessionUser
from rlib.context import Ctx
from rlib.registry import Route


class FakeAuthenticator:
    """Signs every request in as ``user`` (None: nobody, so protected routes answer 401)."""

    def __init__(self, user: SessionUser | None = None) -> None:
        self.user = user

    async def __call__(self, ctx: Ctx, route: Route) -> None:
        ctx.user = self.user
