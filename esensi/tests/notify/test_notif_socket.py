"""/ws/notif through real servers on 127.0.0.1: auth at the handshake, delivery, catch-up,
refusals, sign-out, slow readers (security.md section 11)."""

import asyncio
import datetime as dt
import uuid

import httpx
import pytest
from notify_live import (
    BACKENDS,
    REDIS_URL,
    announce,
    bearer,
    launch,
    make_logins,
    next_frame,
    notif_ids,
    quiet,
    server_env,
    socket_of,
    start_servers,
)
from sqlalchemy import update
from websockets.exceptions import ConnectionClosed

from esensi.models.auth import AuthSession
from factories.logins import PASSWORD
from rlib import DatabaseConfig
from rlib.db.engine import Database


@pytest.fixture(scope="module", params=BACKENDS)
def live_url(request, migrated_urls):
    return migrated_urls[request.param]


@pytest.fixture(scope="module")
def server(live_url, tmp_path_factory):
    """One app process for the module; its bus is the database's own (SQLite: in-process)."""
    env = server_env(live_url, redis_url=None, channel=f"f_{uuid.uuid4().hex}")
    started = launch(env, tmp_path_factory.mktemp("servers"))
    yield started
    started.stop()


@pytest.fixture
def db_url(live_url):
    return live_url


@pytest.fixture
async def people(db_url):
    [staff] = await make_logins(db_url, staff=True)
    reader, other = await make_logins(db_url, 2)
    return staff, reader, other


async def _pings_until_closed(ws) -> None:
    async with asyncio.timeout(5):
        while True:
            assert '"ping"' in await ws.recv()  # no data frame before the close


async def _closed_with(ws) -> int:
    """The close code, after nothing but keepalive pings."""
    with pytest.raises(ConnectionClosed) as closed:
        await _pings_until_closed(ws)
    assert closed.value.rcvd is not None
    return closed.value.rcvd.code


async def test_offline_user_gets_it_on_the_next_connect(server, people):
    staff, reader, _ = people
    async with httpx.AsyncClient() as client:
        await announce(client, server, staff, [reader.id], "Selamat datang")
    async with socket_of(server, reader) as ws:
        connected = await next_frame(ws)
    assert connected["action"] == "connected"
    assert connected["unread"] == 1
    assert [n["message"] for n in connected["notifs"]] == ["Selamat datang"]


async def test_live_frames_then_catch_up_by_cursor_then_live_again(server, people):
    staff, reader, _ = people
    async with httpx.AsyncClient() as client:
        async with socket_of(server, reader) as ws:
            assert (await next_frame(ws))["action"] == "connected"
            for n in range(3):
                await announce(client, server, staff, [reader.id], f"langsung {n}")
            seen = await notif_ids(ws, 3)
        assert seen == sorted(seen)
        for n in range(4):  # offline now
            await announce(client, server, staff, [reader.id], f"tertinggal {n}")
        async with socket_of(server, reader) as ws:
            connected = await next_frame(ws)
            await ws.send(f'{{"after_id": {seen[-1]}}}')
            caught = [await next_frame(ws) for _ in range(4)]
            await announce(client, server, staff, [reader.id], "baru")
            live = await next_frame(ws)
            extra = await quiet(ws, 0.5)
    assert connected["unread"] == 7
    assert [f["notif"]["message"] for f in caught] == [f"tertinggal {n}" for n in range(4)]
    assert [f["notif"]["id"] for f in caught] == sorted(f["notif"]["id"] for f in caught)
    assert caught[0]["notif"]["id"] > seen[-1]
    assert live["notif"]["message"] == "baru"
    assert extra == []  # no duplicates


async def test_ping_is_answered(server, people):
    _, reader, _ = people
    async with socket_of(server, reader) as ws:
        await next_frame(ws)
        await ws.send('{"action": "ping"}')
        assert await next_frame(ws) == {"action": "pong"}


async def test_no_session_is_closed_4401(server):
    async with socket_of(server, None, additional_headers={"X-Nothing": "1"}) as ws:
        assert await _closed_with(ws) == 4401
    headers = {"Authorization": "Bearer not-a-token"}
    async with socket_of(server, None, additional_headers=headers) as ws:
        assert await _closed_with(ws) == 4401


async def test_token_in_the_query_string_is_not_a_session(server, people):
    _, reader, _ = people
    async with socket_of(server, None, additional_headers={"X-Nothing": "1"}) as ws:
        pass
    from websockets.asyncio.client import connect

    async with connect(f"{server.ws}?token={reader.token}") as ws:
        assert await _closed_with(ws) == 4401


async def test_revoked_session_is_closed_4401(server, people):
    _, reader, _ = people
    async with httpx.AsyncClient() as client:
        response = await client.post(f"{server.http}/api/auth/sign-out", headers=bearer(reader))
        assert response.status_code == 200
    async with socket_of(server, reader) as ws:
        assert await _closed_with(ws) == 4401


async def test_origin_is_checked_for_cookie_sessions(server, people):
    _, reader, _ = people
    cookie = {"Cookie": f"session={reader.token}"}
    async with socket_of(
        server, reader, additional_headers=cookie, origin="https://evil.example"
    ) as ws:
        assert await _closed_with(ws) == 4403
    async with socket_of(server, reader, additional_headers=cookie) as ws:  # no Origin
        assert await _closed_with(ws) == 4403
    own = f"http://127.0.0.1:{server.port}"
    async with socket_of(server, reader, additional_headers=cookie, origin=own) as ws:
        assert (await next_frame(ws))["action"] == "connected"


async def test_a_frame_naming_another_user_changes_nothing(server, people):
    staff, reader, other = people
    async with httpx.AsyncClient() as client:
        await announce(client, server, staff, [other.id], "milik orang lain")
        async with socket_of(server, reader) as ws:
            connected = await next_frame(ws)
            await ws.send(f'{{"user_id": "{other.id}", "id_user": "{other.id}", "after_id": 0}}')
            await announce(client, server, staff, [other.id], "juga milik orang lain")
            frames = await quiet(ws, 1.0)
    assert connected["notifs"] == []
    assert frames == []


async def test_sign_out_closes_the_socket_within_5_s(server, people):
    _, reader, _ = people
    async with socket_of(server, reader) as ws:
        await next_frame(ws)
        async with httpx.AsyncClient() as client:
            response = await client.post(f"{server.http}/api/auth/sign-out", headers=bearer(reader))
            assert response.status_code == 200
        assert await _closed_with(ws) == 4401


async def test_reading_over_http_updates_the_other_sockets(server, people):
    staff, reader, _ = people
    async with httpx.AsyncClient() as client, socket_of(server, reader) as ws:
        await next_frame(ws)
        await announce(client, server, staff, [reader.id], "baca aku")
        [notif_id] = await notif_ids(ws, 1)
        response = await client.post(
            f"{server.http}/api/notif/read", json={"ids": [notif_id]}, headers=bearer(reader)
        )
        assert response.json()["data"] == {"count": 1}
        updated = await next_frame(ws)
        await client.post(
            f"{server.http}/api/notif/delete", json={"ids": [notif_id]}, headers=bearer(reader)
        )
        deleted = await next_frame(ws)
    assert updated == {"action": "update-notif", "ids": [notif_id], "status": "read"}
    assert deleted == {"action": "delete-notif", "ids": [notif_id]}


async def test_oversized_frame_is_closed_1009(server, people):
    _, reader, _ = people
    async with socket_of(server, reader) as ws:
        await next_frame(ws)
        await ws.send('{"after_id": 1, "pad": "' + "x" * 5000 + '"}')
        assert await _closed_with(ws) == 1009


async def test_sockets_per_user_are_limited(db_url, tmp_path, people):
    env = server_env(
        db_url, redis_url=None, channel=f"f_{uuid.uuid4().hex}", notify__max_sockets_per_user="2"
    )
    [server] = await start_servers(tmp_path, env)
    try:
        _, reader, _ = people
        async with socket_of(server, reader) as one, socket_of(server, reader) as two:
            await next_frame(one)
            await next_frame(two)
            async with socket_of(server, reader) as three:
                assert await _closed_with(three) == 1008
    finally:
        server.stop()


async def test_silent_client_is_closed_after_the_idle_timeout(db_url, tmp_path, people):
    env = server_env(
        db_url,
        redis_url=None,
        channel=f"f_{uuid.uuid4().hex}",
        notify__ping_interval_s="0.3",
        notify__pong_timeout_s="0.3",
    )
    [server] = await start_servers(tmp_path, env)
    try:
        _, reader, _ = people
        async with socket_of(server, reader) as ws:
            assert (await next_frame(ws))["action"] == "connected"
            raw = await asyncio.wait_for(ws.recv(), 2)  # the server's ping; never answered
            assert '"ping"' in raw
            assert await _closed_with(ws) == 1001
    finally:
        server.stop()


async def test_redis_url_is_reachable_for_the_redis_tests():
    # The multi-process tests need the shared Redis; say so plainly when it is not there.
    import redis.asyncio as aioredis

    client = aioredis.Redis.from_url(REDIS_URL)
    try:
        assert await client.ping()
    finally:
        await client.aclose()


async def test_password_change_closes_the_other_sessions_sockets(server, db_url):
    this, other = await make_logins(db_url, sessions=2)
    async with socket_of(server, this) as kept, socket_of(server, other) as revoked:
        await next_frame(kept)
        await next_frame(revoked)
        async with httpx.AsyncClient() as client:
            response = await client.post(
                f"{server.http}/api/auth/change-password",
                json={"currentPassword": PASSWORD, "newPassword": "sandi-baru-yang-panjang-7"},
                headers=bearer(this),
            )
            assert response.status_code == 200, response.text
        assert await _closed_with(revoked) == 4401
        notice = await next_frame(kept)  # still open, and told about the change
        assert notice["notif"]["message"] == "Kata sandi akun Anda telah diubah"


async def test_everyone_broadcast_arrives_as_a_broadcast_frame(server, people):
    staff, reader, _ = people
    async with socket_of(server, reader) as ws, httpx.AsyncClient() as client:
        await next_frame(ws)
        response = await client.post(
            f"{server.http}/api/internal/notif/create",
            json={"everyone": True, "message": "Pemeliharaan malam ini"},
            headers=bearer(staff),
        )
        assert response.status_code == 200, response.text
        frame = await next_frame(ws)
    assert frame["action"] == "broadcast"
    assert frame["notif"]["message"] == "Pemeliharaan malam ini"
    assert frame["notif"]["type"] == "announcement"


async def test_notif_create_is_for_support_and_management_only(server, people):
    _, reader, other = people
    async with httpx.AsyncClient() as client:
        response = await client.post(
            f"{server.http}/api/internal/notif/create",
            json={"user_ids": [str(other.id)], "message": "x"},
            headers=bearer(reader),
        )
    assert response.status_code == 403


async def test_notif_create_needs_exactly_one_audience(server, people):
    staff, _, _ = people
    async with httpx.AsyncClient() as client:
        for body in (
            {"message": "x"},
            {"everyone": True, "user_type": "customer", "message": "x"},
        ):
            response = await client.post(
                f"{server.http}/api/internal/notif/create",
                json=body,
                headers={**bearer(staff), "Accept-Language": "en"},
            )
            assert response.status_code == 422
            assert response.json()["errors"][0]["message"].startswith("Choose exactly one")


async def test_an_expired_session_is_closed_by_the_periodic_check(db_url, tmp_path, people):
    env = server_env(
        db_url, redis_url=None, channel=f"f_{uuid.uuid4().hex}", notify__session_recheck_s="0.3"
    )
    [server] = await start_servers(tmp_path, env)
    _, reader, _ = people
    database = Database(DatabaseConfig(url=db_url, pool_size=1))
    try:
        async with socket_of(server, reader) as ws:
            assert (await next_frame(ws))["action"] == "connected"
            async with database.sessionmaker() as db:
                await db.execute(
                    update(AuthSession)
                    .where(AuthSession.id_user == reader.id)
                    .values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1))
                )
                await db.commit()
            assert await _closed_with(ws) == 4401
    finally:
        await database.dispose()
        server.stop()


async def test_a_frame_flood_is_closed_1008_and_a_burst_is_not(server, people):
    _, reader, _ = people
    async with socket_of(server, reader) as ws:
        await next_frame(ws)
        for _ in range(10):  # a reconnecting client's burst is answered
            await ws.send('{"action": "ping"}')
        assert [await next_frame(ws) for _ in range(10)] == [{"action": "pong"}] * 10
        with pytest.raises(ConnectionClosed) as closed:
            await _flood_then_read(ws, '{"after_id": 0}', 200)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 1008


async def _flood_then_read(ws, frame: str, count: int) -> None:
    for _ in range(count):  # each could have been a catch-up: a database read
        await ws.send(frame)
    async with asyncio.timeout(5):
        while True:
            await ws.recv()
