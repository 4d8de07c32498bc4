"""The author's own profile (publish) and the caller's role flags (auth)."""

import uuid

from factories import login_as, make_author, make_book, make_user


async def test_author_detail_shows_own_profile_counts_and_recent_books(client, auth, database):
    async with database.sessionmaker() as db:
        author = await make_author(db, bank_account_number="1234567890")
        for _ in range(12):
            await make_book(db, author, status="draft")
        await db.commit()
    login_as(auth, uuid.uuid4(), author=author.id)
    body = (await client.get("/api/publish/author/detail")).json()
    assert body["data"]["author"]["id"] == str(author.id)
    assert body["data"]["counts"] == {"books": 12, "products": 0, "bundles": 0}
    assert len(body["data"]["recent"]["books"]) == 10
    assert "1234567890" not in str(body)


async def test_author_detail_refuses_other_user_types(client, auth):
    login_as(auth, uuid.uuid4(), customer=uuid.uuid4())
    assert (await client.get("/api/publish/author/detail")).status_code == 403


async def test_role_check_reports_only_the_callers_profiles(client, auth, database):
    async with database.sessionmaker() as db:
        user = await make_user(db)
        author = await make_author(db, id_user=user.id)
        await make_author(db, name="Orang Lain", id_user=(await make_user(db)).id)
        await db.commit()
    login_as(auth, user.id, author=author.id)
    body = (
        await client.post(
            "/api/auth/role-check", json={"roles": ["author", "customer", "publisher"]}
        )
    ).json()
    assert body["data"] == {"author": True, "customer": False, "publisher": False}


async def test_role_check_needs_a_session(client):
    response = await client.post("/api/auth/role-check", json={"roles": ["author"]})
    assert response.status_code == 401
    assert response.json()["message"] == "Anda harus login untuk mengakses fitur ini"
