"""Midtrans over httpx: Snap creation, the Core status API and the staff actions.

A definite refusal (HTTP 4xx, or a 4xx ``status_code`` in a 200 body, which Midtrans also
does) is :class:`GatewayRejected`; a timeout, 5xx or connection failure is
:class:`GatewayUnavailable` — the caller then retries later instead of changing the order.
The server key is sent as Basic auth and is never logged.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import logging
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import quote

import httpx

from esensi.settings import MidtransSettings

logger = logging.getLogger("esensi.midtrans")

Action = Literal["approve", "deny", "cancel", "expire", "refund"]


class GatewayError(Exception):
    """A Midtrans call did not give a usable answer."""

    def __init__(self, message: str, *, status: int | None = None, body: Any = None) -> None:
        super().__init__(message)
        self.status = status
        self.body = body


class GatewayRejected(GatewayError):
    """Midtrans refused the request for good (4xx): retrying the same request cannot help."""


class GatewayUnavailable(GatewayError):
    """Timeout, 5xx or no connection: the outcome is unknown, retry later."""


@dataclass(frozen=True, slots=True)
class SnapToken:
    token: str
    redirect_url: str


@dataclass(frozen=True, slots=True)
class GatewayStatus:
    """The status API's answer: the authoritative state of one order at Midtrans."""

    order_id: str
    transaction_status: str
    status_code: str
    gross_amount: str | None
    fraud_status: str | None
    payment_type: str | None
    transaction_id: str | None
    raw: dict[str, Any]


def signature(order_id: str, status_code: str, gross_amount: str, server_key: str) -> str:
    """Midtrans' notification signature: SHA-512 hex of the four strings joined."""
    text = f"{order_id}{status_code}{gross_amount}{server_key}"
    return hashlib.sha512(text.encode()).hexdigest()


def signature_matches(payload: Mapping[str, Any], server_key: str) -> bool:
    """Constant-time check of a notification's ``signature_key`` (security.md M1)."""
    expected = signature(
        str(payload["order_id"]),
        str(payload["status_code"]),
        str(payload["gross_amount"]),
        server_key,
    )
    return hmac.compare_digest(expected.encode(), str(payload["signature_key"]).encode())


@functools.cache
def _tls() -> ssl.SSLContext:
    # Loading the CA bundle costs tens of milliseconds: once per process, not per call.
    return ssl.create_default_context()


class MidtransClient:
    """One client per call site; ``transport`` lets tests route to an in-process app."""

    def __init__(
        self, settings: MidtransSettings, *, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self.settings = settings
        self._transport = transport

    def _client(self, timeout_s: float) -> httpx.AsyncClient:
        key = self.settings.server_key.get_secret_value()
        return httpx.AsyncClient(
            auth=httpx.BasicAuth(key, ""),
            timeout=httpx.Timeout(timeout_s),
            headers={"Accept": "application/json"},
            transport=self._transport,
            verify=_tls(),
        )

    async def create_snap(self, body: Mapping[str, Any]) -> SnapToken:
        """``POST {snap_url}/transactions``: a Snap token and redirect URL for one order."""
        headers = {}
        if self.settings.notification_url:
            headers["X-Override-Notification"] = self.settings.notification_url
        url = self.settings.snap_url.rstrip("/") + "/transactions"
        answer = await self._call(
            "POST", url, self.settings.snap_timeout_s, json=dict(body), headers=headers
        )
        token, redirect = answer.get("token"), answer.get("redirect_url")
        if not isinstance(token, str) or not isinstance(redirect, str):
            raise GatewayUnavailable("snap answered without a token", body=answer)
        return SnapToken(token=token, redirect_url=redirect)

    async def status(self, order_id: str) -> GatewayStatus:
        """``GET {api_url}/v2/{order_id}/status``; an order Midtrans never saw is rejected."""
        url = f"{self.settings.api_url.rstrip('/')}/v2/{quote(order_id, safe='')}/status"
        return _status(await self._call("GET", url, self.settings.status_timeout_s))

    async def action(
        self, order_id: str, action: Action, body: Mapping[str, Any] | None = None
    ) -> GatewayStatus:
        """``POST {api_url}/v2/{order_id}/{action}`` (approve, deny, cancel, expire, refund)."""
        url = f"{self.settings.api_url.rstrip('/')}/v2/{quote(order_id, safe='')}/{action}"
        answer = await self._call(
            "POST", url, self.settings.status_timeout_s, json=dict(body or {})
        )
        return _status({"order_id": order_id, **answer})

    async def _call(
        self,
        method: str,
        url: str,
        timeout_s: float,
        *,
        json: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        try:
            async with self._client(timeout_s) as http:
                response = await http.request(method, url, json=json, headers=headers)
        except httpx.HTTPError as exc:
            logger.warning("midtrans unreachable", extra={"error": type(exc).__name__})
            raise GatewayUnavailable(type(exc).__name__) from exc
        return _answer(response)


def _answer(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        body = None
    if response.status_code >= 500 or not isinstance(body, dict):
        raise GatewayUnavailable(f"midtrans {response.status_code}", status=response.status_code)
    if response.status_code >= 400:
        raise GatewayRejected(
            f"midtrans {response.status_code}", status=response.status_code, body=body
        )
    # The Core API answers HTTP 200 with the outcome in ``status_code``; a transaction's own
    # code (407 expired, 202 denied) comes with its ``transaction_status`` and is no error.
    code = str(body.get("status_code") or "200")
    if "transaction_status" in body or not code.isdigit():
        return body
    if int(code) >= 500:
        raise GatewayUnavailable(f"midtrans {code}", status=int(code), body=body)
    if int(code) >= 400:
        raise GatewayRejected(f"midtrans {code}", status=int(code), body=body)
    return body


def _status(body: dict[str, Any]) -> GatewayStatus:
    status = body.get("transaction_status")
    if not isinstance(status, str):
        raise GatewayUnavailable("status answer without transaction_status", body=body)

    def text(key: str) -> str | None:
        value = body.get(key)
        return None if value is None else str(value)

    return GatewayStatus(
        order_id=str(body.get("order_id", "")),
        transaction_status=status,
        status_code=str(body.get("status_code", "200")),
        gross_amount=text("gross_amount"),
        fraud_status=text("fraud_status"),
        payment_type=text("payment_type"),
        transaction_id=text("transaction_id"),
        raw=body,
    )
