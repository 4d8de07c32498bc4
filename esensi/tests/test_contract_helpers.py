"""The contract fuzzing's judge (battery C1-C6) flags what it must, without a server."""

import datetime as dt

import httpx
import pytest
from contract_helpers import Tally, admitted, judge, operations, prepared


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
