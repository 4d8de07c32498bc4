"""OpenID Connect relying party: discovery, the authorization URL (PKCE S256 + nonce), the code
exchange and ID-token validation (signature by the provider's JWKS, ``iss``, ``aud``, ``exp``,
``nonce``).

Discovery and JWKS documents are cached for ``metadata_ttl_s``; a token signed with a key id the
cache does not know makes one JWKS refetch (the provider rotated its keys). Every network call
uses httpx with the provider's timeout; anything the provider answers that we cannot trust
becomes an :class:`OidcFailure` whose ``code`` is ours, never the provider's text.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

import httpx
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet

from rlib.config import OidcProviderConfig

DISCOVERY_SUFFIX = "/.well-known/openid-configuration"
# OpenID Connect's default; a provider announcing only others is refused at validation.
SIGNING_ALGORITHMS = ("RS256",)
CLOCK_SKEW_S = 60
_REQUIRED_METADATA = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")


class OidcFailure(Exception):
    """The provider refused or answered something untrustworthy.

    ``code`` (``oauth_token_failed``, ``oauth_id_token_invalid``...) is what the caller may
    show; ``detail`` is for the log only.
    """

    def __init__(self, code: str, detail: str = "") -> None:
        self.code = code
        self.detail = detail
        super().__init__(f"{code}: {detail}" if detail else code)


@dataclass(frozen=True, slots=True)
class Identity:
    """What a validated ID token says about its subject."""

    subject: str
    email: str | None
    email_verified: bool
    name: str | None
    picture: str | None


def s256_challenge(verifier: str) -> str:
    """The PKCE ``code_challenge`` of ``verifier`` (RFC 7636 S256: base64url(SHA-256), no pad)."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


@dataclass(slots=True)
class _Cached:
    value: dict[str, Any]
    fetched_at: float


class OidcProvider:
    """One configured provider; shared by every request of the app (documents are cached)."""

    def __init__(self, provider_id: str, config: OidcProviderConfig) -> None:
        self.id = provider_id
        self.config = config
        self._metadata: _Cached | None = None
        self._jwks: _Cached | None = None

    @property
    def issuer(self) -> str:
        """The issuer the discovery URL belongs to (the URL without the well-known suffix)."""
        url = self.config.discovery_url
        return url[: -len(DISCOVERY_SUFFIX)] if url.endswith(DISCOVERY_SUFFIX) else url

    async def authorization_url(
        self, *, state: str, nonce: str, verifier: str, redirect_uri: str
    ) -> str:
        """Where to send the browser: the provider's authorize endpoint with our parameters."""
        endpoint = str((await self.metadata())["authorization_endpoint"])
        query = urlencode(
            {
                "response_type": "code",
                "client_id": self.config.client_id,
                "redirect_uri": redirect_uri,
                "scope": " ".join(self.config.scopes),
                "state": state,
                "nonce": nonce,
                "code_challenge": s256_challenge(verifier),
                "code_challenge_method": "S256",
            }
        )
        return endpoint + ("&" if "?" in endpoint else "?") + query

    async def exchange(self, *, code: str, verifier: str, redirect_uri: str) -> str:
        """Trade the authorization code (and the PKCE verifier) for the ID token."""
        metadata = await self.metadata()
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": verifier,
            "client_id": self.config.client_id,
        }
        auth: httpx.Auth | None = None
        methods = metadata.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
        if "client_secret_basic" in methods:
            # RFC 6749 2.3.1: both parts are form-encoded before they go into Basic.
            auth = httpx.BasicAuth(
                quote(self.config.client_id, safe=""), quote(self.config.client_secret, safe="")
            )
        else:
            form["client_secret"] = self.config.client_secret
        try:
            answer = await self._post(str(metadata["token_endpoint"]), form, auth)
        except httpx.HTTPError as exc:
            raise OidcFailure("oauth_token_failed", type(exc).__name__) from exc
        id_token = answer.get("id_token")
        if not isinstance(id_token, str) or not id_token:
            raise OidcFailure("oauth_token_failed", "no id_token in the token response")
        return id_token

    async def verify(self, id_token: str, *, nonce: str, now: dt.datetime) -> Identity:
        """Check the ID token's signature and claims; the identity it vouches for.

        Raises:
            OidcFailure: ``oauth_id_token_invalid`` for any bad signature or claim.
        """
        try:
            token = await self._decode(id_token)
            self._check_claims(token.claims, nonce=nonce, now=now)
        except (JoseError, ValueError) as exc:
            raise OidcFailure("oauth_id_token_invalid", type(exc).__name__) from exc
        claims = token.claims
        email = claims.get("email")
        return Identity(
            subject=str(claims["sub"]),
            email=email if isinstance(email, str) and email else None,
            # Google sends a boolean; some providers send the string "true".
            email_verified=claims.get("email_verified") in (True, "true"),
            name=_text(claims.get("name")),
            picture=_text(claims.get("picture")),
        )

    async def _decode(self, id_token: str) -> jwt.Token:
        try:
            keys = KeySet.import_key_set(await self._jwks_document(refresh=False))  # type: ignore[arg-type]
            return jwt.decode(id_token, keys, algorithms=SIGNING_ALGORITHMS)
        except InvalidKeyIdError:
            keys = KeySet.import_key_set(await self._jwks_document(refresh=True))  # type: ignore[arg-type]
            return jwt.decode(id_token, keys, algorithms=SIGNING_ALGORITHMS)

    def _check_claims(self, claims: dict[str, Any], *, nonce: str, now: dt.datetime) -> None:
        issuers: list[str] = [self.issuer, *self.config.issuer_aliases]
        registry = jwt.JWTClaimsRegistry(
            now=int(now.timestamp()),
            leeway=CLOCK_SKEW_S,
            iss={"essential": True, "values": issuers},
            aud={"essential": True, "value": self.config.client_id},
            sub={"essential": True},
            exp={"essential": True},
            iat={"essential": True},
            nonce={"essential": True, "value": nonce},
        )
        registry.validate(claims)
        audience = claims["aud"]
        # Several audiences: OpenID Connect requires azp to name us (Core 3.1.3.7).
        several = isinstance(audience, list) and len(audience) > 1
        if several and claims.get("azp") != self.config.client_id:
            raise ValueError("azp does not name this client")

    async def metadata(self) -> dict[str, Any]:
        """The discovery document (cached); its issuer must be the configured one."""
        if self._metadata is not None and self._fresh(self._metadata):
            return self._metadata.value
        try:
            document = await self._get(self.config.discovery_url)
        except httpx.HTTPError as exc:
            raise OidcFailure("oauth_provider_unavailable", type(exc).__name__) from exc
        missing = [key for key in _REQUIRED_METADATA if not isinstance(document.get(key), str)]
        if missing or document["issuer"] != self.issuer:
            raise OidcFailure("oauth_provider_unavailable", "discovery document not usable")
        self._metadata = _Cached(document, time.monotonic())
        return document

    async def _jwks_document(self, *, refresh: bool) -> dict[str, Any]:
        if self._jwks is not None and not refresh and self._fresh(self._jwks):
            return self._jwks.value
        uri = str((await self.metadata())["jwks_uri"])
        try:
            document = await self._get(uri)
        except httpx.HTTPError as exc:
            raise OidcFailure("oauth_provider_unavailable", type(exc).__name__) from exc
        if not isinstance(document.get("keys"), list):
            raise OidcFailure("oauth_provider_unavailable", "JWKS without keys")
        self._jwks = _Cached(document, time.monotonic())
        return document

    def _fresh(self, cached: _Cached) -> bool:
        return time.monotonic() - cached.fetched_at < self.config.metadata_ttl_s

    async def _get(self, url: str) -> dict[str, Any]:
        async with httpx.AsyncClient(timeout=self.config.timeout_s) as client:
            response = await client.get(url, headers={"Accept": "application/json"})
        return _json_object(response)

    async def _post(
        self, url: str, form: dict[str, str], auth: httpx.Auth | None
    ) -> dict[str, Any]:
        async with httpx.AsyncClient(timeout=self.config.timeout_s, auth=auth) as client:
            response = await client.post(url, data=form, headers={"Accept": "application/json"})
        return _json_object(response)


def _json_object(response: httpx.Response) -> dict[str, Any]:
    response.raise_for_status()
    try:
        value = response.json()
    except ValueError as exc:
        raise httpx.DecodingError("not JSON") from exc
    if not isinstance(value, dict):
        raise httpx.DecodingError("not a JSON object")
    return value


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None
