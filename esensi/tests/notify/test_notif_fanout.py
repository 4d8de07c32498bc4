"""Fan-out across app processes through Redis and PostgreSQL LISTEN/NOTIFY: nothing lost,
nothing repeated, also when the bus drops out; a slow reader is dropped, others unaffected."""

import asyncio
import contextlib
import time
import uuid
from contextlib import asynccontextmanager

import httpx
import pytest
from notify_helpers import unit_scope
from notify_live import (
    BACKENDS,
    REDIS_URL,
    CuttableProxy,
    RawSocket,
    announce,
    announce_many,
    launch,
    make_logins,
    next_frame,
    notif_ids,
    quiet,
    server_env,
    server_frames,
    socket_of,
    start_servers,
    writers_for,
)
from sqlalchemy import text
from sqlalchemy.engine import make_url
from websockets.exceptions import ConnectionClosed

from esensi.services.notifications import notifier, send_many
from rlib import DatabaseConfig
from rlib.db.engine import Database
from rlib.notify.bus.postgres import PostgresBus
from rlib.notify.bus.redis import RedisBus

COUNT = 1000
FLOOD_BATCH, FLOOD_BATCHES = 500, 4  # 2,000 frames of ~4 KB for a reader that never reads


@pytest.fixture(params=BACKENDS)
def db_url(request, migrated_urls):
    return migrated_urls[request.param]


@pytest.fixture
async def people(db_url):
    [staff] = await make_logins(db_url, staff=True)
    reader, other = await make_logins(db_url, 2)
    return staff, reader, other


async def _stored_ids(server, reader):
    async with httpx.AsyncClient() as client:
        ids, before = [], None
        while True:
            body = {"limit": 100, **({"before_id": before} if before else {})}
            response = await client.post(
                f"{server.http}/api/notif/list",
                json=body,
                headers={"Authorization": f"Bearer {reader.token}"},
            )
            page = response.json()["data"]
            if not page:
                return sorted(ids)
            ids += [row["id"] for row in page]
            before = page[-1]["id"]


async def _fan_out(db_url, tmp_path, people, redis_url):
    staff, reader, _ = people
    channel = f"f_{uuid.uuid4().hex}"
    env = server_env(db_url, redis_url=redis_url, channel=channel)
    a, b = await start_servers(tmp_path, env, env)
    try:
        async with socket_of(b, reader) as ws:
            assert (await next_frame(ws))["action"] == "connected"
            receiving = asyncio.create_task(notif_ids(ws, COUNT, timeout=120))
            await announce_many(a, staff, reader.id, COUNT, concurrency=writers_for(db_url))
            got = await receiving
            extra = await quiet(ws, 1.0)
        assert len(got) == COUNT  # 0 lost
        assert len(set(got)) == COUNT  # 0 duplicated
        assert extra == []
        assert sorted(got) == await _stored_ids(a, reader)
    finally:
        a.stop()
        b.stop()


@pytest.mark.slow
async def test_two_processes_on_redis_lose_and_repeat_nothing(db_url, tmp_path, people):
    await _fan_out(db_url, tmp_path, people, REDIS_URL)


@pytest.mark.slow
@pytest.mark.postgres
async def test_two_processes_on_postgres_listen_notify(db_url, tmp_path, people):
    if not db_url.startswith("postgresql"):
        pytest.skip("LISTEN/NOTIFY exists only on PostgreSQL")
    await _fan_out(db_url, tmp_path, people, None)


async def test_redis_down_while_creating_then_everything_arrives(db_url, tmp_path, people):
    staff, reader, _ = people
    target = make_url(REDIS_URL)
    proxy = CuttableProxy(target.host or "127.0.0.1", target.port or 6379)
    await proxy.start()
    redis_url = f"redis://127.0.0.1:{proxy.port}/{target.database or 0}"
    env = server_env(db_url, redis_url=redis_url, channel=f"f_{uuid.uuid4().hex}")
    a, b = await start_servers(tmp_path, env, env)
    try:
        async with socket_of(b, reader) as ws:
            assert (await next_frame(ws))["action"] == "connected"
            await proxy.cut()
            await announce_many(a, staff, reader.id, 200, concurrency=writers_for(db_url))
            await proxy.start()
            got = await notif_ids(ws, 200, timeout=30)
            extra = await quiet(ws, 1.0)
        assert len(set(got)) == 200 == len(got)
        assert extra == []
        assert sorted(got) == await _stored_ids(a, reader)
    finally:
        await proxy.cut()
        a.stop()
        b.stop()


@asynccontextmanager
async def _publishing_process(db_url, channel, *, redis=True):
    """This test process as one more app process: its notifier publishes on the servers' bus."""
    bus = RedisBus(REDIS_URL, channel) if redis else PostgresBus(db_url, channel)
    database = Database(DatabaseConfig(url=db_url, pool_size=1))

    async def ignore(*_args):
        return None

    await bus.start(ignore, ignore)
    notifier.attach(bus)
    try:
        yield database
    finally:
        notifier.detach(bus)
        await bus.close()
        await database.dispose()


async def test_a_reader_that_does_not_read_is_dropped_and_others_keep_pace(
    db_url, tmp_path, people
):
    staff, slow, quick = people
    channel = f"f_{uuid.uuid4().hex}"
    env = server_env(
        db_url,
        redis_url=REDIS_URL,
        channel=channel,
        notify__send_queue="16",
        notify__send_timeout_s="1",
    )
    [server] = await start_servers(tmp_path, env)
    stalled = await asyncio.to_thread(RawSocket, server, slow)
    big = {"type": "message", "message": "x" * 1000, "data": {"pad": "y" * 3000}}
    try:
        async with (
            socket_of(server, quick) as ws,
            httpx.AsyncClient() as client,
            _publishing_process(db_url, channel) as database,
        ):
            assert (await next_frame(ws))["action"] == "connected"
            latencies = []
            for _ in range(FLOOD_BATCHES):
                async with unit_scope(database) as scope:
                    await send_many(scope, [slow.id] * FLOOD_BATCH, big)
                started = time.monotonic()
                await announce(client, server, staff, [quick.id], "cepat")
                await notif_ids(ws, 1, timeout=5)
                latencies.append(time.monotonic() - started)
        data, closed = await asyncio.to_thread(stalled.drain, 10)
    finally:
        stalled.close()
        server.stop()
    frames = server_frames(data)
    assert closed  # the server ended the stalled socket
    delivered = sum(1 for opcode, payload in frames if opcode == 1 and b'"notif"' in payload)
    assert delivered < FLOOD_BATCHES * FLOOD_BATCH
    closes = [payload for opcode, payload in frames if opcode == 8]
    assert closes == [] or int.from_bytes(closes[0][:2], "big") == 1013
    assert max(latencies) < 2.0


async def test_sign_out_on_one_process_closes_the_socket_on_another(db_url, tmp_path, people):
    _, reader, _ = people
    env = server_env(db_url, redis_url=REDIS_URL, channel=f"f_{uuid.uuid4().hex}")
    a, b = await start_servers(tmp_path, env, env)
    try:
        async with socket_of(b, reader) as ws:
            assert (await next_frame(ws))["action"] == "connected"
            started = time.monotonic()
            async with httpx.AsyncClient() as client:
                response = await client.post(
                    f"{a.http}/api/auth/sign-out",
                    headers={"Authorization": f"Bearer {reader.token}"},
                )
                assert response.status_code == 200
            with pytest.raises(ConnectionClosed) as closed:
                await asyncio.wait_for(ws.recv(), 5)
            assert closed.value.rcvd is not None
            assert closed.value.rcvd.code == 4401
            assert time.monotonic() - started < 5
    finally:
        a.stop()
        b.stop()


@pytest.mark.parametrize("bus", ["redis", "postgres"])
async def test_esensi_serve_with_workers_delivers_to_a_socket_on_any_worker(
    db_url, tmp_path, people, bus
):
    if bus == "postgres" and not db_url.startswith("postgresql"):
        pytest.skip("LISTEN/NOTIFY exists only on PostgreSQL")
    staff, reader, _ = people
    redis_url = REDIS_URL if bus == "redis" else None
    env = server_env(db_url, redis_url=redis_url, channel=f"f_{uuid.uuid4().hex}")
    server = await asyncio.to_thread(launch, env, tmp_path, workers=2)
    try:
        async with contextlib.AsyncExitStack() as stack:
            # Connections land on either worker, and so do the requests that create rows
            # (with the in-process bus instead, this fails: each worker hears only itself).
            sockets = [await stack.enter_async_context(socket_of(server, reader)) for _ in range(6)]
            for ws in sockets:
                assert (await next_frame(ws))["action"] == "connected"
            await announce_many(server, staff, reader.id, 20, concurrency=writers_for(db_url))
            for ws in sockets:
                got = await notif_ids(ws, 20)
                assert len(set(got)) == 20
    finally:
        server.stop()


@pytest.mark.postgres
async def test_a_notification_too_big_for_notify_still_arrives_whole(db_url, tmp_path, people):
    if not db_url.startswith("postgresql"):
        pytest.skip("LISTEN/NOTIFY exists only on PostgreSQL")
    _, reader, _ = people
    channel = f"f_{uuid.uuid4().hex}"
    [server] = await start_servers(tmp_path, server_env(db_url, redis_url=None, channel=channel))
    big = {"type": "message", "message": "besar", "data": {"pad": "y" * 9000}}
    try:
        async with (
            socket_of(server, reader) as ws,
            _publishing_process(db_url, channel, redis=False) as database,
        ):
            assert (await next_frame(ws))["action"] == "connected"
            async with unit_scope(database) as scope:
                row = await send_many(scope, [reader.id], big)
            frame = await next_frame(ws)
    finally:
        server.stop()
    assert frame["notif"]["id"] == row[0].id
    assert frame["notif"]["data"] == {"pad": "y" * 9000}


@pytest.mark.postgres
async def test_a_lost_listen_connection_is_replaced_and_nothing_is_lost(db_url, tmp_path, people):
    if not db_url.startswith("postgresql"):
        pytest.skip("LISTEN/NOTIFY exists only on PostgreSQL")
    _, reader, _ = people
    channel = f"f_{uuid.uuid4().hex}"
    [server] = await start_servers(tmp_path, server_env(db_url, redis_url=None, channel=channel))
    content = {"type": "message", "message": "setelah putus"}
    try:
        async with (
            socket_of(server, reader) as ws,
            _publishing_process(db_url, channel, redis=False) as database,
        ):
            assert (await next_frame(ws))["action"] == "connected"
            async with database.engine.connect() as conn:  # cut every LISTEN on the channel
                cut = await conn.scalar(
                    text(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND query ILIKE :listen"
                    ),
                    {"listen": f"%LISTEN%{channel}%"},
                )
            assert cut == 2  # the server's and this process's own
            for _ in range(5):  # some are published while nobody listens
                async with unit_scope(database) as scope:
                    await send_many(scope, [reader.id] * 10, content)
                await asyncio.sleep(0.2)
            got = await notif_ids(ws, 50, timeout=20)
            extra = await quiet(ws, 1.0)
    finally:
        server.stop()
    assert len(set(got)) == 50 == len(got)
    assert extra == []
