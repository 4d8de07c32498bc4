"""Staff manage cfg entries through the CRUD resource; everyone else is refused."""

import uuid

import pytest
from staff_helpers import audit_rows, sign_in_staff

from factories import login_as


@pytest.fixture
async def staff(database, auth):
    return await sign_in_staff(database, auth, "it")


async def test_anonymous_is_401_and_customers_are_403(client, database, auth):
    assert (await client.post("/api/internal/cfg/list", json={})).status_code == 401
    login_as(auth, uuid.uuid4(), customer=uuid.uuid4())
    assert (await client.get("/api/internal/cfg")).status_code == 403


@pytest.mark.usefixtures("staff")
async def test_seed_style_urls_by_key(client):
    created = await client.post(
        "/api/internal/cfg/create",
        json={"key": "page.about", "value": "Tentang", "is_public": True},
    )
    assert created.status_code == 201
    assert created.json()["data"]["version"] == 1
    got = (await client.post("/api/internal/cfg/get", json={"key": "page.about"})).json()
    assert got["data"]["value"] == "Tentang"
    listed = (await client.post("/api/internal/cfg/list", json={"search": "about"})).json()
    assert listed["pagination"]["total"] == 1
    updated = await client.post(
        "/api/internal/cfg/update", json={"key": "page.about", "version": 1, "value": "Baru"}
    )
    assert updated.json()["data"]["value"] == "Baru"
    assert updated.json()["data"]["version"] == 2
    stale = await client.post(
        "/api/internal/cfg/update", json={"key": "page.about", "version": 1, "value": "Lama"}
    )
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale_version"
    assert (
        await client.post("/api/internal/cfg/delete", json={"key": "page.about"})
    ).status_code == 200
    missing = await client.post("/api/internal/cfg/get", json={"key": "page.about"})
    assert missing.status_code == 404
    assert missing.json()["message"] == "Konfigurasi tidak ditemukan"


@pytest.mark.usefixtures("staff")
async def test_rest_routes_and_action_url(client):
    await client.post("/api/internal/cfg", json={"key": "footer", "value": "x"})
    assert (await client.get("/api/internal/cfg/footer")).json()["data"]["value"] == "x"
    patched = await client.patch(
        "/api/internal/cfg/footer", json={"value": "y"}, headers={"if-match": '"1"'}
    )
    assert patched.json()["data"]["value"] == "y"
    listed = await client.post("/api/internal/cfg", json={"action": "list", "is_public": False})
    assert [row["key"] for row in listed.json()["data"]] == ["footer"]
    assert (await client.delete("/api/internal/cfg/footer")).status_code == 200


@pytest.mark.usefixtures("staff")
async def test_duplicate_key_is_409_and_bad_key_is_422(client):
    await client.post("/api/internal/cfg/create", json={"key": "footer", "value": "x"})
    duplicate = await client.post("/api/internal/cfg/create", json={"key": "footer", "value": "y"})
    assert duplicate.status_code == 409
    assert duplicate.json()["message"] == "key sudah digunakan"
    invalid = await client.post("/api/internal/cfg/create", json={"key": "Bad Key!", "value": "y"})
    assert invalid.status_code == 422
    assert invalid.json()["errors"][0]["field"] == "key"
    owned = await client.post(
        "/api/internal/cfg/create", json={"key": "a", "value": "y", "version": 7}
    )
    assert owned.status_code == 422


async def _seed_entries(client, database, auth):
    await sign_in_staff(database, auth, "management")
    for key in ("page.about", "page.faq", "footer", "min_withdrawal"):
        created = await client.post("/api/internal/cfg/create", json={"key": key, "value": "x"})
        assert created.status_code == 201, created.text


@pytest.mark.parametrize("roles", [("it",), ("management",), ("it", "sales_and_marketing")])
async def test_it_and_management_keep_every_entry(client, database, auth, roles):
    await _seed_entries(client, database, auth)
    await sign_in_staff(database, auth, *roles)
    listed = (await client.get("/api/internal/cfg")).json()
    assert [row["key"] for row in listed["data"]] == [
        "footer",
        "min_withdrawal",
        "page.about",
        "page.faq",
    ]
    assert (await client.get("/api/internal/cfg/footer")).status_code == 200


async def test_sales_and_marketing_see_and_edit_only_page_entries(client, database, auth):
    await _seed_entries(client, database, auth)
    await sign_in_staff(database, auth, "sales_and_marketing")
    listed = (await client.get("/api/internal/cfg")).json()
    assert [row["key"] for row in listed["data"]] == ["page.about", "page.faq"]
    assert listed["pagination"]["total"] == 2
    action = await client.post("/api/internal/cfg", json={"action": "list"})
    assert [row["key"] for row in action.json()["data"]] == ["page.about", "page.faq"]
    updated = await client.post(
        "/api/internal/cfg/update", json={"key": "page.about", "value": "Tentang kami"}
    )
    assert updated.status_code == 200, updated.text
    created = await client.post(
        "/api/internal/cfg/create", json={"key": "page.promo", "value": "Promo", "is_public": True}
    )
    assert created.status_code == 201, created.text
    assert (await client.delete("/api/internal/cfg/page.faq")).status_code == 200


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("GET", "/api/internal/cfg/footer", None),
        ("POST", "/api/internal/cfg/get", {"key": "footer"}),
        ("PATCH", "/api/internal/cfg/footer", {"value": "diganti"}),
        ("POST", "/api/internal/cfg/update", {"key": "footer", "value": "diganti"}),
        ("POST", "/api/internal/cfg", {"action": "update", "key": "footer", "value": "diganti"}),
        ("DELETE", "/api/internal/cfg/footer", None),
        ("POST", "/api/internal/cfg/delete", {"key": "footer"}),
        ("GET", "/api/internal/cfg/nowhere", None),  # the same answer as an existing key
    ],
)
async def test_other_entries_are_not_found_for_sales_and_marketing(
    client, auth, database, method, url, body
):
    await _seed_entries(client, database, auth)
    await sign_in_staff(database, auth, "sales_and_marketing")
    response = await client.request(method, url, json=body)
    assert response.status_code == 404
    assert response.json()["message"] == "Konfigurasi tidak ditemukan"
    await sign_in_staff(database, auth, "it")
    kept = (await client.get("/api/internal/cfg/footer")).json()["data"]
    assert (kept["value"], kept["version"]) == ("x", 1)


@pytest.mark.parametrize("key", ["footer", "min_withdrawal", "pages.about", "new_key"])
async def test_sales_and_marketing_cannot_create_other_keys(client, database, auth, key):
    await _seed_entries(client, database, auth)
    await sign_in_staff(database, auth, "sales_and_marketing")
    created = await client.post("/api/internal/cfg/create", json={"key": key, "value": "y"})
    assert created.status_code == 403  # the same for taken and free keys: nothing revealed
    await sign_in_staff(database, auth, "it")
    kept = await client.get(f"/api/internal/cfg/{key}")
    if key in ("footer", "min_withdrawal"):
        assert kept.json()["data"]["value"] == "x"
    else:
        assert kept.status_code == 404


@pytest.mark.parametrize("roles", [("support",), ()])
async def test_support_and_staff_without_a_flag_are_refused(client, database, auth, roles):
    await sign_in_staff(database, auth, *roles)
    assert (await client.get("/api/internal/cfg")).status_code == 403
    assert (await client.get("/api/internal/cfg/page.about")).status_code == 403
    created = await client.post("/api/internal/cfg/create", json={"key": "page.x", "value": "y"})
    assert created.status_code == 403


async def test_every_cfg_write_is_audited_with_its_key(client, database, auth):
    editor = await sign_in_staff(database, auth, "sales_and_marketing")
    body = {"key": "page.promo", "value": "lama", "is_public": True}
    assert (await client.post("/api/internal/cfg/create", json=body)).status_code == 201
    changed = await client.patch("/api/internal/cfg/page.promo", json={"value": "baru"})
    assert changed.status_code == 200, changed.text
    assert (await client.delete("/api/internal/cfg/page.promo")).status_code == 200
    refused = await client.post("/api/internal/cfg/create", json={"key": "footer", "value": "y"})
    assert refused.status_code == 403
    trail = await audit_rows(database, "cfg")
    assert [(row.action, row.entity_id) for row in trail] == [
        ("cfg.create", "page.promo"),
        ("cfg.update", "page.promo"),
        ("cfg.delete", "page.promo"),
    ]
    assert (trail[1].before, trail[1].after) == ({"value": "lama"}, {"value": "baru"})
    assert {row.id_user for row in trail} == {editor.id}
