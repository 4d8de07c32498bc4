"""The database unreachable (stopped, restarting, connections killed) is a 503 with
``Retry-After``, never a 500 (security.md D6). The battery (F1) found every request during a
PostgreSQL restart answering 500: a refused connect is a bare ``ConnectionRefusedError`` and a
starting server a DBAPIError with SQLSTATE 57P03, neither mapped."""

from __future__ import annotations

import socket

import pytest
from sqlalchemy.exc import DBAPIError, IntegrityError

from fixture_apps.factory import make_shop_app
from rlib.config import DatabaseConfig
from rlib.db.engine import Database
from rlib.db.outage import unreachable
from rlib.testing import app_client


class _DriverError(Exception):
    def __init__(self, message: str, sqlstate: str | None) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


def _wrapped(orig: Exception, *, invalidated: bool = False) -> DBAPIError:
    return DBAPIError("SELECT 1", {}, orig, connection_invalidated=invalidated)


@pytest.mark.parametrize(
    "error",
    [
        ConnectionRefusedError(111, "Connect call failed"),
        ConnectionResetError(104, "reset by peer"),
        _wrapped(_DriverError("the database system is starting up", "57P03")),
        _wrapped(_DriverError("terminating connection due to administrator command", "57P01")),
        _wrapped(_DriverError("connection does not exist", "08003")),
        _wrapped(_DriverError("too many connections", "53300")),
        _wrapped(RuntimeError("cannot switch to state 15"), invalidated=True),
    ],
    ids=["refused", "reset", "starting", "terminated", "08", "too-many", "invalidated"],
)
def test_an_unreachable_database_is_recognised(error: Exception) -> None:
    assert unreachable(error)
    chained = RuntimeError("in a handler")
    chained.__cause__ = error
    assert unreachable(chained)


@pytest.mark.parametrize(
    "error",
    [
        ValueError("bad"),
        IntegrityError("INSERT", {}, _DriverError("duplicate key", "23505")),
        _wrapped(_DriverError("syntax error", "42601")),
        OSError(28, "No space left on device"),
    ],
    ids=["value", "unique", "syntax", "disk-full"],
)
def test_other_errors_are_not(error: Exception) -> None:
    assert not unreachable(error)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # nothing listens once the probe is closed


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/api/shop/item/create", {"name": "x", "sku": "x"}),
        ("GET", "/api/shop/item/list", None),
    ],
    ids=["write", "native-read"],
)
async def test_a_request_while_postgres_refuses_connections_is_503(
    method: str, path: str, body: dict[str, str] | None
) -> None:
    url = f"postgresql+asyncpg://postgres@127.0.0.1:{_closed_port()}/nowhere"
    database = Database(DatabaseConfig(url=url, pool_size=1, pool_timeout_s=1))
    try:
        async with app_client(make_shop_app(database)) as http:
            response = await http.request(method, path, json=body)
    finally:
        await database.dispose()
    assert response.status_code == 503, response.text
    assert response.headers["retry-after"] == "1"
    assert response.json()["code"] == "service_unavailable"
