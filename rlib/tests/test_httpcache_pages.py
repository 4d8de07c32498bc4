"""HTTP caching (ETag, 304, Cache-Control per endpoint) and page endpoints in the SPA shell."""

from __future__ import annotations

import json
import os
import re
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from fixture_apps.pages import views
from fixture_apps.shop.models import Base
from rlib import Catalogue, Registry, RlibConfig, create_app
from rlib.auth.users import SessionUser
from rlib.db.engine import Database
from rlib.httpcache import HttpCache, etag_of, matches
from rlib.pageshell import script_safe, wants_html
from rlib.testing import FakeAuthenticator, app_client

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
SHELL = (
    '<!doctype html><html><head><title>SPA</title></head><body><div id="app"></div></body></html>'
)


@pytest.fixture
def auth() -> FakeAuthenticator:
    return FakeAuthenticator()


async def _client(
    database: Database, auth: FakeAuthenticator, **config: object
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(
        config=RlibConfig(**config),  # type: ignore[arg-type]
        registry=Registry().discover("fixture_apps.pages"),
        catalogue=Catalogue({}),
        metadata=Base.metadata,
        authenticator=auth,
    )
    app.use_database(database)
    async with app_client(app) as http:
        yield http


@pytest.fixture
async def pages(database: Database, auth: FakeAuthenticator) -> AsyncIterator[httpx.AsyncClient]:
    async for http in _client(database, auth):
        yield http


@pytest.fixture
def index_html(tmp_path: Path) -> Path:
    path = tmp_path / "index.html"
    path.write_text(SHELL)
    return path


@pytest.fixture
async def browser_pages(
    database: Database, auth: FakeAuthenticator, index_html: Path
) -> AsyncIterator[httpx.AsyncClient]:
    async for http in _client(database, auth, index_html=str(index_html)):
        yield http


def _embedded(html: str) -> dict[str, object]:
    found = re.search(r'<script id="page-data" type="application/json">(.*?)</script>', html)
    assert found is not None, html
    return dict(json.loads(found.group(1)))


async def test_a_cached_get_carries_an_etag_and_the_declared_cache_control(pages):
    response = await pages.get("/title/laut")
    assert response.status_code == 200
    assert response.headers["etag"] == etag_of(response.content)
    assert response.headers["cache-control"] == "public, max-age=5, s-maxage=60"
    assert response.headers["vary"] == "Accept, Accept-Language"


async def test_if_none_match_with_the_current_etag_answers_304_without_a_body(pages):
    first = await pages.get("/title/laut")
    etag = first.headers["etag"]
    for header in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        again = await pages.get("/title/laut", headers={"If-None-Match": header})
        assert again.status_code == 304, header
        assert again.content == b""
        assert again.headers["etag"] == etag
        assert again.headers["cache-control"] == "public, max-age=5, s-maxage=60"
        assert again.headers["x-content-type-options"] == "nosniff"


async def test_a_changed_answer_gets_a_new_etag_and_a_full_body(pages, monkeypatch):
    etag = (await pages.get("/title/laut")).headers["etag"]
    monkeypatch.setitem(views.TITLES, "laut", "Laut Bercerita (edisi baru)")
    changed = await pages.get("/title/laut", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.json()["data"]["title"] == "Laut Bercerita (edisi baru)"
    assert changed.headers["etag"] != etag


async def test_the_answer_in_another_language_has_another_etag(pages):
    indonesian = await pages.get("/title/laut")
    english = await pages.get("/title/laut", headers={"Accept-Language": "en"})
    assert indonesian.headers["etag"] != english.headers["etag"]


async def test_errors_posts_and_undeclared_endpoints_are_not_cached(pages):
    missing = await pages.get("/title/tidak-ada")
    assert missing.status_code == 404
    assert "etag" not in missing.headers
    posted = await pages.post("/title/laut", json={})
    assert posted.status_code == 200
    assert "etag" not in posted.headers
    assert "cache-control" not in posted.headers
    plain = await pages.get("/plain")
    assert "etag" not in plain.headers
    assert "cache-control" not in plain.headers


async def test_a_cache_control_chosen_upstream_wins_over_the_policy(pages, auth):
    auth.user = SessionUser(id=uuid.uuid4(), profiles={"customer": uuid.uuid4()})
    mine = await pages.get("/mine")
    assert mine.status_code == 200
    assert mine.headers["cache-control"] == "no-store"
    assert "etag" not in mine.headers


async def test_a_signed_in_callers_answer_is_private(pages, auth):
    auth.user = SessionUser(id=uuid.uuid4(), profiles={"customer": uuid.uuid4()})
    response = await pages.get("/title/laut")
    assert response.json()["data"]["signed_in"] is True
    assert response.headers["cache-control"] == "private, no-cache"
    again = await pages.get("/title/laut", headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304


async def test_a_per_caller_answer_varies_on_the_credentials(pages):
    response = await pages.get("/shelf")
    assert response.headers["cache-control"] == "public, max-age=0, s-maxage=30"
    assert response.headers["vary"] == "Accept, Accept-Language, Cookie, Authorization"


async def test_shared_max_age_is_overridden_per_endpoint_by_config(database, auth):
    async for http in _client(database, auth, shared_max_age={"pages.title": 600}):
        response = await http.get("/title/laut")
        assert response.headers["cache-control"] == "public, max-age=5, s-maxage=600"
        assert (await http.get("/shelf")).headers["cache-control"].endswith("s-maxage=30")


async def test_a_browser_gets_the_shell_with_the_same_data_embedded(browser_pages):
    json_body = (await browser_pages.get("/title/laut")).json()
    response = await browser_pages.get("/title/laut", headers={"Accept": BROWSER})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "default-src 'self'" in response.headers["content-security-policy"]
    html = response.text
    assert html.startswith("<!doctype html><html><head><title>SPA</title><script id=")
    assert html.endswith('</head><body><div id="app"></div></body></html>')
    assert _embedded(html) == json_body
    assert response.headers["vary"] == "Accept, Accept-Language"
    again = await browser_pages.get(
        "/title/laut", headers={"Accept": BROWSER, "If-None-Match": response.headers["etag"]}
    )
    assert again.status_code == 304


async def test_json_clients_posts_and_non_pages_still_get_json(browser_pages):
    for headers in ({}, {"Accept": "application/json"}, {"Accept": "*/*"}):
        response = await browser_pages.get("/title/laut", headers=headers)
        assert response.headers["content-type"].startswith("application/json"), headers
    posted = await browser_pages.post("/title/laut", json={}, headers={"Accept": BROWSER})
    assert posted.headers["content-type"].startswith("application/json")
    plain = await browser_pages.get("/plain", headers={"Accept": BROWSER})
    assert plain.headers["content-type"].startswith("application/json")


async def test_a_browser_gets_an_error_in_the_shell_with_its_status(browser_pages):
    response = await browser_pages.get("/title/tidak-ada", headers={"Accept": BROWSER})
    assert response.status_code == 404
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    embedded = _embedded(response.text)
    assert embedded["success"] is False
    assert embedded["status"] == 404


async def test_data_cannot_close_the_script_element(browser_pages, monkeypatch):
    hostile = "</script><script>alert(1)</script><!-- & \u2028"
    monkeypatch.setitem(views.TITLES, "laut", hostile)
    response = await browser_pages.get("/title/laut", headers={"Accept": BROWSER})
    html = response.text
    assert html.count("</script>") == 1
    assert "<!--" not in html
    assert _embedded(html)["data"]["title"] == hostile  # type: ignore[index]


async def test_the_shell_is_read_again_when_the_build_changes(browser_pages, index_html):
    await browser_pages.get("/title/laut", headers={"Accept": BROWSER})
    index_html.write_text("<html><body>v2</body></html>")
    os.utime(index_html, (1, 1))
    response = await browser_pages.get("/title/laut", headers={"Accept": BROWSER})
    assert response.text.startswith('<html><body>v2<script id="page-data"')


def test_accept_negotiation_prefers_json_unless_html_is_named_higher():
    assert wants_html(BROWSER)
    assert wants_html("text/html")
    assert not wants_html(None)
    assert not wants_html("")
    assert not wants_html("*/*")
    assert not wants_html("application/json")
    assert not wants_html("application/json, text/html;q=0.5")
    assert not wants_html("text/html;q=0")
    assert not wants_html("text/html;q=bad")


def test_script_safe_escapes_what_could_end_the_element():
    assert script_safe(b'{"a":"</script>&\xe2\x80\xa8"}') == (
        b'{"a":"\\u003c/script\\u003e\\u0026\\u2028"}'
    )


def test_if_none_match_parsing():
    assert matches('"a"', '"a"')
    assert matches('W/"a"', '"a"')
    assert matches('"b" , "a"', '"a"')
    assert matches("*", '"a"')
    assert not matches(None, '"a"')
    assert not matches('"b"', '"a"')


def test_a_negative_age_is_refused_at_declaration():
    with pytest.raises(ValueError, match="never negative"):
        HttpCache(max_age=-1)
    with pytest.raises(ValueError, match="never negative"):
        HttpCache(shared_max_age=-5)


async def test_a_database_refusal_keeps_the_routes_no_store(pages, auth):
    # Battery C9 (T1.4): a 409 mapped from a unique violation lost the authenticator's
    # no-store, so an authenticated error answer could be cached.
    auth.user = SessionUser(id=uuid.uuid4(), profiles={"customer": uuid.uuid4()})
    clash = await pages.post("/mine/clash", json={})
    assert clash.status_code == 409
    assert clash.headers["cache-control"] == "no-store"
