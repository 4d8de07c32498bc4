"""Runs one endpoint: route, auth, parse + validate, handler, commit, after-commit, envelope.

Every outcome, success or error, leaves as the envelope with the real HTTP status and the
security headers. Database errors caused by input become 409/422; anything unexpected is a
500 with a generic message, logged with the request id and never leaking the trace.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any, Protocol

import pydantic
from sqlalchemy import MetaData
from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from rlib.auth.policy import check_access
from rlib.config import RlibConfig
from rlib.context import Ctx
from rlib.db.engine import Database
from rlib.db.integrity import map_db_error
from rlib.db.outage import unreachable
from rlib.envelope import Page, PlainWire, dumps, error_body, success_body
from rlib.errors import (
    FieldError,
    MethodNotAllowedError,
    RlibError,
    RouteNotFoundError,
    ServiceUnavailableError,
    ValidationError,
)
from rlib.httpcache import HttpCache, apply_policy
from rlib.i18n import Catalogue, Lang, field_error_from_pydantic, pick_lang, render_field_error
from rlib.limits import (
    check_declared,
    check_query_size,
    merge_path_params,
    parse_json,
    parse_query,
    read_body,
    require_json,
)
from rlib.observe import request_id_of
from rlib.output import OutputRenderer
from rlib.pageshell import HTML_HEADERS, PageShell, wants_html
from rlib.registry import Route
from rlib.routing import Router, WrongMethod

logger = logging.getLogger("rlib.runner")

SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-type", b"application/json; charset=utf-8"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
)
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


class Authenticator(Protocol):
    """Fills ``ctx.user`` from the request, or leaves it None (provided by the auth layer).

    Called for every route, public ones included. The runner then checks the route's access:
    401 without a user on a protected route, 403 when the user's types are not admitted.
    """

    async def __call__(self, ctx: Ctx, route: Route) -> None: ...


async def send_json(
    send: Send,
    status: int,
    body: bytes,
    headers: Mapping[str, str] | None = None,
    *,
    base: tuple[tuple[bytes, bytes], ...] = SECURITY_HEADERS,
) -> None:
    """Send a complete response with the security headers (JSON unless ``base`` says else)."""
    raw = [*base, (b"content-length", str(len(body)).encode())]
    raw.extend(
        (k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in (headers or {}).items()
    )
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


async def send_not_modified(send: Send, headers: Mapping[str, str]) -> None:
    """A 304: the validator and cache headers, the security headers, no body."""
    raw = [pair for pair in SECURITY_HEADERS if pair[0] != b"content-type"]
    raw.extend((k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items())
    await send({"type": "http.response.start", "status": 304, "headers": raw})
    await send({"type": "http.response.body", "body": b""})


class Runner:
    """The HTTP edge of every endpoint."""

    def __init__(
        self,
        *,
        router: Router[Route],
        database: Callable[[], Database],
        catalogue: Catalogue,
        config: RlibConfig,
        settings: object = None,
        metadata: MetaData | None = None,
        authenticator: Authenticator | None = None,
    ) -> None:
        self.router = router
        self._database = database
        self.catalogue = catalogue
        self.config = config
        self.settings = settings
        self.metadata = metadata
        self.authenticator = authenticator
        self.output = OutputRenderer()
        self.page_shell = PageShell(config.index_html) if config.index_html else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request_id = request_id_of(scope)
        lang = pick_lang(_header(scope, b"accept-language"))
        wire: PlainWire | None = None
        shell: PageShell | None = None
        try:
            route, params = self._route(scope)
            wire = route.endpoint.wire
            shell = self._shell_for(route, scope)
            await self._run(route, params, scope, receive, send, lang, request_id)
        except RlibError as error:
            await self._send_error(send, error, lang, request_id, wire, shell)
        except Exception as exc:
            if unreachable(exc):  # the database (or a server it needed) is down: D6
                logger.warning(
                    "dependency unreachable: %s",
                    type(exc).__name__,
                    extra={"request_id": request_id},
                )
                down = ServiceUnavailableError(retry_after=1)
                await self._send_error(send, down, lang, request_id, wire, shell)
                return
            logger.exception("unhandled error", extra={"request_id": request_id})
            await self._send_error(send, RlibError(), lang, request_id, wire, shell)

    def _shell_for(self, route: Route, scope: Scope) -> PageShell | None:
        """The SPA shell when a browser GETs a page endpoint and a frontend is configured."""
        if self.page_shell is None or not route.endpoint.page:
            return None
        if scope["method"] not in ("GET", "HEAD"):
            return None
        return self.page_shell if wants_html(_header(scope, b"accept")) else None

    def _route(self, scope: Scope) -> tuple[Route, dict[str, object]]:
        host_key = self.config.hosts.key_for(_header(scope, b"host"))
        method = "GET" if scope["method"] == "HEAD" else scope["method"]
        found = self.router.match(host_key, method, scope["path"])
        if found is None:
            raise RouteNotFoundError()
        if isinstance(found, WrongMethod):
            raise MethodNotAllowedError(found.allowed)
        # For the request metrics (rlib.observe): labels from the registry, not the path.
        scope["state"]["route"] = found.target
        return found.target, found.params

    async def _run(
        self,
        route: Route,
        params: dict[str, object],
        scope: Scope,
        receive: Receive,
        send: Send,
        lang: Lang,
        request_id: str,
    ) -> None:
        unit = self._database().unit(
            after_commit_timeout_s=self.config.after_commit_timeout_s,
            readonly=route.endpoint.reads_only(scope["method"]),
        )
        unit.log_extra = {"request_id": request_id}
        ctx = Ctx(
            unit,
            req=Request(scope, receive),
            request_id=request_id,
            endpoint_name=route.endpoint.name,
            settings=self.settings,
            lang=lang,
        )
        if route.endpoint.created:
            ctx.status_code = 201
        try:
            result, body = await self._execute(ctx, route, params, scope, receive)
            await unit.commit()
        except SQLAlchemyError as exc:
            await unit.rollback()
            mapped = map_db_error(exc, self.metadata)
            if mapped is None:
                raise
            raise mapped from exc
        except RlibError:
            # Nothing the handler set leaves with an error (a cookie of a rolled-back session
            # must not); every error answer is no-store (_send_error).
            await unit.rollback()
            raise
        except BaseException:
            await unit.rollback()
            raise
        finally:
            await unit.close()
        if isinstance(result, Response):
            await result(scope, receive, send)
        else:
            await self._answer(send, scope, route, ctx, body)

    async def _answer(self, send: Send, scope: Scope, route: Route, ctx: Ctx, body: bytes) -> None:
        """Send a handler's result: in the page shell for a browser, with the route's caching."""
        shell = self._shell_for(route, scope)
        if shell is not None:
            body = shell.render(body)
        headers = ctx.response_headers
        if apply_policy(
            self._cache_policy(route),
            method=scope["method"],
            status=ctx.status_code,
            body=body,
            if_none_match=_header(scope, b"if-none-match"),
            headers=headers,
            personal=ctx.user is not None,
        ):
            await send_not_modified(send, headers)
            return
        base = HTML_HEADERS if shell is not None else SECURITY_HEADERS
        await send_json(send, ctx.status_code, body, headers, base=base)

    def _cache_policy(self, route: Route) -> HttpCache | None:
        policy = route.endpoint.cache
        override = self.config.shared_max_age.get(f"{route.domain.name}.{route.endpoint.name}")
        if policy is not None and override is not None:
            return policy.with_shared_max_age(override)
        return policy

    async def _execute(
        self, ctx: Ctx, route: Route, params: dict[str, object], scope: Scope, receive: Receive
    ) -> tuple[Any, bytes]:
        endpoint = route.endpoint
        # What the head alone refuses is refused before the session is looked up: an
        # oversized declared body or query costs no database round trip (security.md I1).
        self._refuse_by_head(route, scope)
        # Public routes are authenticated too: a page may use the session when present.
        if self.authenticator is not None:
            await self.authenticator(ctx, route)
        check_access(route.access, ctx.user, route=endpoint.name)
        payload = await self._payload(ctx, route, params, scope, receive)
        if endpoint.input_model is None:
            result = await endpoint.handler(ctx)
        else:
            result = await endpoint.handler(ctx, payload)
        if isinstance(result, Response):
            return result, b""
        message = self.catalogue.text("ok", ctx.lang)
        return result, self._render(result, route, message, ctx.status_code)

    def _render(self, result: object, route: Route, message: str, status: int) -> bytes:
        data = self.output.data(route.endpoint, result)
        if route.endpoint.wire is not None:
            return dumps(data)
        if isinstance(result, Page):
            return success_body(
                data, message=message, status=status, pagination=result.pagination()
            )
        return success_body(data, message=message, status=status)

    def _refuse_by_head(self, route: Route, scope: Scope) -> None:
        limits = self.config.limits
        if scope["method"] in _BODY_METHODS and route.endpoint.body != "multipart":
            declared = _header(scope, b"content-length")
            if declared and declared.isdigit():
                check_declared(
                    int(declared), route.endpoint.max_body_bytes or limits.max_body_bytes
                )
        else:
            check_query_size(scope.get("query_string", b""), limits.max_query_bytes)

    async def _payload(
        self, ctx: Ctx, route: Route, params: dict[str, object], scope: Scope, receive: Receive
    ) -> object:
        endpoint = route.endpoint
        limits = self.config.limits
        raw: dict[str, Any]
        source = "query"
        # A multipart body is the handler's to stream (uploads); the runner leaves it unread.
        if scope["method"] in _BODY_METHODS and endpoint.body != "multipart":
            source = "body"
            declared = _header(scope, b"content-length")
            ctx.body = await read_body(
                receive,
                declared=int(declared) if declared and declared.isdigit() else None,
                limit=endpoint.max_body_bytes or limits.max_body_bytes,
                timeout_s=limits.body_timeout_s,
            )
            if endpoint.body == "raw":
                raw = {}
            else:
                require_json(_header(scope, b"content-type"), ctx.body)
                raw = _object(
                    parse_json(ctx.body, max_depth=limits.max_json_depth) if ctx.body else {}
                )
        else:
            raw = dict(parse_query(scope.get("query_string", b""), limit=limits.max_query_bytes))
        merge_path_params(raw, params, source)
        if endpoint.input_model is None:
            return None
        try:
            return endpoint.input_model.model_validate(raw)
        except pydantic.ValidationError as exc:
            raise ValidationError(
                [field_error_from_pydantic(detail, (source,)) for detail in exc.errors()]
            ) from exc

    async def _send_error(
        self,
        send: Send,
        error: RlibError,
        lang: Lang,
        request_id: str,
        wire: PlainWire | None = None,
        shell: PageShell | None = None,
    ) -> None:
        errors = None
        if isinstance(error, ValidationError):
            errors = [render_field_error(self.catalogue, item, lang) for item in error.errors]
        # An error is never cached, by a browser or a proxy: it says what went wrong with this
        # request, and a refusal made before the session was looked up (an oversized query on
        # an auth route) must not be kept either (security.md H1, battery C9).
        headers = {**error.headers, "Cache-Control": "no-store"}
        if wire is not None:
            plain = wire.error_body(
                code=error.code,
                message=self.catalogue.text(error.message_key, lang, error.params),
                errors=errors,
                request_id=request_id if error.status >= 500 else None,
            )
            await send_json(send, wire.status(error.code, error.status), plain, headers)
            return
        body = error_body(
            status=error.status,
            code=error.code,
            message=self.catalogue.text(error.message_key, lang, error.params),
            data=error.data(),
            errors=errors,
            request_id=request_id if error.status >= 500 else None,
        )
        if shell is not None:  # a browser on a page URL: the SPA shows the error itself
            await send_json(send, error.status, shell.render(body), headers, base=HTML_HEADERS)
            return
        await send_json(send, error.status, body, headers)


def _object(value: object) -> dict[str, Any]:
    # The original generated client posts a one-element array holding the object.
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if not isinstance(value, dict):
        raise ValidationError([FieldError(loc=("body",), key="v.object")])
    return value


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return str(value.decode("latin-1"))
    return None
