"""Same JSON before any timing: a sample of each page's rotation goes to every app serving it;
the parsed bodies (envelope, data and pagination) must be equal to O's, else the run aborts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from bench.check import MismatchError
from bench.servers import Server
from bench.store.pages import Page

SAMPLE = 50


def _first_difference(left: Any, right: Any, path: str = "") -> str:
    if isinstance(left, dict) and isinstance(right, dict):
        for key in sorted(set(left) | set(right)):
            if left.get(key) != right.get(key):
                return _first_difference(left.get(key), right.get(key), f"{path}.{key}")
    if isinstance(left, list) and isinstance(right, list) and len(left) == len(right):
        for i, (a, b) in enumerate(zip(left, right, strict=True)):
            if a != b:
                return _first_difference(a, b, f"{path}[{i}]")
    return f"{path or 'body'}: {left!r} != {right!r}"


async def check_page(page: Page, servers: Mapping[str, Server]) -> int:
    """Compare the first ``SAMPLE`` URLs of ``page`` across its apps; returns how many."""
    sample = page.urls[:SAMPLE]
    async with httpx.AsyncClient(timeout=60) as http:
        for url in sample:
            bodies: dict[str, Any] = {}
            for app in page.apps:
                response = await http.get(servers[app].base_url + url)
                if response.status_code != 200:
                    raise MismatchError(f"{page.name}: {app} answered {response.status_code} {url}")
                bodies[app] = response.json()
            for app, body in bodies.items():
                if body != bodies["O"]:
                    where = _first_difference(body, bodies["O"])
                    raise MismatchError(f"{page.name}: {app} differs from O on {url}: {where}")
    return len(sample)
