"""rlib.auth.oidc against the stub provider: PKCE S256, the code exchange, ID-token checks,
discovery and key-rotation behaviour (no database involved)."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from joserfc.jwk import RSAKey

from rlib.auth.oidc import OidcFailure, OidcProvider, s256_challenge
from rlib.config import OidcProviderConfig
from rlib.testing.oidc import StubIdentityProvider

CLIENT_ID = "rlib-test-client"
SECRET = "rlib-test-secret"
REDIRECT = "https://auth.example.test/api/auth/callback/stub"


@pytest.fixture
async def idp() -> AsyncIterator[StubIdentityProvider]:
    stub = await StubIdentityProvider(client_id=CLIENT_ID, client_secret=SECRET).start()
    try:
        yield stub
    finally:
        await stub.stop()


def _provider(idp: StubIdentityProvider, **overrides: object) -> OidcProvider:
    values: dict[str, object] = {
        "client_id": CLIENT_ID,
        "client_secret": SECRET,
        "discovery_url": idp.discovery_url,
        **overrides,
    }
    return OidcProvider("stub", OidcProviderConfig(**values))  # type: ignore[arg-type]


async def _code(provider: OidcProvider, verifier: str, nonce: str = "n" * 43) -> str:
    url = await provider.authorization_url(
        state="s" * 43, nonce=nonce, verifier=verifier, redirect_uri=REDIRECT
    )
    async with httpx.AsyncClient() as browser:
        response = await browser.get(url)
    return parse_qs(urlsplit(response.headers["location"]).query)["code"][0]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def test_s256_challenge_matches_rfc_7636_appendix_b():
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    assert s256_challenge(verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


async def test_a_round_trip_yields_the_identity(idp):
    provider = _provider(idp)
    verifier = "v" * 64
    code = await _code(provider, verifier)
    id_token = await provider.exchange(code=code, verifier=verifier, redirect_uri=REDIRECT)
    identity = await provider.verify(id_token, nonce="n" * 43, now=_now())
    assert (identity.subject, identity.email, identity.email_verified) == (
        idp.user.sub,
        idp.user.email,
        True,
    )
    # Client secret sent with HTTP Basic (the stub advertises it first), never in the form.
    assert "client_secret" not in idp.log.token[0]


async def test_the_exchange_fails_on_a_wrong_secret(idp):
    provider = _provider(idp, client_secret="salah")
    code = await _code(provider, "v" * 64)
    with pytest.raises(OidcFailure) as caught:
        await provider.exchange(code=code, verifier="v" * 64, redirect_uri=REDIRECT)
    assert caught.value.code == "oauth_token_failed"
    assert idp.log.token_errors == ["invalid_client"]


async def test_a_code_is_exchanged_once(idp):
    provider = _provider(idp)
    code = await _code(provider, "v" * 64)
    await provider.exchange(code=code, verifier="v" * 64, redirect_uri=REDIRECT)
    with pytest.raises(OidcFailure):
        await provider.exchange(code=code, verifier="v" * 64, redirect_uri=REDIRECT)


async def test_an_id_token_past_its_expiry_is_refused_by_the_clock(idp):
    provider = _provider(idp)
    code = await _code(provider, "v" * 64)
    id_token = await provider.exchange(code=code, verifier="v" * 64, redirect_uri=REDIRECT)
    later = _now() + dt.timedelta(hours=1, seconds=61)  # exp + the 60 s allowed skew + 1
    with pytest.raises(OidcFailure) as caught:
        await provider.verify(id_token, nonce="n" * 43, now=later)
    assert caught.value.code == "oauth_id_token_invalid"


async def test_rotated_keys_are_fetched_again(idp):
    provider = _provider(idp)
    await provider.metadata()
    code = await _code(provider, "v" * 64)
    first = await provider.exchange(code=code, verifier="v" * 64, redirect_uri=REDIRECT)
    await provider.verify(first, nonce="n" * 43, now=_now())  # caches the JWKS
    idp.key = RSAKey.generate_key(2048, parameters={"kid": "stub-2", "alg": "RS256"})
    code = await _code(provider, "v" * 64)
    second = await provider.exchange(code=code, verifier="v" * 64, redirect_uri=REDIRECT)
    identity = await provider.verify(second, nonce="n" * 43, now=_now())
    assert identity.subject == idp.user.sub


async def test_a_discovery_document_of_another_issuer_is_refused(idp):
    # Configured for one issuer, the document names another: nothing from it is trusted.
    provider = _provider(idp, discovery_url=idp.issuer + "/tenant/.well-known/openid-configuration")
    with pytest.raises(OidcFailure) as caught:
        await provider.metadata()
    assert caught.value.code == "oauth_provider_unavailable"
