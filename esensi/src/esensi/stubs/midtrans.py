"""A local Midtrans stand-in: Snap creation, the Core status API, the staff actions, and
signed webhooks on demand — so tests and ``make demo`` buy a book without network access.

Run it with ``esensi midtrans-standin --port 8021`` and point the app at it
(``ESENSI_MIDTRANS__SNAP_URL=http://127.0.0.1:8021/snap/v1``,
``ESENSI_MIDTRANS__API_URL=http://127.0.0.1:8021``). Then settle an order as the customer's
bank would::

    curl -X POST http://127.0.0.1:8021/_standin/settle/ESN-...

which marks it settled and posts a correctly signed notification to the app (the
``--notify-url`` given at start, else the URL the app sent with Snap creation). Other
outcomes: ``expire``, ``deny``, ``cancel``, ``pending``, ``challenge``, ``capture``.
``POST /_standin/mode {"snap": "reject"|"timeout"|"error"|"ok", "status": "down"|"ok"}``
makes the next calls fail the way Midtrans can. State lives in memory.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from esensi.gateways.midtrans import signature

# What each outcome looks like at Midtrans: (transaction_status, status_code, fraud_status).
OUTCOMES: dict[str, tuple[str, str, str | None]] = {
    "settle": ("settlement", "200", "accept"),
    "capture": ("capture", "200", "accept"),
    "challenge": ("capture", "201", "challenge"),
    "pending": ("pending", "201", None),
    "expire": ("expire", "407", None),
    "deny": ("deny", "202", "deny"),
    "cancel": ("cancel", "200", None),
    "refund": ("refund", "200", None),
    "approve": ("capture", "200", "accept"),
}
ACTIONS = {"approve", "deny", "cancel", "expire", "refund"}


@dataclass
class StandInOrder:
    order_id: str
    gross_amount: str
    transaction_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    transaction_status: str = "pending"
    status_code: str = "201"
    fraud_status: str | None = None
    payment_type: str = "bank_transfer"
    notify_url: str | None = None

    def body(self, server_key: str) -> dict[str, Any]:
        return {
            "order_id": self.order_id,
            "transaction_id": self.transaction_id,
            "transaction_status": self.transaction_status,
            "status_code": self.status_code,
            "gross_amount": self.gross_amount,
            "fraud_status": self.fraud_status,
            "payment_type": self.payment_type,
            "currency": "IDR",
            "signature_key": signature(
                self.order_id, self.status_code, self.gross_amount, server_key
            ),
        }


@dataclass
class StandInState:
    server_key: str
    notify_url: str | None = None
    orders: dict[str, StandInOrder] = field(default_factory=dict)
    snap_mode: str = "ok"
    status_mode: str = "ok"
    delay_s: float = 3.0
    snap_requests: list[dict[str, Any]] = field(default_factory=list)
    # Tests route the webhook to an in-process app; None: real HTTP.
    notify_transport: httpx.AsyncBaseTransport | None = None


class _StandIn:
    """The stand-in's request handlers over one :class:`StandInState`."""

    def __init__(self, state: StandInState) -> None:
        self.state = state

    async def snap_create(self, request: Request) -> JSONResponse:
        state = self.state
        body = await request.json()
        state.snap_requests.append(body)
        if state.snap_mode == "timeout":
            await asyncio.sleep(state.delay_s)
        if state.snap_mode == "reject":
            return JSONResponse({"error_messages": ["transaction_details is invalid"]}, 400)
        if state.snap_mode == "error":
            return JSONResponse({"error_messages": ["internal error"]}, 500)
        details = body.get("transaction_details") or {}
        order_id = str(details.get("order_id", ""))
        amount = _amount(details.get("gross_amount"))
        order = state.orders.setdefault(order_id, StandInOrder(order_id, amount))
        order.gross_amount = amount
        order.notify_url = request.headers.get("x-override-notification") or order.notify_url
        token = uuid.uuid4().hex
        redirect = f"{request.base_url}snap/v2/vtweb/{token}"
        return JSONResponse({"token": token, "redirect_url": redirect}, 201)

    def _order(self, request: Request) -> StandInOrder | None:
        return self.state.orders.get(request.path_params["order_id"])

    async def status(self, request: Request) -> JSONResponse:
        if self.state.status_mode == "down":
            return JSONResponse({"status_code": "500"}, 503)
        order = self._order(request)
        if order is None:
            return JSONResponse({"status_code": "404", "status_message": "not found"}, 404)
        return JSONResponse(order.body(self.state.server_key))

    async def action(self, request: Request) -> JSONResponse:
        if self.state.status_mode == "down":
            return JSONResponse({"status_code": "500"}, 503)
        name = request.path_params["action"]
        order = self._order(request)
        if name not in ACTIONS or order is None:
            return JSONResponse({"status_code": "404", "status_message": "not found"}, 404)
        _apply(order, name)
        return JSONResponse(order.body(self.state.server_key))

    async def outcome(self, request: Request) -> JSONResponse:
        name = request.path_params["outcome"]
        order = self._order(request)
        if name not in OUTCOMES or order is None:
            return JSONResponse({"error": "unknown order or outcome"}, 404)
        _apply(order, name)
        answer = await _notify(self.state, order)
        return JSONResponse({"order": order.body(self.state.server_key), "webhook": answer})

    async def mode(self, request: Request) -> JSONResponse:
        body = await request.json()
        self.state.snap_mode = str(body.get("snap", self.state.snap_mode))
        self.state.status_mode = str(body.get("status", self.state.status_mode))
        return JSONResponse({"snap": self.state.snap_mode, "status": self.state.status_mode})


def build_standin(state: StandInState) -> Starlette:
    """The stand-in's ASGI app over ``state``."""
    handlers = _StandIn(state)
    return Starlette(
        routes=[
            Route("/snap/v1/transactions", handlers.snap_create, methods=["POST"]),
            Route("/v2/{order_id}/status", handlers.status, methods=["GET"]),
            Route("/v2/{order_id}/{action}", handlers.action, methods=["POST"]),
            Route("/_standin/mode", handlers.mode, methods=["POST"]),
            Route("/_standin/{outcome}/{order_id}", handlers.outcome, methods=["POST"]),
        ]
    )


def _amount(value: object) -> str:
    # Midtrans writes amounts with two decimals ("45000.00"); the webhook signs that text.
    try:
        return f"{float(str(value)):.2f}"
    except ValueError:
        return "0.00"


def _apply(order: StandInOrder, name: str) -> None:
    order.transaction_status, order.status_code, order.fraud_status = OUTCOMES[name]


async def _notify(state: StandInState, order: StandInOrder) -> dict[str, Any]:
    url = state.notify_url or order.notify_url
    if url is None:
        return {"sent": False, "reason": "no notification URL"}
    try:
        async with httpx.AsyncClient(transport=state.notify_transport, timeout=30) as http:
            response = await http.post(url, json=order.body(state.server_key))
    except httpx.HTTPError as exc:
        return {"sent": False, "reason": type(exc).__name__}
    return {"sent": True, "status": response.status_code}
