"""Download keys through HTTP on both databases: issued only to the entitled customer of a
product with a file, stored hashed, claimed once (also under a race), expired and revoked keys
refused, the file streamed as a safe attachment."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import uuid
from collections.abc import AsyncIterator

import pytest
from commerce_helpers import EPUB, files_client, grant, make_shop, put_book_file, sign_in
from sqlalchemy import select, update

from esensi.models.entitlement import TSalesDownload
from factories import login_as

URL = "/api/library/download"


@pytest.fixture
async def http(database, auth, tmp_path) -> AsyncIterator:
    async with files_client(database, auth, tmp_path) as client:
        yield client


async def _owned(database, tmp_path, *, slug="buku-0"):
    """Mine: product 0 (with a file), product 1 (no file), product 2 refunded (with a file)."""
    async with database.sessionmaker() as db:
        shop = await make_shop(db)
        p0, p1, p2 = shop.products
        p0.product_file = p2.product_file = [put_book_file(tmp_path)]
        p0.slug = slug
        await grant(db, shop.me, p0)
        await grant(db, shop.me, p1)
        await grant(db, shop.me, p2, revoked=True)
        await db.commit()
    return shop


async def _entitlement(database, product) -> TSalesDownload:
    async with database.sessionmaker() as db:
        return (
            await db.scalars(select(TSalesDownload).where(TSalesDownload.id_product == product.id))
        ).one()


async def _key(http, product) -> str:
    response = await http.post(URL, json={"id_product": str(product.id)})
    assert response.status_code == 200, response.text
    return response.json()["data"]["url"]


async def test_a_key_downloads_the_file_once_and_records_when_and_where(
    http, database, auth, tmp_path
):
    shop = await _owned(database, tmp_path)
    sign_in(auth, shop.me)
    url = await _key(http, shop.products[0])
    stored = await _entitlement(database, shop.products[0])
    key = url.rsplit("/", 1)[1]
    assert stored.download_key == hashlib.sha256(key.encode()).hexdigest() != key
    assert stored.download_key_expires_at - dt.datetime.now(dt.UTC) <= dt.timedelta(minutes=10)
    auth.user = None  # the key is the credential
    got = await http.get(url)
    assert (got.status_code, got.content) == (200, EPUB)
    assert got.headers["content-disposition"] == 'attachment; filename="buku-0.epub"'
    assert got.headers["x-content-type-options"] == "nosniff"
    assert got.headers["content-type"] == "application/epub+zip"
    assert "no-store" in got.headers["cache-control"]
    after = await _entitlement(database, shop.products[0])
    assert (after.download_key, after.ip_address) == (None, "127.0.0.1")
    assert after.downloaded_at is not None
    again = await http.get(url)
    assert again.status_code == 404
    assert again.json()["message"] == "Tautan unduhan tidak ditemukan"
    english = await http.get(url, headers={"Accept-Language": "en"})
    assert english.json()["message"] == "Download link not found"


async def test_an_expired_key_or_a_revoked_entitlement_is_the_same_404(
    http, database, auth, tmp_path
):
    shop = await _owned(database, tmp_path)
    sign_in(auth, shop.me)
    unknown = await http.get(f"{URL}/{'A' * 43}")
    assert unknown.status_code == 404
    expired_url, revoked_url = await _key(http, shop.products[0]), None
    async with database.sessionmaker() as db:
        past = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
        await db.execute(update(TSalesDownload).values(download_key_expires_at=past))
        await db.commit()
    revoked_url = await _key(http, shop.products[0])
    async with database.sessionmaker() as db:  # refunded after the key was issued
        await db.execute(update(TSalesDownload).values(revoked_at=dt.datetime.now(dt.UTC)))
        await db.commit()
    for url in (expired_url, revoked_url):
        response = await http.get(url)
        assert (response.status_code, response.json()) == (404, unknown.json())


async def test_a_new_key_replaces_the_previous_one(http, database, auth, tmp_path):
    shop = await _owned(database, tmp_path)
    sign_in(auth, shop.me)
    first = await _key(http, shop.products[0])
    second = await _key(http, shop.products[0])
    assert (await http.get(first)).status_code == 404
    assert (await http.get(second)).status_code == 200


async def test_racing_downloads_of_one_key_get_the_file_once(http, database, auth, tmp_path):
    shop = await _owned(database, tmp_path)
    sign_in(auth, shop.me)
    url = await _key(http, shop.products[0])
    results = await asyncio.gather(*(http.get(url) for _ in range(4)))
    assert sorted(r.status_code for r in results) == [200, 404, 404, 404]


async def test_keys_only_for_an_owned_product_with_a_file(http, database, auth, tmp_path):
    shop = await _owned(database, tmp_path)
    sign_in(auth, shop.me)
    missing = await http.post(URL, json={"id_product": str(uuid.uuid4())})
    assert missing.status_code == 404
    assert missing.json()["message"] == "Produk tidak ditemukan"
    revoked = await http.post(URL, json={"id_product": str(shop.products[2].id)})
    assert (revoked.status_code, revoked.json()) == (404, missing.json())
    sign_in(auth, shop.other)
    theirs = await http.post(URL, json={"id_product": str(shop.products[0].id)})
    assert (theirs.status_code, theirs.json()) == (404, missing.json())
    sign_in(auth, shop.me)
    no_file = await http.post(URL, json={"id_product": str(shop.products[1].id)})
    assert no_file.status_code == 404
    assert no_file.json()["message"] == "Berkas buku tidak ditemukan"


@pytest.mark.parametrize(
    "stored",
    [
        "_file/book/../../upload/2026-01/05/AbCdEfGhIjKlMnOpQrStUv.epub",
        "_file/book/2026-01/05/../../../etc/passwd",
        "_file/private/demo/book-1.epub",
        "/etc/passwd",
    ],
)
async def test_a_file_name_outside_the_private_root_is_never_served(
    http, database, auth, tmp_path, stored
):
    shop = await _owned(database, tmp_path)
    async with database.sessionmaker() as db:
        await db.execute(update(type(shop.products[0])).values(product_file=[stored]))
        await db.commit()
    sign_in(auth, shop.me)
    response = await http.post(URL, json={"id_product": str(shop.products[0].id)})
    assert response.status_code == 404


async def test_a_file_gone_after_the_key_was_issued_leaves_the_key_usable(
    http, database, auth, tmp_path
):
    shop = await _owned(database, tmp_path)
    sign_in(auth, shop.me)
    url = await _key(http, shop.products[0])
    book = next((tmp_path / "book").rglob("*.epub"))
    book.rename(book.with_suffix(".moved"))
    assert (await http.get(url)).json()["message"] == "Berkas buku tidak ditemukan"
    book.with_suffix(".moved").rename(book)
    assert (await http.get(url)).status_code == 200  # the failed claim was rolled back


async def test_a_safe_filename_from_any_slug(http, database, auth, tmp_path):
    shop = await _owned(database, tmp_path, slug='a"b/../c\r\nd')
    sign_in(auth, shop.me)
    got = await http.get(await _key(http, shop.products[0]))
    assert got.headers["content-disposition"] == 'attachment; filename="a-b-..-c-d.epub"'


@pytest.mark.parametrize(
    "body", [{}, {"id_product": "x"}, {"id_product": 5}, {"id_product": "\x00"}, []]
)
async def test_download_refuses_bad_input(http, auth, body):
    login_as(auth, uuid.uuid4(), customer=uuid.uuid4())
    assert (await http.post(URL, json=body)).status_code == 422


@pytest.mark.parametrize("key", ["short", "a" * 101, "abc%00defghijklmnopqrstuvwxyz", "a.b" * 10])
async def test_malformed_keys_are_refused(http, key):
    assert (await http.get(f"{URL}/{key}")).status_code == 422


async def test_issuing_a_key_needs_a_customer(http, auth):
    assert (await http.post(URL, json={"id_product": str(uuid.uuid4())})).status_code == 401
    login_as(auth, uuid.uuid4(), author=uuid.uuid4())
    assert (await http.post(URL, json={"id_product": str(uuid.uuid4())})).status_code == 403
