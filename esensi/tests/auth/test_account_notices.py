"""Account notices reach the owner in the app too (notif rows next to the emails)."""

from __future__ import annotations

from auth_helpers import committed_login, sign_in

from esensi.services.notifications import notifier
from factories.logins import PASSWORD
from rlib.notify import store


async def _messages(database, user_id):
    async with database.sessionmaker() as db:
        rows = await store.list_own(db, notifier.table, user_id)
    return [(row.type, row.message) for row in rows]


async def test_password_change_leaves_a_notice(web, database):
    user = await committed_login(database)
    await sign_in(web, user.email)
    response = await web.post(
        "/api/auth/change-password",
        json={"currentPassword": PASSWORD, "newPassword": "sandi-baru-yang-panjang-7"},
    )
    assert response.status_code == 200, response.text
    assert await _messages(database, user.id) == [("message", "Kata sandi akun Anda telah diubah")]


async def test_notice_is_in_the_callers_language(web, database):
    user = await committed_login(database)
    await sign_in(web, user.email)
    response = await web.post(
        "/api/auth/change-password",
        json={"currentPassword": PASSWORD, "newPassword": "sandi-baru-yang-panjang-7"},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 200, response.text
    assert await _messages(database, user.id) == [("message", "Your account password was changed")]


async def test_a_failed_change_leaves_no_notice(web, database):
    user = await committed_login(database)
    await sign_in(web, user.email)
    response = await web.post(
        "/api/auth/change-password",
        json={"currentPassword": "salah-sekali-1", "newPassword": "sandi-baru-yang-panjang-7"},
    )
    assert response.status_code == 400
    assert await _messages(database, user.id) == []
