"""``define_api``: declare an endpoint as data (name, url, methods, access, models, handler).

An endpoint is a module-level object; discovery collects it. The handler's annotations give
the input and output models::

    @define_api(name="category_list", url="/category/list", methods=("GET", "POST"), auth="public")
    async def category_list(ctx: Ctx, payload: CategoryQuery) -> list[CategoryRead]: ...
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar, overload

from pydantic import BaseModel

from rlib.envelope import PlainWire
from rlib.errors import RlibError
from rlib.httpcache import HttpCache
from rlib.limits import check_paging

Handler = Callable[..., Awaitable[Any]]
H = TypeVar("H", bound=Handler)
BodyKind = Literal["json", "raw", "multipart"]
PUBLIC = "public"
ANY_USER = "any"
GATEWAY = "gateway"

_METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True, slots=True)
class Access:
    """Who may call an endpoint: anyone (``public``), or signed-in users of the listed types.

    ``user_types`` None means "the domain's default"; ``any`` in it admits every user type.
    ``gateway``: a machine caller that the handler authenticates itself (a payment webhook's
    signature); public to the access check, and no session or cookie is read (so no CSRF).
    """

    public: bool = False
    user_types: frozenset[str] | None = None
    gateway: bool = False

    @classmethod
    def parse(cls, auth: str | Iterable[str] | None) -> Access:
        """``"public"``, ``"gateway"``, one user type, several, or None for the default."""
        if auth is None:
            return cls()
        if auth == PUBLIC:
            return cls(public=True)
        if auth == GATEWAY:
            return cls(public=True, gateway=True)
        types = frozenset([auth] if isinstance(auth, str) else auth)
        if PUBLIC in types or GATEWAY in types or not types:
            raise ValueError(
                "auth: use 'public' or 'gateway' alone, or a non-empty set of user types"
            )
        return cls(user_types=types)

    def describe(self) -> str:
        """A short human form for tables: ``public``, ``gateway`` or ``author, publisher``."""
        if self.gateway:
            return GATEWAY
        if self.public:
            return PUBLIC
        return ", ".join(sorted(self.user_types or ())) or "(domain default)"


@dataclass(frozen=True, slots=True, eq=False)
class Endpoint:
    """One declared endpoint; the registry mounts it under its domain's prefix."""

    name: str
    url: str
    methods: tuple[str, ...]
    handler: Handler
    input_model: type[BaseModel] | None
    output_model: Any
    access: Access
    module: str
    summary: str
    aliases: tuple[str, ...] = ()
    routes: tuple[tuple[str, tuple[str, ...]], ...] = ()  # more (url, methods), as aliases
    body: BodyKind = "json"
    max_body_bytes: int | None = None
    validate_output: bool = True
    readonly: bool | None = None  # None: GET requests read in autocommit, other methods in a tx
    wire: PlainWire | None = None  # None: the envelope; else bare bodies (another protocol's)
    errors: tuple[type[RlibError], ...] = ()  # what the handler may raise, for the OpenAPI document
    crud: tuple[str, str] | None = None  # (resource, action) when a CRUD resource declared it
    documented: bool = True  # False keeps it out of gen's outputs (the docs pages themselves)
    form: type[BaseModel] | None = None  # multipart endpoints: the form's fields, for gen
    cache: HttpCache | None = None  # ETag + Cache-Control on a successful GET (rlib.httpcache)
    page: bool = False  # a browser's GET gets the SPA shell with the data (rlib.pageshell)
    created: bool = False  # success answers 201 Created (the runner's default; gen documents it)

    def reads_only(self, method: str) -> bool:
        """True when a request with ``method`` runs without a transaction (autocommit reads)."""
        return self.readonly if self.readonly is not None else method in ("GET", "HEAD")

    @property
    def urls(self) -> tuple[str, ...]:
        """The URL and its aliases."""
        return (self.url, *self.aliases)

    def mounts(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """Every (url, methods) this endpoint answers: its URL, aliases, then extra routes."""
        return tuple((url, self.methods) for url in self.urls) + self.routes


def _models(handler: Handler) -> tuple[type[BaseModel] | None, Any, bool]:
    hints = typing.get_type_hints(handler)
    params = list(inspect.signature(handler).parameters)
    if not params:
        raise TypeError(f"{handler.__qualname__}: a handler takes (ctx) or (ctx, payload)")
    takes_payload = len(params) >= 2
    input_model = hints.get(params[1]) if takes_payload else None
    if input_model is not None and not (
        isinstance(input_model, type) and issubclass(input_model, BaseModel)
    ):
        raise TypeError(f"{handler.__qualname__}: payload must be annotated with a pydantic model")
    return input_model, hints.get("return"), takes_payload


def _build(
    handler: Handler,
    *,
    name: str,
    url: str,
    methods: Iterable[str],
    auth: str | Iterable[str] | None,
    options: dict[str, Any],
) -> Endpoint:
    if not inspect.iscoroutinefunction(handler):
        raise TypeError(f"{name}: the handler must be an async function")
    verbs = tuple(m.upper() for m in methods)
    if not verbs or set(verbs) - _METHODS:
        raise ValueError(f"{name}: methods must be among {sorted(_METHODS)}")
    if not url.startswith("/"):
        raise ValueError(f"{name}: url must start with '/'")
    input_model, output_model, _ = _models(handler)
    if input_model is not None:
        check_paging(input_model, name)
    _check_form(name, options, input_model)
    for error in options.get("errors", ()):
        if not (isinstance(error, type) and issubclass(error, RlibError)):
            raise TypeError(f"{name}: errors must be RlibError subclasses, not {error!r}")
    return Endpoint(
        name=name,
        url=url,
        methods=verbs,
        handler=handler,
        input_model=input_model,
        output_model=options.pop("output", output_model),
        access=Access.parse(auth),
        module=handler.__module__,
        summary=(inspect.getdoc(handler) or "").split("\n")[0],
        **options,
    )


def _check_form(name: str, options: dict[str, Any], input_model: object) -> None:
    # A multipart body is streamed by the handler itself (rlib.files.read_multipart): the
    # runner reads none of it, so no payload model can be filled from it.
    multipart = options.get("body") == "multipart"
    if multipart and input_model is not None:
        raise TypeError(f"{name}: a multipart handler takes (ctx) and reads its form itself")
    if options.get("form") is not None and not multipart:
        raise ValueError(f"{name}: form= describes a multipart body; set body='multipart'")


@overload
def define_api(
    *,
    name: str,
    url: str,
    handler: Handler,
    methods: Iterable[str] = ...,
    auth: str | Iterable[str] | None = ...,
    **options: Any,
) -> Endpoint: ...


@overload
def define_api(
    *,
    name: str,
    url: str,
    methods: Iterable[str] = ...,
    auth: str | Iterable[str] | None = ...,
    **options: Any,
) -> Callable[[Handler], Endpoint]: ...


def define_api(
    *,
    name: str,
    url: str,
    handler: Handler | None = None,
    methods: Iterable[str] = ("POST",),
    auth: str | Iterable[str] | None = None,
    **options: Any,
) -> Endpoint | Callable[[Handler], Endpoint]:
    """Declare an endpoint, as a decorator or with ``handler=``.

    Args:
        name: ``noun_verb``, unique in its domain.
        url: path under the domain prefix; ``{id}``, ``{id:uuid}``, ``{n:int}``, ``{p:path}``.
        handler: ``async def handler(ctx)`` or ``async def handler(ctx, payload: Model)``.
        methods: HTTP methods; POST takes a JSON object body, GET takes query parameters.
        auth: ``"public"``, a user type or a set of them; None = the domain's default.
        **options: ``aliases``, ``routes`` (more ``(url, methods)``), ``body`` ("json" |
            "raw" | "multipart": left unread for the handler to stream), ``form`` (the
            multipart form's fields, for gen; a ``bytes`` field is a file),
            ``max_body_bytes``, ``output`` (output model override),
            ``validate_output``, ``readonly`` (default: GET requests read in autocommit;
            True/False to force), ``wire`` (a :class:`~rlib.envelope.PlainWire`: answer
            without the envelope), ``errors`` (the :class:`~rlib.errors.RlibError` classes the
            handler may raise; gen documents them with their status and machine code, beside
            the framework's own), ``documented`` (False keeps the endpoint out of the OpenAPI
            document and client), ``cache`` (an :class:`~rlib.httpcache.HttpCache`: ETag,
            304 and ``Cache-Control`` on a successful GET), ``page`` (True: a page endpoint,
            whose GET from a browser gets the frontend's ``index.html`` with the data embedded
            when ``RlibConfig.index_html`` is set), ``created`` (True: success answers 201
            Created, and gen documents 201 instead of 200).

    Raises:
        TypeError, ValueError: on a malformed declaration or an unknown option (at import
            time).
    """
    if "aliases" in options:
        options["aliases"] = tuple(options["aliases"])
    if "errors" in options:
        options["errors"] = tuple(options["errors"])
    if options.get("cache") is not None and not isinstance(options["cache"], HttpCache):
        raise TypeError(f"{name}: cache must be an rlib.httpcache.HttpCache")
    if "routes" in options:
        options["routes"] = tuple(
            (url, tuple(m.upper() for m in ms)) for url, ms in options["routes"]
        )
    if handler is not None:
        return _build(handler, name=name, url=url, methods=methods, auth=auth, options=options)

    def decorate(fn: Handler) -> Endpoint:
        return _build(fn, name=name, url=url, methods=methods, auth=auth, options=dict(options))

    return decorate
