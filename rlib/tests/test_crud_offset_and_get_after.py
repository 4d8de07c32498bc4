"""The limit/offset paging style of lists, and ``get.after`` adding fields to one row."""

import pytest
from crud_support import library_app

BOTH_DB_PATHS = True


@pytest.fixture
async def lib(library_db):
    async with library_app(library_db) as library:
        library.sign_in(None)
        yield library


async def test_offset_pages_like_page_and_reports_the_page_it_lands_on(lib):
    url = "/api/library/writer-counted"
    by_page = (await lib.http.get(url, params={"page": 2, "limit": 1})).json()
    by_offset = (await lib.http.get(url, params={"offset": 1, "limit": 1})).json()
    assert by_offset["data"] == by_page["data"]
    assert by_offset["pagination"] == {"page": 2, "limit": 1, "total": 2, "totalPages": 2}
    posted = await lib.http.post(f"{url}/list", json={"offset": 0, "limit": 1})
    assert posted.json()["data"][0]["name"] == "Penulis 0"


@pytest.mark.parametrize("offset", [-1, "x", 10**19])
async def test_a_bad_offset_is_422(lib, offset):
    response = await lib.http.get("/api/library/writer-counted", params={"offset": offset})
    assert response.status_code == 422


async def test_get_after_adds_to_the_row_on_every_get_url(lib):
    writer = lib.writers[0]
    url = "/api/library/writer-counted"
    for response in (
        await lib.http.get(f"{url}/{writer}"),
        await lib.http.post(f"{url}/get", json={"id": str(writer)}),
        await lib.http.post(url, json={"action": "get", "id": str(writer)}),
    ):
        assert response.json()["data"]["novels"] == 0
    listed = (await lib.http.get(url)).json()["data"]
    assert all("novels" not in row for row in listed)  # lists stay plain rows
