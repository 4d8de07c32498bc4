"""Battery P: Hypothesis properties of the parsers we own, and the stateful CRUD model at a
larger size under ``make battery`` (issue 19, deliverable 7).

Each parser gets arbitrary input and must either answer or refuse with the framework's own
422 (``ValidationError``) — any other exception would be a 500 in production — and what it
accepts must keep its promise (a redirect stays on a configured origin, a signature matches
only its own amount).
"""

from __future__ import annotations

import base64
import contextlib
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import orjson
import pytest
from battery_support import Battery, sized
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Column, DateTime, Integer, String
from test_crud_stateful import NovelMachine

from esensi.gateways.midtrans import signature, signature_matches
from esensi.services import editorjs
from rlib.auth.redirects import safe_redirect
from rlib.crud.query import decode_cursor, parse_order
from rlib.errors import ValidationError

ORIGINS = ("https://esensi.online", "https://publish.esensi.online")
DEFAULT = "https://esensi.online"
EXAMPLES = sized(ci=150, report=4000)
PROPERTY = settings(max_examples=EXAMPLES, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)
url_like = st.one_of(
    st.text(),
    st.builds(
        lambda scheme, host, rest: f"{scheme}{host}{rest}",
        st.sampled_from(["https://", "http://", "//", "/", "\\\\", "javascript:", "HTTPS://", ""]),
        st.sampled_from(["esensi.online", "evil.test", "esensi.online@evil.test", "ESENSI.online"]),
        st.text(alphabet="/\\@:.?#%a\t\n ", max_size=8),
    ),
)


def _failures(check: Any) -> int:
    """Run a Hypothesis property; 0 when it holds, 1 when Hypothesis found a counterexample."""
    try:
        check()
    except AssertionError:
        return 1
    return 0


@pytest.mark.battery
def test_the_redirect_validator_never_leaves_the_configured_origins(battery: Battery) -> None:
    @PROPERTY
    @given(url_like)
    def holds(target: str) -> None:
        url = safe_redirect(target, origins=ORIGINS, default_origin=DEFAULT)
        if url is not None:
            parts = urlsplit(url)
            assert f"{parts.scheme}://{parts.netloc}".lower() in ORIGINS
            assert parts.username is None
            assert not any(ch in url for ch in "\\\t\r\n\x00")

    found = _failures(holds)
    battery.check("P1", f"redirect targets escaping the origins ({EXAMPLES} examples)", "= 0",
                  found, found == 0)  # fmt: skip


@pytest.mark.battery
def test_the_webhook_signature_matches_only_its_own_fields(battery: Battery) -> None:
    key = "SB-Mid-server-battery"
    scalars = st.one_of(st.text(), st.integers(), st.floats(allow_nan=False), st.none())

    @PROPERTY
    @given(scalars, scalars, scalars, scalars, st.text(max_size=12))
    def holds(order: Any, status: Any, amount: Any, presented: Any, other_amount: str) -> None:
        payload = {"order_id": order, "status_code": status, "gross_amount": amount}
        payload["signature_key"] = presented
        signature_matches(payload, key)  # any value types: an answer, never an exception
        signed = signature(str(order), str(status), str(amount), key)
        assert signature_matches({**payload, "signature_key": signed}, key)
        if other_amount != str(amount):
            assert not signature_matches(
                {**payload, "gross_amount": other_amount, "signature_key": signed}, key
            )

    found = _failures(holds)
    battery.check("P2", f"webhook signatures misjudged ({EXAMPLES} examples)", "= 0",
                  found, found == 0)  # fmt: skip


@pytest.mark.battery
def test_editorjs_content_is_accepted_or_refused_with_a_422(battery: Battery) -> None:
    blocks = st.lists(
        st.fixed_dictionaries(
            {"type": st.sampled_from(["paragraph", "header", "list", "image", "quote", "x"])},
            optional={"data": json_values, "id": st.text(max_size=5), "tunes": json_values},
        ),
        max_size=6,
    )
    documents = st.one_of(
        st.dictionaries(st.text(max_size=8), json_values, max_size=4),
        st.fixed_dictionaries({"blocks": blocks}, optional={"time": json_values}),
    )

    @PROPERTY
    @given(documents)
    def holds(document: dict[str, Any]) -> None:
        with contextlib.suppress(ValidationError):
            editorjs.check(document, ("body", "content"))

    found = _failures(holds) + _crashes(holds)
    battery.check("P3", f"Editor.js documents raising other than 422 ({EXAMPLES} examples)",
                  "= 0", found, found == 0)  # fmt: skip


@pytest.mark.battery
def test_cursor_and_sort_parameters_are_accepted_or_refused_with_a_422(battery: Battery) -> None:
    columns = [Column("n", Integer()), Column("name", String(20)), Column("at", DateTime())]
    sortable = frozenset({"n", "name", "at"})
    cursors = st.one_of(
        st.text(),
        json_values.map(lambda v: base64.urlsafe_b64encode(orjson.dumps(v)).decode()),
    )

    @PROPERTY
    @given(cursors, st.one_of(st.text(), st.lists(st.text(), max_size=4)))
    def holds(cursor: str, order_by: str | list[str]) -> None:
        for parse in (lambda: decode_cursor(cursor, columns), lambda: parse_order(order_by,
                      sortable, (("n", False),))):  # fmt: skip
            with contextlib.suppress(ValidationError):
                parse()

    found = _failures(holds) + _crashes(holds)
    battery.check("P4", f"cursor/order_by values raising other than 422 ({EXAMPLES} examples)",
                  "= 0", found, found == 0)  # fmt: skip


@pytest.mark.battery
@pytest.mark.slow
def test_the_stateful_crud_model_at_the_battery_size(battery: Battery) -> None:
    examples, steps = sized(ci=4, report=60), sized(ci=10, report=40)
    with tempfile.TemporaryDirectory() as folder:
        NovelMachine.backend, NovelMachine.folder = "sqlite", Path(folder)
        machine = NovelMachine.TestCase
        machine.settings = settings(
            max_examples=examples,
            stateful_step_count=steps,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        )
        found = _failures(lambda: machine().runTest())
    battery.check("P5", f"CRUD model disagreements ({examples} runs x {steps} steps)", "= 0",
                  found, found == 0)  # fmt: skip


def _crashes(check: Any) -> int:
    """0 when a property raised nothing but AssertionError (already counted by _failures)."""
    try:
        check()
    except AssertionError:
        return 0
    except Exception:
        return 1
    return 0
