"""The store's layout and static pages, through HTTP."""

import json

import pytest

from esensi.seed.taxonomy import CATEGORIES, seed_taxonomy
from esensi.seed.world import Seeding
from factories import make_cfg
from rlib import Scope


async def _seed_categories(database):
    unit = database.unit()
    await seed_taxonomy(Scope(unit), Seeding(scale=1))
    await unit.commit()
    await unit.close()


async def test_header_serves_the_category_tree_three_levels_deep(client, database):
    await _seed_categories(database)
    body = (await client.get("/api/header")).json()
    assert body["success"] is True
    tree = body["data"]["categories"]
    assert [node["name"] for node in tree] == list(CATEGORIES)
    fiksi = tree[0]
    assert [child["name"] for child in fiksi["children"]] == ["Novel", "Cerpen"]
    assert [leaf["name"] for leaf in fiksi["children"][0]["children"]] == [
        "Romansa",
        "Misteri",
        "Fantasi",
    ]
    assert body["data"]["search_placeholder"] == "Cari buku, penulis, atau kategori"


async def test_header_uses_the_configured_logo(client, database):
    async with database.sessionmaker() as session:
        await make_cfg(session, "header", json.dumps({"logo": "/logo.webp"}))
        await session.commit()
    body = (await client.post("/api/header", json={})).json()
    assert body["data"]["logo"] == "/logo.webp"


async def test_static_page_comes_from_public_cfg(client, database):
    async with database.sessionmaker() as session:
        await make_cfg(session, "page.howtobuy", "Pilih buku lalu bayar.")
        await make_cfg(session, "page.faq", json.dumps([{"q": "Apa?", "a": "Ini."}]))
        await session.commit()
    how = (await client.get("/how-to-buy")).json()
    assert how["data"] == {"key": "page.howtobuy", "content": "Pilih buku lalu bayar."}
    faq = (await client.post("/faq", json=[{}])).json()
    assert faq["data"]["content"] == [{"q": "Apa?", "a": "Ini."}]


@pytest.mark.parametrize(
    ("lang", "message"), [("id", "Halaman tidak ditemukan"), ("en", "Page not found")]
)
async def test_missing_or_private_page_is_404(client, database, lang, message):
    async with database.sessionmaker() as session:
        await make_cfg(session, "page.tos", "rahasia", is_public=False)
        await session.commit()
    response = await client.get("/tos", headers={"accept-language": lang})
    assert response.status_code == 404
    assert response.json()["message"] == message
    assert "rahasia" not in response.text
