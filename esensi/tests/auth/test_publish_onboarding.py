"""The portal's onboarding (``/api/publish/onboarding``) is the auth host's, served twice:
same checks, same answer, one profile of each type per login."""

from __future__ import annotations

from auth_helpers import alive, committed_login, sign_in


async def test_publish_onboarding_creates_the_profile_once_and_rotates_the_session(web, database):
    user = await committed_login(database)
    old = await sign_in(web, user.email)
    response = await web.post("/api/publish/onboarding", json={"role": "publisher"})
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert data["role"] == "publisher"
    assert not await alive(web, old)
    session = (await web.get("/api/auth/get-session")).json()
    assert session["user"]["idPublisher"] == data["profileId"]
    for url in ("/api/publish/onboarding", "/api/auth/onboarding"):
        again = await web.post(url, json={"role": "publisher"})
        assert again.status_code == 409, url
        assert again.json()["code"] == "profile_exists"
    detail = await web.get("/api/publish/publisher/detail")
    assert detail.json()["data"]["id"] == data["profileId"]


async def test_publish_onboarding_needs_a_session_and_refuses_a_foreign_user_id(web, database):
    body = {"role": "author"}
    assert (await web.post("/api/publish/onboarding", json=body)).status_code == 401
    user = await committed_login(database)
    await sign_in(web, user.email)
    other = await committed_login(database)
    refused = await web.post("/api/publish/onboarding", json={**body, "userId": str(other.id)})
    assert refused.status_code == 422
