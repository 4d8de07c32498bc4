"""The root group's upload and files (security.md section 10, U1 to U3) through HTTP, on
SQLite and PostgreSQL: who may upload what, limits, content sniffing, safe serving."""

from __future__ import annotations

import io
import re
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from PIL import Image

from esensi.app import build_app
from esensi.settings import FileSettings, Settings
from rlib.auth.users import SessionUser
from rlib.db.engine import Database
from rlib.testing import FakeAuthenticator, app_client

PDF = b"%PDF-1.7\n" + b"0" * 200
EPUB = b"PK\x03\x04" + b"\x00" * 26 + b"mimetypeapplication/epub+zip" + b"\x00" * 100
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
PUBLIC_NAME = re.compile(r"^_file/upload/\d{4}-\d{2}/\d{2}/[A-Za-z0-9_-]{22}\.(png|jpg|webp|gif)$")


def png(size: tuple[int, int] = (64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(out, format="PNG")
    return out.getvalue()


def user(*types: str) -> SessionUser:
    return SessionUser(id=uuid.uuid4(), profiles={t: uuid.uuid4() for t in types})


@pytest.fixture
async def http(
    database: Database, auth: FakeAuthenticator, tmp_path: Path
) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(
        env="test",
        database_url=database.config.url,
        files=FileSettings(directory=tmp_path, uploads_per_minute=5),
    )
    app = build_app(settings, authenticator=auth)
    app.use_database(database)
    async with app_client(app) as client:
        yield client


async def upload(http: httpx.AsyncClient, kind: str, content: bytes, filename: str = "f.bin"):
    return await http.post(
        "/api/upload", data={"kind": kind}, files={"file": (filename, content, "image/png")}
    )


async def test_a_signed_in_customer_uploads_an_avatar_and_it_is_served(http, auth):
    auth.user = user("customer")
    response = await upload(http, "avatar", png(), "me.png")
    assert response.status_code == 200, response.text
    name = response.json()["data"]["name"]
    assert PUBLIC_NAME.match(name)
    served = await http.get("/" + name, params={"w": 32})
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/png"
    assert served.headers["x-content-type-options"] == "nosniff"
    assert Image.open(io.BytesIO(served.content)).size == (32, 24)


async def test_an_anonymous_upload_is_401(http):
    response = await upload(http, "avatar", png())
    assert response.status_code == 401


@pytest.mark.parametrize("kind", ["image", "book_file"])
async def test_a_customer_may_upload_only_an_avatar(http, auth, kind):
    auth.user = user("customer")
    response = await upload(http, kind, png() if kind == "image" else PDF)
    assert response.status_code == 403


async def test_an_author_uploads_a_book_file_to_the_private_root(http, auth, tmp_path):
    auth.user = user("author")
    response = await upload(http, "book_file", EPUB, "novel.epub")
    assert response.status_code == 200, response.text
    name = response.json()["data"]["name"]
    assert name.startswith("_file/book/")
    assert name.endswith(".epub")
    assert (tmp_path / "book" / name.removeprefix("_file/book/")).is_file()
    relative = name.removeprefix("_file/book/")
    not_public = await http.get(f"/_file/upload/{relative}")
    assert not_public.status_code == 404


@pytest.mark.parametrize(
    ("kind", "content"),
    [
        ("avatar", SVG),
        ("avatar", PDF),
        ("image", b"<html><script>x</script>"),
        ("book_file", png()),
    ],
)
async def test_content_of_another_type_is_415_whatever_its_name(http, auth, kind, content):
    auth.user = user("author")
    response = await upload(http, kind, content, "cover.png")
    assert response.status_code == 415
    assert response.json()["code"] == "upload_type"


async def test_an_avatar_over_5_mib_is_413(http, auth, tmp_path):
    auth.user = user("author")
    response = await upload(http, "avatar", png() + b"\x00" * (5 * 1024 * 1024))
    assert response.status_code == 413
    assert list((tmp_path / ".incoming").iterdir()) == []
    assert not (tmp_path / "upload").exists()


@pytest.mark.parametrize(("fields", "loc"), [({"kind": "poster"}, "kind"), ({}, "kind")])
async def test_a_bad_kind_is_422_naming_the_field(http, auth, fields, loc):
    auth.user = user("author")
    response = await http.post(
        "/api/upload",
        data=fields,
        files={"file": ("a.png", png(), "image/png")},
        headers={"accept-language": "en"},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", loc]


async def test_a_form_without_a_file_is_422(http, auth):
    auth.user = user("author")
    body = b'--b\r\nContent-Disposition: form-data; name="kind"\r\n\r\navatar\r\n--b--\r\n'
    response = await http.post(
        "/api/upload", content=body, headers={"content-type": "multipart/form-data; boundary=b"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "file"]


async def test_a_json_body_is_415(http, auth):
    auth.user = user("author")
    response = await http.post("/api/upload", json={"kind": "avatar"})
    assert response.status_code == 415
    assert response.json()["success"] is False


async def test_uploads_are_throttled_per_user(http, auth):
    auth.user = user("customer")
    statuses = [(await upload(http, "avatar", png())).status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]


@pytest.mark.parametrize(
    "path",
    ["../../etc/passwd", "2026-12/05/..%2F..%2Fsecret.png", ".incoming/x", "x" * 300],
)
async def test_a_path_that_is_no_stored_file_is_a_4xx_in_the_envelope(http, path):
    response = await http.get(f"/_file/upload/{path}")
    assert response.status_code in (404, 422)
    assert response.json()["success"] is False


@pytest.mark.parametrize("query", [{"w": 0}, {"w": 2049}, {"h": "big"}, {"w": 10**30}])
async def test_resize_bounds_are_422(http, auth, query):
    auth.user = user("author")
    name = (await upload(http, "image", png())).json()["data"]["name"]
    response = await http.get("/" + name, params=query)
    assert response.status_code == 422
