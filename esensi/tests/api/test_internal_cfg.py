"""Staff manage cfg entries through the CRUD resource; everyone else is refused."""

import uuid

import pytest

from factories import login_as


@pytest.fixture
def staff(auth):
    return login_as(auth, uuid.uuid4(), internal=uuid.uuid4())


async def test_anonymous_is_401_and_customers_are_403(client, auth):
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
