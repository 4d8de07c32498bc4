"""``/demo/notifications``: sign in as a demo user and watch notifications arrive live.

One self-contained page (``notifications.html``, no build step): it signs in through
``/api/auth/sign-in/email``, opens
``/ws/notif`` with the session cookie, lists what ``connected`` brings, adds ``new-notif`` and
``broadcast`` frames as they come, marks read through ``/api/notif/read``, and reconnects with
``{"after_id": N}`` when the socket drops. Staff get a form that sends an announcement to everyone
(``/api/internal/notif/create``), so a second tab shows delivery. Text is set with
``textContent`` only; the script runs under a per-response CSP nonce.
"""

from __future__ import annotations

import functools
import secrets
from pathlib import Path

from starlette.responses import HTMLResponse

from rlib import Ctx, Domain, define_api

DEMO = Domain(name="demo", prefix="/demo", auth=frozenset({"public"}))

PAGE = Path(__file__).with_suffix(".html")


@functools.cache
def _page() -> str:
    return PAGE.read_text(encoding="utf-8")


@define_api(
    name="demo_notifications",
    url="/notifications",
    methods=("GET",),
    auth="public",
    documented=False,  # a development page, not part of the API
)
async def demo_notifications(ctx: Ctx) -> HTMLResponse:
    """The demo page (development only)."""
    nonce = secrets.token_urlsafe(16)
    policy = (
        f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; "
        "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    )
    headers = {"Content-Security-Policy": policy, "Cache-Control": "no-store"}
    return HTMLResponse(_page().replace("__NONCE__", nonce), headers=headers)


DEMO_ENDPOINTS = (demo_notifications,)
