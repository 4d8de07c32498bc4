"""Staff manage cfg entries; everyone else is refused."""

import uuid

import pytest

from factories import login_as


@pytest.fixture
def staff(auth):
    return login_as(auth, uuid.uuid4(), internal=uuid.uuid4())


async def test_anonymous_is_401_and_customers_are_403(client, auth):
    assert (await client.post("/api/internal/cfg/list", json={})).status_code == 401
    login_as(auth, uuid.uuid4(), customer=uuid.uuid4())
    response = await client.post("/api/internal/cfg/list", json={})
    assert response.status_code == 403


@pytest.mark.usefixtures("staff")
async def test_create_get_list_update_delete(client):
    created = await client.post(
        "/api/internal/cfg/create",
        json={"key": "page.about", "value": "Tentang", "is_public": True},
    )
    assert created.status_code == 200
    assert created.json()["data"]["version"] == 1
    got = (await client.get("/api/internal/cfg/get", params={"key": "page.about"})).json()
    assert got["data"]["value"] == "Tentang"
    listed = (await client.get("/api/internal/cfg/list", params={"search": "about"})).json()
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
async def test_duplicate_key_is_409_and_bad_key_is_422(client):
    await client.post("/api/internal/cfg/create", json={"key": "footer", "value": "x"})
    duplicate = await client.post("/api/internal/cfg/create", json={"key": "footer", "value": "y"})
    assert duplicate.status_code == 409
    assert duplicate.json()["message"] == "key sudah digunakan"
    invalid = await client.post("/api/internal/cfg/create", json={"key": "Bad Key!", "value": "y"})
    assert invalid.status_code == 422
    assert invalid.json()["errors"][0]["field"] == "key"
