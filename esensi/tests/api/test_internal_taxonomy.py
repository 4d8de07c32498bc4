"""Staff keep the taxonomy trees: soft delete, restore, and no cycles."""

import pytest
from staff_helpers import audit_rows, sign_in_staff


@pytest.fixture(autouse=True)
async def staff(database, auth):
    return await sign_in_staff(database, auth, "sales_and_marketing")


async def _create(client, name, parent=None):
    body = {"name": name, "slug": name.lower(), "id_parent": parent}
    response = await client.post("/api/internal/category/create", json=body)
    assert response.status_code == 201, response.text
    return response.json()["data"]["id"]


async def test_tree_with_parent_include_and_children(client):
    root = await _create(client, "Fiksi")
    child = await _create(client, "Novel", root)
    listed = (await client.get("/api/internal/category", params={"id_parent": root})).json()
    assert [row["name"] for row in listed["data"]] == ["Novel"]
    assert listed["data"][0]["parent"]["name"] == "Fiksi"
    detail = (await client.get(f"/api/internal/category/{root}")).json()["data"]
    assert [c["id"] for c in detail["children"]] == [child]


async def test_a_node_cannot_move_under_its_own_descendant(client):
    root = await _create(client, "Atas")
    child = await _create(client, "Tengah", root)
    leaf = await _create(client, "Bawah", child)
    response = await client.patch(f"/api/internal/category/{root}", json={"id_parent": leaf})
    assert response.status_code == 422
    assert (
        response.json()["errors"][0]["message"]
        == "Induk tidak boleh berada di bawah data ini sendiri"
    )
    itself = await client.patch(f"/api/internal/category/{root}", json={"id_parent": root})
    assert itself.status_code == 422


async def test_soft_delete_trash_restore_and_slug_clash(client):
    first = await _create(client, "Sejarah")
    assert (await client.delete(f"/api/internal/category/{first}")).status_code == 200
    assert (await client.get(f"/api/internal/category/{first}")).status_code == 404
    trash = (await client.get("/api/internal/category/trash")).json()
    assert [row["id"] for row in trash["data"]] == [first]
    await _create(client, "Sejarah")
    clash = await client.post(f"/api/internal/category/{first}/restore")
    assert clash.status_code == 409
    assert clash.json()["message"] == "slug sudah digunakan"


@pytest.mark.parametrize(
    ("roles", "status"),
    [(("management",), 200), (("sales_and_marketing",), 200), (("it", "support"), 403), ((), 403)],
)
async def test_only_sales_and_management_keep_the_trees(client, database, auth, roles, status):
    await sign_in_staff(database, auth, *roles)
    for resource in ("category", "genre", "tags"):
        listed = await client.get(f"/api/internal/{resource}")
        assert listed.status_code == status, resource
        body = {"name": "Baru", "slug": f"baru-{resource}"}
        created = await client.post(f"/api/internal/{resource}/create", json=body)
        assert created.status_code == (status if status == 403 else 201), resource


async def test_tree_writes_are_audited(client, database, staff):
    node = await _create(client, "Puisi")
    assert (await client.delete(f"/api/internal/category/{node}")).status_code == 200
    assert (await client.post(f"/api/internal/category/{node}/restore")).status_code == 200
    trail = await audit_rows(database, "category")
    assert [row.action for row in trail] == [
        "category.create",
        "category.delete",
        "category.restore",
    ]
    assert {row.id_user for row in trail} == {staff.id}
