"""X-Request-ID in and out, and one JSON log line per request."""

import json
import logging

from rlib.observe import JsonFormatter


async def test_request_id_is_echoed_when_safe(client):
    response = await client.get("/api/health", headers={"x-request-id": "abc-123"})
    assert response.headers["x-request-id"] == "abc-123"


async def test_unsafe_or_missing_request_id_is_replaced(client):
    response = await client.get("/api/health", headers={"x-request-id": "bad id\n"})
    assert response.headers["x-request-id"] != "bad id\n"
    assert len(response.headers["x-request-id"]) == 32
    other = await client.get("/api/health")
    assert other.headers["x-request-id"] != response.headers["x-request-id"]


async def test_one_json_log_line_per_request(client, caplog):
    with caplog.at_level(logging.INFO, logger="rlib.access"):
        await client.get("/nowhere", headers={"x-request-id": "r-1"})
    records = [r for r in caplog.records if r.name == "rlib.access"]
    assert len(records) == 1
    line = json.loads(JsonFormatter().format(records[0]))
    assert line["method"] == "GET"
    assert line["path"] == "/nowhere"
    assert line["status"] == 404
    assert line["request_id"] == "r-1"
    assert line["duration_ms"] >= 0


def test_secrets_never_reach_a_log_line():
    record = logging.makeLogRecord(
        {
            "name": "rlib.auth",
            "levelno": logging.INFO,
            "levelname": "INFO",
            "msg": "redirect to /verify-email?token=abc123&next=/home",
            "password": "hunter2",
            "user": {"email": "a@b.id", "session_token": "s3cr3t"},
            "bank_account_number": "1234567890",
            "path": "/api/auth/reset?code=999999",
        }
    )
    line = JsonFormatter().format(record)
    for secret in ("abc123", "hunter2", "s3cr3t", "999999", "123456"):
        assert secret not in line
    entry = json.loads(line)
    assert entry["bank_account_number"] == "******7890"
    assert entry["user"]["email"] == "a@b.id"
    assert "next=/home" in entry["msg"]
