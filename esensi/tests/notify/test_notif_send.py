"""send_notif / broadcast: rows in the caller's transaction, publish only after commit."""

import uuid

import pytest
from notify_helpers import RecordingBus, committed_users, unit_scope
from sqlalchemy.exc import IntegrityError

from esensi.services.notifications import (
    broadcast,
    notifier,
    notify_reviewers_of_submission,
    send_many,
    send_notif,
)
from factories import make_user
from factories.logins import add_profile
from rlib.notify import NotifStatus, NotifType, WSMessageAction, store


@pytest.fixture
def bus():
    recording = RecordingBus()
    notifier.attach(recording)
    yield recording
    notifier.detach(recording)


async def _rows(database, user_id):
    async with database.sessionmaker() as db:
        return await store.list_own(db, notifier.table, user_id, limit=100)


async def test_send_notif_writes_the_row_and_publishes_after_commit(database, bus):
    [user] = await committed_users(database)
    async with unit_scope(database) as scope:
        row = await send_notif(
            scope,
            user.id,
            {
                "action": WSMessageAction.NEW_NOTIF,
                "notif": {
                    "type": NotifType.MESSAGE,
                    "message": "Halo",
                    "url": "/book/1",
                    "data": {"k": 1},
                },
            },
        )
        assert bus.events == []  # nothing before the commit
    [stored] = await _rows(database, user.id)
    assert (stored.id, stored.message, stored.status, stored.data) == (
        row.id,
        "Halo",
        "unread",
        {"k": 1},
    )
    [event] = bus.events
    assert event["k"] == "new"
    assert event["u"] == str(user.id)
    assert event["a"] == "new-notif"
    assert event["n"]["id"] == row.id
    assert event["n"]["url"] == "/book/1"


async def _send_then_fail(database, user_id):
    async with unit_scope(database) as scope:
        await send_notif(scope, user_id, {"notif": {"type": "like", "message": "x"}})
        raise RuntimeError("the request failed")


async def test_rollback_writes_and_sends_nothing(database, bus):
    [user] = await committed_users(database)
    with pytest.raises(RuntimeError):
        await _send_then_fail(database, user.id)
    assert await _rows(database, user.id) == []
    assert bus.events == []


async def test_a_failing_bus_never_fails_the_sender(database):
    class DownBus(RecordingBus):
        async def publish(self, event):
            raise ConnectionError("bus down")

    down = DownBus()
    notifier.attach(down)
    try:
        [user] = await committed_users(database)
        async with unit_scope(database) as scope:
            await send_notif(scope, user.id, {"notif": {"type": "follow", "message": "x"}})
    finally:
        notifier.detach(down)
    assert len(await _rows(database, user.id)) == 1


async def _send_unknown_type(database, user_id):
    async with unit_scope(database) as scope:
        await send_notif(scope, user_id, {"notif": {"type": "nonsense", "message": "x"}})


async def test_unknown_type_is_refused_by_the_table(database, bus):
    [user] = await committed_users(database)
    with pytest.raises(IntegrityError):
        await _send_unknown_type(database, user.id)
    assert bus.events == []


async def test_send_many_is_one_row_per_recipient(database, bus):
    users = await committed_users(database, 3)
    async with unit_scope(database) as scope:
        rows = await send_many(
            scope, [u.id for u in users], {"type": "book-submit", "message": "B"}
        )
    assert len({r.id for r in rows}) == 3
    assert sorted(e["u"] for e in bus.events) == sorted(str(u.id) for u in users)


async def test_broadcast_to_a_list_of_ids(database, bus):
    users = await committed_users(database, 2)
    async with unit_scope(database) as scope:
        count = await broadcast(
            scope, [u.id for u in users], {"type": "announcement", "message": "Hai"}
        )
    assert count == 2
    assert {e["a"] for e in bus.events} == {WSMessageAction.BROADCAST.value}


async def test_broadcast_to_everyone_is_one_statement_and_one_event(database, bus):
    users = await committed_users(database, 3)
    async with unit_scope(database) as scope:
        count = await broadcast(scope, None, {"type": "announcement", "message": "Semua"})
    assert count >= 3  # every live login, including ones other fixtures made
    [event] = bus.events
    assert event["k"] == "bc"
    assert event["last"] - event["first"] + 1 >= count
    for user in users:
        [row] = await _rows(database, user.id)
        assert (row.type, row.message, row.status) == ("announcement", "Semua", NotifStatus.UNREAD)


async def test_broadcast_to_a_user_type_reaches_only_that_type(database, bus):
    async with database.sessionmaker() as db:
        staff, reader = await make_user(db), await make_user(db)
        await add_profile(db, staff, "internal")
        await add_profile(db, reader, "customer")
        await db.commit()
    async with unit_scope(database) as scope:
        await broadcast(scope, "internal", {"type": "announcement", "message": "Staf"})
    assert [r.message for r in await _rows(database, staff.id)] == ["Staf"]
    assert await _rows(database, reader.id) == []


async def test_broadcast_to_nobody_publishes_nothing(database, bus):
    async with unit_scope(database) as scope:
        assert await broadcast(scope, [], {"type": "announcement", "message": "x"}) == 0
    assert bus.events == []


async def test_reviewers_get_one_book_submit_each(database, bus):
    async with database.sessionmaker() as db:
        manager, support, sales = [await make_user(db) for _ in range(3)]
        await add_profile(db, manager, "internal", is_management=True)
        await add_profile(db, support, "internal", is_support=True)
        await add_profile(db, sales, "internal", is_sales_and_marketing=True)
        await db.commit()
    book_id = uuid.uuid4()
    async with unit_scope(database) as scope:
        count = await notify_reviewers_of_submission(scope, book_id=book_id, title="Laskar")
    assert count >= 2
    for reviewer in (manager, support):
        [row] = await _rows(database, reviewer.id)
        assert (row.type, row.message, row.url) == (
            "book-submit",
            "Buku baru menunggu review: Laskar",
            f"/book/{book_id}",
        )
    assert await _rows(database, sales.id) == []
