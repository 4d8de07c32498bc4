"""Page endpoints for a browser: the SPA's ``index.html`` with the page's data embedded.

An endpoint declared with ``page=True`` answers a GET whose ``Accept`` prefers ``text/html``
(a browser navigating) with the frontend build's ``index.html`` when ``RlibConfig.index_html``
names one; the same envelope the JSON answer carries (success or error, same status) sits in
``<script id="page-data" type="application/json">`` before ``</head>``. Everything else gets JSON.

The JSON is made safe inside ``<script>``: ``<``, ``>``, ``&`` and the two JavaScript line
separators are written as ``\\uXXXX`` escapes, which JSON.parse reads back unchanged, so no data
can close the element or open a comment.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

DATA_ELEMENT_ID = "page-data"
HTML_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-type", b"text/html; charset=utf-8"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data: https:; style-src 'self' 'unsafe-inline'; "
        b"connect-src 'self' https: wss:; object-src 'none'; base-uri 'self'; "
        b"frame-ancestors 'none'",
    ),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
)
_SCRIPT_UNSAFE = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def script_safe(json_body: bytes) -> bytes:
    """``json_body`` with every character that could end a ``<script>`` element escaped."""
    return json_body.decode("utf-8").translate(_SCRIPT_UNSAFE).encode("utf-8")


def _quality(params: list[str]) -> float:
    for param in params:
        name, _, value = param.strip().partition("=")
        if name.strip().lower() == "q":
            try:
                return float(value)
            except ValueError:
                return 0.0
    return 1.0


def wants_html(accept: str | None) -> bool:
    """True when ``Accept`` names ``text/html`` and ranks it at least as high as JSON."""
    if not accept:
        return False
    ranks: dict[str, float] = {}
    for media_range in accept.split(","):
        kind, *params = media_range.split(";")
        ranks[kind.strip().lower()] = _quality(params)
    html = ranks.get("text/html", 0.0)
    json = ranks.get("application/json", ranks.get("application/*", ranks.get("*/*", 0.0)))
    return html > 0 and html >= json


@dataclass(slots=True)
class PageShell:
    """The frontend build's ``index.html``, read again when the file changes."""

    path: str
    _mtime: float = -1.0
    _html: bytes = b""

    def _template(self) -> bytes:
        mtime = os.stat(self.path).st_mtime
        if mtime != self._mtime:
            with open(self.path, "rb") as handle:
                self._html = handle.read()
            self._mtime = mtime
        return self._html

    def render(self, envelope: bytes) -> bytes:
        """The shell with ``envelope`` embedded before ``</head>`` (else ``</body>``, else at
        the end)."""
        html = self._template()
        element = (
            b'<script id="'
            + DATA_ELEMENT_ID.encode()
            + b'" type="application/json">'
            + script_safe(envelope)
            + b"</script>"
        )
        lowered = html.lower()
        for marker in (b"</head>", b"</body>"):
            at = lowered.find(marker)
            if at >= 0:
                return html[:at] + element + html[at:]
        return html + element
