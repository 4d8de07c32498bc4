"""``/openapi.json`` and ``/docs``: the document and an interactive reference (Swagger UI).

Every asset is served from installed packages (Swagger UI from ``swagger-ui-bundle-v2``, pinned
in uv.lock), never a CDN. ``/docs`` shows every domain, ``/docs/<domain>`` one. Open to anyone
in development and tests; in production only to the configured staff user types (security.md
H1), and not mounted at all when none are configured. The endpoints are ``documented=False``,
so they never appear in the document or the client they serve.
"""

from __future__ import annotations

import html
import importlib.resources
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field
from starlette.responses import Response

from rlib.config import Environment, GenConfig, HostsConfig
from rlib.context import Ctx
from rlib.endpoint import PUBLIC, Endpoint, define_api
from rlib.errors import NotFoundError
from rlib.gen.check import document_text
from rlib.gen.openapi import build_openapi
from rlib.registry import Domain, Registry

TEMPLATES = Path(__file__).parent / "templates"
_PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'none'"
)
_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
_API_CSP = "default-src 'none'; frame-ancestors 'none'"
_TYPES = {".js": "text/javascript", ".css": "text/css", ".png": "image/png"}
_SWAGGER_FILES = ("swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png")


def swagger_dir() -> Path:
    """The vendored Swagger UI folder of the installed ``swagger-ui-bundle-v2``."""
    vendor = Path(str(importlib.resources.files("swagger_ui_bundle"))) / "vendor"
    (found,) = sorted(vendor.glob("swagger-ui-*"))
    return found


def assets() -> dict[str, Path]:
    """Asset name -> file: Swagger UI's own files, plus the page's starter script and style."""
    folder = swagger_dir()
    files = {name: folder / name for name in _SWAGGER_FILES}
    files["docs.js"] = TEMPLATES / "docs.js"
    files["docs.css"] = TEMPLATES / "docs.css"
    return files


class DomainRef(BaseModel):
    """One domain's page or document."""

    domain: str = Field(max_length=64)


class AssetRef(BaseModel):
    """One asset by file name."""

    name: str = Field(max_length=64)


def _headers(extra: dict[str, str]) -> dict[str, str]:
    return {**_HEADERS, **extra}


def page(title: str, spec_url: str, domains: list[str], current: str | None) -> str:
    """The HTML of one reference page (no inline script: the CSP forbids it)."""
    links = [("all", "/docs", current is None)]
    links += [(name, f"/docs/{name}", name == current) for name in domains]
    nav = " ".join(
        f'<a href="{href}"{" aria-current=page" if active else ""}>{html.escape(label)}</a>'
        for label, href, active in links
    )
    heading = html.escape(f"{title} · {current or 'all domains'}")
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{heading}</title>\n"
        '<link rel="icon" href="/docs/assets/favicon-32x32.png">\n'
        '<link rel="stylesheet" href="/docs/assets/swagger-ui.css">\n'
        '<link rel="stylesheet" href="/docs/assets/docs.css">\n</head>\n<body>\n'
        f'<nav class="domains">{html.escape(title)}: {nav}</nav>\n'
        f'<div id="swagger-ui" data-spec="{html.escape(spec_url)}"></div>\n'
        '<script src="/docs/assets/swagger-ui-bundle.js"></script>\n'
        '<script src="/docs/assets/docs.js"></script>\n</body>\n</html>\n'
    )


class Docs:
    """The documents (built once, on first use) and the endpoints that serve them."""

    def __init__(
        self, registry: Registry, config: GenConfig, hosts: HostsConfig | None = None
    ) -> None:
        self.config = config
        self.hosts = hosts or HostsConfig()
        self.registry = registry
        self.assets = assets()
        self._documents: dict[str | None, bytes] = {}

    def document(self, domain: str | None) -> bytes:
        """The JSON of the whole document, or of one domain's (built on first use)."""
        found = self._documents.get(domain)
        if found is None:
            doc = build_openapi(
                self.registry,
                title=self.config.title,
                version=self.config.version,
                domains=None if domain is None else {domain},
                hosts=self.hosts,
            )
            found = self._documents[domain] = document_text(doc).encode()
        return found

    @property
    def domains(self) -> list[str]:
        """The documented domains, sorted."""
        return sorted(
            name
            for name, endpoints in self.registry.endpoints.items()
            if any(e.documented for e in endpoints.values())
        )

    def _known(self, domain: str) -> str:
        if domain not in self.domains:
            raise NotFoundError("Domain")
        return domain

    def json(self, domain: str | None) -> Response:
        """The document as a response."""
        return Response(
            self.document(domain),
            media_type="application/json; charset=utf-8",
            headers=_headers({"Cache-Control": "no-store", "Content-Security-Policy": _API_CSP}),
        )

    def html(self, domain: str | None) -> Response:
        """A reference page as a response."""
        spec = "/openapi.json" if domain is None else f"/docs/{domain}/openapi.json"
        return Response(
            page(self.config.title, spec, self.domains, domain),
            media_type="text/html",
            headers=_headers({"Cache-Control": "no-store", "Content-Security-Policy": _PAGE_CSP}),
        )

    def asset(self, name: str) -> Response:
        """One asset file (a fixed list: no path from the request reaches the disk)."""
        path = self.assets.get(name)
        if path is None:
            raise NotFoundError("Asset")
        return Response(
            path.read_bytes(),
            media_type=_TYPES[path.suffix],
            headers=_headers(
                {"Cache-Control": "private, max-age=3600", "Content-Security-Policy": _API_CSP}
            ),
        )

    def endpoints(self, auth: str | frozenset[str]) -> list[Endpoint]:
        """The five GET endpoints, none of them documented."""

        async def whole_json(ctx: Ctx) -> Response:
            return self.json(None)

        async def domain_json(ctx: Ctx, payload: DomainRef) -> Response:
            return self.json(self._known(payload.domain))

        async def whole_page(ctx: Ctx) -> Response:
            return self.html(None)

        async def domain_page(ctx: Ctx, payload: DomainRef) -> Response:
            return self.html(self._known(payload.domain))

        async def asset(ctx: Ctx, payload: AssetRef) -> Response:
            return self.asset(payload.name)

        table: list[tuple[str, str, Callable[..., Any]]] = [
            ("openapi", "/openapi.json", whole_json),
            ("docs_domain_json", "/docs/{domain}/openapi.json", domain_json),
            ("docs", "/docs", whole_page),
            ("docs_domain", "/docs/{domain}", domain_page),
            ("docs_asset", "/docs/assets/{name}", asset),
        ]
        return [
            define_api(
                name=name,
                url=url,
                handler=handler,
                methods=("GET",),
                auth=auth,
                documented=False,
            )
            for name, url, handler in table
        ]


# The reference joins the root group (built-ins answering on every host); the name is the
# string, not rlib.health.ROOT, so gen does not import sideways.
DOCS_DOMAIN = "root"


def add_docs(
    registry: Registry, config: GenConfig, env: Environment, hosts: HostsConfig | None = None
) -> Registry:
    """Mount the reference: open outside production, staff-only in it (or not at all)."""
    if env == "production" and not config.docs_user_types:
        return registry
    auth: str | frozenset[str] = (
        frozenset(config.docs_user_types) if env == "production" else PUBLIC
    )
    docs = Docs(registry, config, hosts)
    registry.add(Domain(name=DOCS_DOMAIN), docs.endpoints(auth))
    return registry
