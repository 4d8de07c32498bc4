"""Support and management see one login with its profiles and providers, never a secret."""

import uuid

from factories import login_staff
from factories.logins import add_profile, make_login, make_session


async def _login(database):
    unit = database.unit()
    try:
        user = await make_login(unit.session)
        author_id = await add_profile(unit.session, user, "author")
        await make_session(unit.session, user)
        await unit.commit()
        return user.id, author_id
    finally:
        await unit.close()


async def test_anonymous_is_401(client):
    assert (
        await client.get("/api/internal/user/get", params={"id": str(uuid.uuid4())})
    ).status_code == 401


async def test_it_is_403(client, auth):
    login_staff(auth, "it")
    response = await client.get("/api/internal/user/get", params={"id": str(uuid.uuid4())})
    assert response.status_code == 403


async def test_get_shows_profiles_providers_and_sessions_without_secrets(client, auth, database):
    login_staff(auth, "support")
    user_id, author_id = await _login(database)
    response = await client.get("/api/internal/user/get", params={"id": str(user_id)})
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["profiles"] == {"author": str(author_id)}
    assert data["providers"] == ["credential"]
    assert data["active_sessions"] == 1
    assert data["two_factor_enabled"] is False
    text = response.text
    for secret in ("password", "token", "secret", "backup"):
        assert secret not in text


async def test_unknown_user_is_404(client, auth):
    login_staff(auth, "management")
    response = await client.get("/api/internal/user/get", params={"id": str(uuid.uuid4())})
    assert response.status_code == 404
