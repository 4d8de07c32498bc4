"""Domains and the endpoint registry: discovery by walking a domain package, duplicate detection.

A domain is a package whose ``__init__`` defines ``domain = Domain(...)``. Discovery imports
each of its modules once and collects the :class:`Endpoint` objects defined there (and the
endpoints of any object exposing ``rlib_endpoints()``, such as a CRUD resource).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import Protocol, runtime_checkable

from rlib.config import HostsConfig
from rlib.endpoint import Access, Endpoint
from rlib.routing import RouteConflictError, Router


class RegistryError(RuntimeError):
    """A start-up error in the declared endpoints (duplicates, missing domain)."""


@runtime_checkable
class EndpointSource(Protocol):
    """Anything that contributes several endpoints (e.g. a CRUD resource)."""

    def rlib_endpoints(self) -> Sequence[Endpoint]: ...


@dataclass(frozen=True, slots=True)
class Domain:
    """A group of endpoints sharing a prefix, a host and default access.

    Args:
        name: ``main``, ``publish``...
        prefix: put before every URL of the domain (``/api/publish``).
        host_key: the key of the host this domain answers on when a host map is configured.
        auth: the user types admitted by default; ``{"public"}`` opens every endpoint.
        unhosted_prefix: put in front when no host map is configured, so domains that share
            page paths do not collide on one port (chapter uses ``/chapter``).
    """

    name: str
    prefix: str = ""
    host_key: str | None = None
    auth: frozenset[str] = field(default_factory=frozenset)
    unhosted_prefix: str = ""

    def access_for(self, endpoint: Endpoint) -> Access:
        """The endpoint's effective access: its own declaration, else the domain default."""
        if endpoint.access.public or endpoint.access.user_types is not None:
            return endpoint.access
        if "public" in self.auth:
            return Access(public=True)
        return Access(user_types=self.auth)


@dataclass(frozen=True, slots=True)
class Route:
    """One mounted (host key, method, path) and what answers it."""

    domain: Domain
    endpoint: Endpoint
    method: str
    path: str
    host_key: str | None
    access: Access
    alias_of: str | None = None


def _collect(module: ModuleType) -> Iterator[Endpoint]:
    for value in vars(module).values():
        if isinstance(value, Endpoint) and value.module == module.__name__:
            yield value
        elif (
            isinstance(value, EndpointSource) and getattr(value, "module", None) == module.__name__
        ):
            yield from value.rlib_endpoints()


def _walk(package: ModuleType) -> Iterator[ModuleType]:
    yield package
    for info in pkgutil.walk_packages(package.__path__, prefix=package.__name__ + "."):
        yield importlib.import_module(info.name)


class Registry:
    """All endpoints by domain; :meth:`mount` turns them into routes, checking for collisions."""

    def __init__(self) -> None:
        self.domains: dict[str, Domain] = {}
        self.endpoints: dict[str, dict[str, Endpoint]] = {}

    def add(self, domain: Domain, endpoints: Iterable[Endpoint]) -> None:
        """Add endpoints to ``domain``; a repeated name in the domain is a start-up error."""
        self.domains.setdefault(domain.name, domain)
        names = self.endpoints.setdefault(domain.name, {})
        for endpoint in endpoints:
            other = names.get(endpoint.name)
            if other is not None:
                raise RegistryError(
                    f"duplicate endpoint name {endpoint.name!r} in domain {domain.name!r}: "
                    f"{other.module} and {endpoint.module}"
                )
            names[endpoint.name] = endpoint

    def discover(self, *packages: str) -> Registry:
        """Import every module of each domain package and collect its endpoints."""
        for package_name in packages:
            package = importlib.import_module(package_name)
            domain = getattr(package, "domain", None)
            if not isinstance(domain, Domain):
                raise RegistryError(f"{package_name} does not define `domain = Domain(...)`")
            for module in _walk(package):
                self.add(domain, _collect(module))
        return self

    def all(self) -> Iterator[tuple[Domain, Endpoint]]:
        """Every (domain, endpoint) in declaration order."""
        for name, endpoints in self.endpoints.items():
            for endpoint in endpoints.values():
                yield self.domains[name], endpoint

    def routes(self, hosts: HostsConfig) -> list[Route]:
        """Every mounted route: prefixes applied, aliases expanded, host keys resolved."""
        host_keys = set(hosts.hosts.values())
        routes: list[Route] = []
        for domain, endpoint in self.all():
            hosted = hosts.configured and domain.host_key in host_keys
            host_key = domain.host_key if hosted else None
            front = "" if hosts.configured else domain.unhosted_prefix
            for index, (url, methods) in enumerate(endpoint.mounts()):
                path = (front + domain.prefix + url).rstrip("/") or "/"
                for method in methods:
                    routes.append(
                        Route(
                            domain=domain,
                            endpoint=endpoint,
                            method=method,
                            path=path,
                            host_key=host_key,
                            access=domain.access_for(endpoint),
                            alias_of=endpoint.url if index else None,
                        )
                    )
        return routes

    def mount(self, hosts: HostsConfig) -> Router[Route]:
        """Build the router; two endpoints on one (host key, method, path) name both modules."""
        router: Router[Route] = Router()
        for route in self.routes(hosts):
            existing = router.existing(route.host_key, route.method, route.path)
            if existing is not None:
                raise RegistryError(
                    f"{route.method} {route.path} is declared twice: "
                    f"{existing.endpoint.module}.{existing.endpoint.name} and "
                    f"{route.endpoint.module}.{route.endpoint.name}"
                )
            try:
                router.add(route.host_key, route.method, route.path, route)
            except RouteConflictError as exc:  # pragma: no cover - guarded by `existing` above
                raise RegistryError(str(exc)) from exc
        return router
