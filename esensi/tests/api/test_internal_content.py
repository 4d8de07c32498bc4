"""Banners, landing pages and their blocks in the back office: sales and marketing and
management keep them, each write audited; the store's banner slot shows what they publish."""

import uuid

import pytest
from staff_helpers import audit_rows, sign_in_staff

from rlib.testing.statements import count_statements


@pytest.fixture
async def merchant(database, auth):
    return await sign_in_staff(database, auth, "management")


async def _landing(client, slug="promo-ramadan"):
    response = await client.post(
        "/api/internal/landing/create", json={"slug": slug, "title": "Promo"}
    )
    assert response.status_code == 201, response.text
    return response.json()["data"]


async def test_a_published_banner_reaches_the_store_slot(client, database, merchant):
    body = {"title": "banner-default", "banner_file": ["banner/a.webp"], "link": "/promo", "idx": 2}
    created = await client.post("/api/internal/banner/create", json=body)
    assert created.status_code == 201, created.text
    banner = created.json()["data"]
    slot = (await client.get("/api/banner", params={"for": "default"})).json()["data"]
    assert [item["id"] for item in slot["banners"]] == [banner["id"]]
    hidden = await client.patch(
        f"/api/internal/banner/{banner['id']}", json={"status": "inactive", "version": 1}
    )
    assert hidden.status_code == 200, hidden.text
    assert (await client.get("/api/banner", params={"for": "default"})).json()["data"][
        "banners"
    ] == []
    assert (
        await client.post("/api/internal/banner/delete", json={"id": banner["id"]})
    ).status_code == 200
    trail = await audit_rows(database, "banner")
    assert [row.action for row in trail] == ["banner.create", "banner.update", "banner.delete"]
    assert trail[1].before == {"status": "active"}
    assert trail[1].after == {"status": "inactive"}


async def test_banner_bad_input_and_server_owned_fields(client, database, merchant):
    for body in (
        {"title": ""},
        {"title": "banner-x", "status": "deleted"},
        {"title": "banner-x", "idx": 10**30},
        {"title": "banner-x", "banner_file": "a.webp"},
        {"title": "banner-x", "deleted_at": "2020-01-01T00:00:00Z"},
        {"title": "banner-x", "version": 4},
        {"title": "banner-x\x00"},
    ):
        response = await client.post("/api/internal/banner/create", json=body)
        assert response.status_code == 422, (body, response.text)
    stale = await client.post("/api/internal/banner/create", json={"title": "banner-x"})
    ident = stale.json()["data"]["id"]
    conflict = await client.patch(f"/api/internal/banner/{ident}", json={"idx": 1, "version": 9})
    assert conflict.status_code == 409
    missing = await client.get(
        f"/api/internal/banner/{uuid.uuid4()}", headers={"Accept-Language": "en"}
    )
    assert (missing.status_code, missing.json()["message"]) == (404, "Banner not found")


async def test_landing_with_its_blocks_in_order(client, database, merchant):
    page = await _landing(client)
    for idx, tag in ((2, "kedua"), (1, "pertama")):
        block = {"id_landing": page["id"], "tag": tag, "idx": idx, "color": "#ff0000"}
        created = await client.post("/api/internal/landing/items/create", json=block)
        assert created.status_code == 201, created.text
    detail = (await client.get(f"/api/internal/landing/{page['id']}")).json()["data"]
    assert [item["tag"] for item in detail["items"]] == ["pertama", "kedua"]  # by idx
    listed = (
        await client.get("/api/internal/landing/items", params={"id_landing": page["id"]})
    ).json()
    assert [item["tag"] for item in listed["data"]] == ["pertama", "kedua"]
    first = listed["data"][0]["id"]
    moved = await client.patch(f"/api/internal/landing/items/{first}", json={"idx": 5})
    assert moved.status_code == 200, moved.text
    assert (await client.delete(f"/api/internal/landing/items/{first}")).status_code == 200
    trail = await audit_rows(database, "landing_items")
    assert [row.action for row in trail] == [
        "landing_items.create",
        "landing_items.create",
        "landing_items.update",
        "landing_items.delete",
    ]


async def test_a_block_needs_a_live_page_and_cannot_move(client, database, merchant):
    page = await _landing(client)
    orphan = await client.post(
        "/api/internal/landing/items/create", json={"id_landing": str(uuid.uuid4())}
    )
    assert orphan.status_code == 422
    assert (await client.delete(f"/api/internal/landing/{page['id']}")).status_code == 200
    on_deleted = await client.post(
        "/api/internal/landing/items/create", json={"id_landing": page["id"]}
    )
    assert on_deleted.status_code == 422
    restored = await client.post(f"/api/internal/landing/{page['id']}/restore")
    assert restored.status_code == 200
    block = await client.post("/api/internal/landing/items/create", json={"id_landing": page["id"]})
    other = await _landing(client, "lain")
    move = await client.patch(
        f"/api/internal/landing/items/{block.json()['data']['id']}",
        json={"id_landing": other["id"]},
    )
    assert move.status_code == 422
    bad_color = await client.post(
        "/api/internal/landing/items/create", json={"id_landing": page["id"], "color": "red;}"}
    )
    assert bad_color.status_code == 422
    assert [row.action for row in await audit_rows(database, "landing")] == [
        "landing.create",
        "landing.delete",
        "landing.restore",
        "landing.create",
    ]


async def test_landing_slug_clash_is_409(client, database, merchant):
    await _landing(client, "sama")
    clash = await client.post("/api/internal/landing/create", json={"slug": "sama", "title": "B"})
    assert clash.status_code == 409


async def test_landing_detail_and_list_statement_counts(client, database, merchant):
    page = await _landing(client)
    for idx in range(5):
        await client.post(
            "/api/internal/landing/items/create", json={"id_landing": page["id"], "idx": idx}
        )
    async with count_statements(database) as log:
        detail = (await client.get(f"/api/internal/landing/{page['id']}")).json()["data"]
    assert len(detail["items"]) == 5
    assert log.count == 2, log.statements  # the page, its blocks
    async with count_statements(database) as log:
        listed = (await client.get("/api/internal/banner")).json()
    assert listed["pagination"]["total"] == 0
    assert log.count == 2, log.statements


@pytest.mark.parametrize(
    ("roles", "status"),
    [
        (("management",), 200),
        (("sales_and_marketing",), 200),
        (("support",), 403),
        (("it",), 403),
    ],
)
async def test_roles(client, database, auth, roles, status):
    await sign_in_staff(database, auth, *roles)
    for url in ("/api/internal/banner", "/api/internal/landing", "/api/internal/landing/items"):
        assert (await client.get(url)).status_code == status, url
    created = await client.post("/api/internal/banner/create", json={"title": "banner-x"})
    assert created.status_code == (201 if status == 200 else 403)
