"""Database constraint violations become 409/422 in the envelope on both backends."""


async def _shelf(client, name="A"):
    return (await client.post("/api/shop/shelf/create", json={"name": name})).json()["data"]["id"]


async def test_unique_violation_is_409_naming_the_field(client):
    await _shelf(client, "Rak")
    response = await client.post("/api/shop/shelf/create", json={"name": "Rak"})
    body = response.json()
    assert response.status_code == 409
    assert body["code"] == "unique_violation"
    assert body["message"] == "name sudah digunakan"


async def test_partial_unique_index_names_its_column(client):
    await client.post("/api/shop/item/create", json={"name": "a", "sku": "S-1"})
    response = await client.post("/api/shop/item/create", json={"name": "b", "sku": "S-1"})
    assert response.status_code == 409
    assert response.json()["message"] == "sku sudah digunakan"


async def test_foreign_key_on_write_is_422(client):
    response = await client.post(
        "/api/shop/item/create",
        json={"name": "a", "sku": "x", "id_shelf": "01900000-0000-7000-8000-000000000000"},
    )
    body = response.json()
    assert response.status_code == 422
    assert body["message"] == "Data terkait tidak ditemukan"


async def test_foreign_key_blocking_a_delete_is_409_naming_the_relation(client):
    shelf = await _shelf(client)
    await client.post("/api/shop/item/create", json={"name": "a", "sku": "x", "id_shelf": shelf})
    response = await client.post("/api/shop/shelf/delete", json={"id": shelf})
    body = response.json()
    assert response.status_code == 409
    assert body["code"] == "delete_blocked"
    assert "item" in body["message"]


async def test_check_violation_is_422(client):
    response = await client.post("/api/shop/item/create", json={"name": "a", "sku": "x", "qty": -1})
    body = response.json()
    assert response.status_code == 422
    assert body["code"] == "validation_error"
    assert "qty_non_negative" in body["message"]


async def test_failed_request_leaves_nothing_written(client):
    await client.post("/api/shop/item/create", json={"name": "a", "sku": "dup"})
    await client.post("/api/shop/item/create", json={"name": "b", "sku": "dup"})
    body = (await client.get("/api/shop/item/list")).json()
    assert body["pagination"]["total"] == 1
