"""The operations gen describes: one per documented endpoint, with every route it answers.

Routes are taken in the single-origin layout (no host map: each domain's unhosted prefix
applied), the one layout where every path is unique, so one document can hold every domain.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from starlette.responses import Response

from rlib.config import HostsConfig
from rlib.endpoint import Access, Endpoint
from rlib.envelope import Page
from rlib.registry import Domain, Registry

_PARAM = re.compile(r"\{(\w+)(?::(\w+))?\}")
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
# The original client POSTs JSON; among several routes the client calls the first POST one
# without path parameters, else the endpoint's own first route.
_CALL_ORDER = ("POST", "PATCH", "PUT", "DELETE", "GET")


def camel(name: str) -> str:
    """``book_list`` -> ``bookList`` (the client's name for an endpoint)."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


@dataclass(frozen=True, slots=True)
class PathParam:
    """A ``{name}`` or ``{name:kind}`` segment of a route."""

    name: str
    kind: str  # "", "uuid", "int", "path"


@dataclass(frozen=True, slots=True)
class RouteOp:
    """One (method, path) an endpoint answers; ``index`` 0 is its own operation id."""

    method: str
    path: str  # the OpenAPI form: ``{id}`` without converters
    raw_path: str  # the router's form: ``{id:uuid}``
    params: tuple[PathParam, ...]
    index: int

    @property
    def has_body(self) -> bool:
        """True when the request carries a body (POST, PUT, PATCH)."""
        return self.method in _BODY_METHODS


@dataclass(frozen=True, slots=True)
class Operation:
    """A documented endpoint in its domain, with its routes and output shape."""

    domain: Domain
    endpoint: Endpoint
    access: Access
    routes: tuple[RouteOp, ...]

    @property
    def op_id(self) -> str:
        """``<domain>.<name>``: what logs, the registry and the client all show."""
        return f"{self.domain.name}.{self.endpoint.name}"

    @property
    def client_name(self) -> str:
        """``bookList``: the function's name under ``client.<domain>``."""
        return camel(self.endpoint.name)

    def route_op_id(self, route: RouteOp) -> str:
        """The operation id of one route: ``<domain>.<name>``, then ``.2``, ``.3``..."""
        return self.op_id if route.index == 0 else f"{self.op_id}.{route.index + 1}"

    @property
    def call(self) -> RouteOp:
        """The route the generated client calls."""
        for method in _CALL_ORDER:
            for route in self.routes:
                if route.method == method and not route.params:
                    return route
        return self.routes[0]

    @property
    def paged(self) -> bool:
        """True when the handler returns a :class:`Page` (the envelope has ``pagination``)."""
        return typing.get_origin(self.endpoint.output_model) is Page

    @property
    def data_type(self) -> Any:
        """The type of the envelope's ``data`` (a Page's items become a list; redirects go)."""
        output = self.endpoint.output_model
        if typing.get_origin(output) is Page:
            (item,) = typing.get_args(output) or (Any,)
            return list[item]  # type: ignore[valid-type]  # the Page's own parameter
        kept = [t for t in _members(output) if not _is_response(t)]
        if not kept:
            return None
        return kept[0] if len(kept) == 1 else typing.Union[tuple(kept)]  # noqa: UP007

    @property
    def redirects(self) -> bool:
        """True when the handler may answer with a plain response (a redirect) instead."""
        return any(_is_response(t) for t in _members(self.endpoint.output_model))


def _members(annotation: Any) -> tuple[Any, ...]:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return typing.get_args(annotation)
    return (annotation,)


def _is_response(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, Response)


def path_params(path: str) -> tuple[PathParam, ...]:
    """The ``{name[:kind]}`` segments of a router path."""
    return tuple(PathParam(m.group(1), m.group(2) or "") for m in _PARAM.finditer(path))


def openapi_path(path: str) -> str:
    """``/book/{id:uuid}`` -> ``/book/{id}``."""
    return _PARAM.sub(lambda m: "{" + m.group(1) + "}", path)


def operations(registry: Registry) -> list[Operation]:
    """Every documented endpoint, sorted by domain then name (the outputs' stable order)."""
    by_endpoint: dict[int, list[RouteOp]] = {}
    owners: dict[int, tuple[Domain, Endpoint, Access]] = {}
    for route in registry.routes(HostsConfig()):
        if not route.endpoint.documented:
            continue
        found = by_endpoint.setdefault(id(route.endpoint), [])
        owners[id(route.endpoint)] = (route.domain, route.endpoint, route.access)
        found.append(
            RouteOp(
                method=route.method,
                path=openapi_path(route.path),
                raw_path=route.path,
                params=path_params(route.path),
                index=len(found),
            )
        )
    ops = [
        Operation(domain=d, endpoint=e, access=a, routes=tuple(by_endpoint[key]))
        for key, (d, e, a) in owners.items()
    ]
    return sorted(ops, key=lambda op: (op.domain.name, op.endpoint.name))


def by_domain(ops: list[Operation]) -> Iterator[tuple[Domain, list[Operation]]]:
    """The operations grouped by domain, domains sorted by name."""
    names = sorted({op.domain.name for op in ops})
    for name in names:
        group = [op for op in ops if op.domain.name == name]
        yield group[0].domain, group
