"""The contract fuzzing's judge (battery C1-C6, C9) flags what it must, without a server."""

import datetime as dt

import httpx
import pytest
from contract_helpers import (
    API_HEADERS,
    JSON_TYPE,
    Tally,
    admitted,
    judge,
    missing_headers,
    operations,
    prepared,
)


def _operation(label: str):
    return next(op for op in operations() if op.label == label)


@pytest.mark.parametrize(
    ("access", "context", "expected"),
    [
        ("public", "anonymous", "open"),
        ("gateway", "customer", "open"),
        ("any", "anonymous", "401"),
        ("any", "affiliate", "open"),
        ("author, publisher", "customer", "403"),
        ("internal:management, internal:support", "internal", "open"),
        ("internal:management, internal:support", "internal:it", "403"),
        ("internal:management, internal:support", "internal:support", "open"),
        ("customer, internal:support", "internal:support", "open"),
    ],
)
def test_admitted_follows_the_declared_access(access, context, expected):
    assert admitted(access, context) == expected


def _answer(request: httpx.Request, status: int, body: dict) -> httpx.Response:
    answer = httpx.Response(status, json=body, request=request)
    answer.elapsed = dt.timedelta(0)
    return answer


def test_the_judge_flags_a_5xx_an_ignored_auth_and_a_wrong_denial():
    operation = _operation("GET /api/publish/book/list")
    case = operation.Case(query={})
    request = prepared(case, {"Authorization": "Bearer x"})
    tally = Tally()
    ok = {"success": True, "data": [], "message": "", "status": 200}
    judge(tally, case, "customer", request, _answer(request, 200, ok))
    error = {"success": False, "data": None, "message": "", "status": 500, "code": "x"}
    judge(tally, case, "author", request, _answer(request, 500, error))
    refused = {**error, "status": 422, "code": "validation_error"}
    judge(tally, case, "anonymous", request, _answer(request, 422, refused))
    assert tally.count("ignored_auth") == 1
    assert tally.count("server_error") == 1
    assert tally.count("denial_status") == 1
    assert tally.count("schema") >= 1  # the 500 is not in the document
    assert tally.requests == 3


def test_a_context_drops_the_credentials_schemathesis_made_up():
    operation = _operation("GET /api/publish/book/list")
    case = operation.Case(query={}, cookies={"session": "made-up"})
    assert "cookie" not in prepared(case, {"Authorization": "Bearer x"}).headers
    assert "session=made-up" in prepared(case, {}).headers["cookie"]


def _with(headers: dict[str, str], status: int = 200) -> httpx.Response:
    return httpx.Response(status, headers=headers, content=b"{}")


def test_the_header_check_names_each_missing_or_wrong_h1_header():
    full = {"content-type": JSON_TYPE, **API_HEADERS, "cache-control": "no-store"}
    assert missing_headers("/api/publish/book/list", "author", _with(full)) == []
    no_hsts = {k: v for k, v in full.items() if k != "strict-transport-security"}
    assert missing_headers("/api/x", "author", _with(no_hsts)) == [
        "strict-transport-security: None"
    ]
    cached = {**full, "cache-control": "private, no-cache"}
    assert missing_headers("/api/x", "author", _with(cached)) == [
        "cache-control: private, no-cache"
    ]
    assert missing_headers("/api/x", "public", _with(cached)) == []
    assert missing_headers("/api/auth/session", "public", _with(cached)) != []
    file_answer = {
        "content-type": "image/png",
        "x-content-type-options": "nosniff",
        "strict-transport-security": API_HEADERS["strict-transport-security"],
    }
    assert missing_headers("/_file/upload/a.png", "public", _with(file_answer)) == []
    latin = {**full, "content-type": "application/json"}
    assert missing_headers("/api/x", "public", _with(latin)) == ["content-type: application/json"]
