"""A stub OpenID Connect provider for tests: a real HTTP server (uvicorn) on 127.0.0.1 and a
free port, running in the test's own loop.

It serves discovery, an authorize endpoint that signs in :attr:`StubIdentityProvider.user` at
once and redirects back with a code, a token endpoint that checks the client secret, the
redirect URI and the PKCE verifier (S256) before it answers an ID token, and the JWKS of an
RSA key generated at start. Tests steer the next answers: :attr:`claims` overrides ID-token
claims (wrong ``aud``, ``nonce``...), :attr:`foreign_key` signs with a key not in the JWKS,
:attr:`deny` answers ``error=access_denied``.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import secrets
import socket
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode

import uvicorn
from joserfc import jwt
from joserfc.jwk import RSAKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

_HOST = "127.0.0.1"


@dataclass(slots=True)
class StubUser:
    """Who signs in at the stub's authorize endpoint."""

    sub: str
    email: str | None
    email_verified: bool = True
    name: str = "Pengguna Google"
    picture: str | None = None


@dataclass(slots=True)
class _Grant:
    client_id: str
    redirect_uri: str
    challenge: str
    nonce: str
    user: StubUser
    used: bool = False


@dataclass(slots=True)
class _Log:
    authorize: list[dict[str, str]] = field(default_factory=list)
    token: list[dict[str, str]] = field(default_factory=list)
    token_errors: list[str] = field(default_factory=list)


def _challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _new_key(kid: str) -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": kid, "use": "sig", "alg": "RS256"})


class StubIdentityProvider:
    """See the module docstring; ``await StubIdentityProvider(...).start()``."""

    def __init__(self, *, client_id: str, client_secret: str) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.key = _new_key("stub-1")
        self.user = StubUser(sub="1000001", email="pengguna@gmail.test")
        self.claims: dict[str, Any] = {}
        self.foreign_key: RSAKey | None = None
        self.deny = False
        self.log = _Log()
        self.port = 0
        self._grants: dict[str, _Grant] = {}
        self._server: uvicorn.Server | None = None
        self._task: asyncio.Task[None] | None = None

    @property
    def issuer(self) -> str:
        """``http://127.0.0.1:<port>``."""
        return f"http://{_HOST}:{self.port}"

    @property
    def discovery_url(self) -> str:
        """Where the relying party finds the other endpoints."""
        return self.issuer + "/.well-known/openid-configuration"

    @staticmethod
    def other_key() -> RSAKey:
        """A fresh key with the stub's key id: signatures by it do not verify."""
        return _new_key("stub-1")

    async def start(self) -> StubIdentityProvider:
        """Listen on a free port of 127.0.0.1 until :meth:`stop`."""
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind((_HOST, 0))
        self.port = int(sock.getsockname()[1])
        config = uvicorn.Config(
            self._app(), log_config=None, access_log=False, lifespan="off", ws="none"
        )
        self._server = uvicorn.Server(config)
        self._task = asyncio.create_task(self._server.serve(sockets=[sock]))
        while not self._server.started:
            if self._task.done():
                self._task.result()  # raises why it could not start
            await asyncio.sleep(0.01)
        return self

    async def stop(self) -> None:
        """Stop serving."""
        if self._server is not None and self._task is not None:
            self._server.should_exit = True
            await self._task
            self._server = self._task = None

    def id_token(self, grant: _Grant) -> str:
        """An ID token for ``grant``, with :attr:`claims` applied and the chosen key."""
        now = int(time.time())
        user = grant.user
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": grant.client_id,
            "azp": grant.client_id,
            "sub": user.sub,
            "iat": now,
            "exp": now + 3600,
            "nonce": grant.nonce,
            "email": user.email,
            "email_verified": user.email_verified,
            "name": user.name,
            "picture": user.picture,
        }
        claims.update(self.claims)
        claims = {k: v for k, v in claims.items() if v is not None}
        key = self.foreign_key or self.key
        return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)

    def _app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/.well-known/openid-configuration", self._discovery),
                Route("/authorize", self._authorize),
                Route("/token", self._token, methods=["POST"]),
                Route("/jwks", self._jwks),
            ]
        )

    async def _discovery(self, request: Request) -> Response:
        return JSONResponse(
            {
                "issuer": self.issuer,
                "authorization_endpoint": self.issuer + "/authorize",
                "token_endpoint": self.issuer + "/token",
                "jwks_uri": self.issuer + "/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": [
                    "client_secret_basic",
                    "client_secret_post",
                ],
            }
        )

    async def _jwks(self, request: Request) -> Response:
        return JSONResponse({"keys": [self.key.as_dict(private=False)]})

    async def _authorize(self, request: Request) -> Response:
        query = dict(request.query_params)
        self.log.authorize.append(query)
        redirect_uri = query.get("redirect_uri", "")
        wrong = (
            query.get("client_id") != self.client_id
            or query.get("response_type") != "code"
            or query.get("code_challenge_method") != "S256"
            or not query.get("code_challenge")
            or not query.get("nonce")
            or not redirect_uri
        )
        if wrong:
            return JSONResponse({"error": "invalid_request"}, status_code=400)
        back = {"state": query.get("state", "")}
        if self.deny:
            back["error"] = "access_denied"
        else:
            code = secrets.token_urlsafe(24)
            self._grants[code] = _Grant(
                client_id=self.client_id,
                redirect_uri=redirect_uri,
                challenge=query["code_challenge"],
                nonce=query["nonce"],
                user=self.user,
            )
            back["code"] = code
        return RedirectResponse(redirect_uri + "?" + urlencode(back), status_code=302)

    async def _token(self, request: Request) -> Response:
        form = dict(parse_qsl((await request.body()).decode()))
        self.log.token.append(form)
        problem = self._token_problem(request, form)
        if problem is not None:
            self.log.token_errors.append(problem)
            status = 401 if problem == "invalid_client" else 400
            return JSONResponse({"error": problem}, status_code=status)
        grant = self._grants[form["code"]]
        grant.used = True
        return JSONResponse(
            {
                "access_token": secrets.token_urlsafe(24),
                "token_type": "Bearer",
                "expires_in": 3600,
                "scope": "openid email profile",
                "id_token": self.id_token(grant),
            }
        )

    def _token_problem(self, request: Request, form: dict[str, str]) -> str | None:
        if self._client(request, form) != (self.client_id, self.client_secret):
            return "invalid_client"
        grant = self._grants.get(form.get("code", ""))
        if form.get("grant_type") != "authorization_code" or grant is None or grant.used:
            return "invalid_grant"
        if form.get("redirect_uri") != grant.redirect_uri:
            return "invalid_grant"
        if _challenge(form.get("code_verifier", "")) != grant.challenge:
            return "invalid_grant"  # PKCE: the verifier does not match the challenge
        return None

    @staticmethod
    def _client(request: Request, form: dict[str, str]) -> tuple[str, str]:
        header = request.headers.get("authorization", "")
        if header.lower().startswith("basic "):
            decoded = base64.b64decode(header[6:]).decode()
            name, _, secret = decoded.partition(":")
            return unquote(name), unquote(secret)
        return form.get("client_id", ""), form.get("client_secret", "")
