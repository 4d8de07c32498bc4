"""Review moderation: support takes a review down and restores it (audited); the review is
never edited here; other staff are refused."""

import uuid

import pytest
from staff_helpers import audit_rows, sign_in_staff

from esensi.models.review import Reviews
from factories import make_author, make_book, make_user


async def _review(database, comments="Bagus sekali"):
    async with database.sessionmaker() as db:
        book = await make_book(db, await make_author(db))
        reader = await make_user(db)
        review = Reviews(id_book=book.id, id_user=reader.id, comments=comments, rating=5)
        db.add(review)
        await db.commit()
        return review


async def test_take_down_and_restore_are_audited(client, database, auth):
    moderator = await sign_in_staff(database, auth, "support")
    review = await _review(database)
    gone = await client.post("/api/internal/review/delete", json={"id": str(review.id)})
    assert gone.status_code == 200, gone.text
    assert (await client.get(f"/api/internal/review/{review.id}")).status_code == 404
    trash = (await client.get("/api/internal/review/trash")).json()["data"]
    assert [row["id"] for row in trash] == [str(review.id)]
    back = await client.post("/api/internal/review/restore", json={"id": str(review.id)})
    assert back.status_code == 200, back.text
    assert back.json()["data"]["comments"] == "Bagus sekali"
    trail = await audit_rows(database, "review")
    assert [row.action for row in trail] == ["review.delete", "review.restore"]
    assert {row.id_user for row in trail} == {moderator.id}
    again = await client.post("/api/internal/review/restore", json={"id": str(review.id)})
    assert again.status_code == 404


async def test_lists_filter_and_nothing_is_editable(client, database, auth):
    await sign_in_staff(database, auth, "support")
    review = await _review(database)
    await _review(database, "Kurang menarik")
    found = (await client.get("/api/internal/review", params={"search": "kurang"})).json()
    assert [row["comments"] for row in found["data"]] == ["Kurang menarik"]
    by_book = await client.get("/api/internal/review", params={"id_book": str(review.id_book)})
    assert by_book.json()["pagination"]["total"] == 1
    edit = await client.post(
        "/api/internal/review/update", json={"id": str(review.id), "comments": "x"}
    )
    assert edit.status_code in (404, 405)
    create = await client.post("/api/internal/review/create", json={"comments": "x"})
    assert create.status_code in (404, 405)
    missing = await client.post("/api/internal/review/delete", json={"id": str(uuid.uuid4())})
    assert (missing.status_code, missing.json()["message"]) == (404, "Ulasan tidak ditemukan")
    bad = await client.post("/api/internal/review/delete", json={"id": "x\x00"})
    assert bad.status_code == 422


@pytest.mark.parametrize("roles", [("management",), ("sales_and_marketing",), ("it",)])
async def test_other_staff_are_refused(client, database, auth, roles):
    await sign_in_staff(database, auth, *roles)
    review = await _review(database)
    response = await client.post("/api/internal/review/delete", json={"id": str(review.id)})
    assert response.status_code == 403
    assert (await client.post("/api/internal/review/restore", json={"id": "x"})).status_code == 403
