"""The spec's endpoint table as data, and which of its rows the registry serves.

``spec_endpoints.csv`` is the table of ``spec/endpoints.md`` (DROPPED and MERGED rows left
out, one row per URL); ``pending_endpoints.toml`` lists, per domain, the names not built yet.
A row is *registered* when an endpoint of its domain, named ``endpoint`` (else ``name``), is
mounted at its URL, an alias URL included. URLs are compared the way the registry mounts them
without a host map (the domain's ``unhosted_prefix`` in front, so chapter's ``/browse/{page}``
is ``/chapter/browse/{page}``), with every path parameter reduced to its position: ``:page``,
``{page}`` and ``{n:int}`` are the same segment. ADR ``docs/adr/0020-registry-against-spec.md``.
"""

from __future__ import annotations

import csv
import io
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources

from rlib.app import NOTIF_SOCKET_PATH
from rlib.config import HostsConfig
from rlib.registry import Registry
from rlib.routing import split_path

SPEC_FILE = "spec_endpoints.csv"
PENDING_FILE = "pending_endpoints.toml"


@dataclass(frozen=True, slots=True)
class SpecRow:
    """One (name, URL) of the spec; ``endpoint`` names the registry entry when it differs."""

    domain: str
    name: str
    url: str
    endpoint: str
    caller: frozenset[str]
    kind: str
    note: str

    @property
    def served_by(self) -> str:
        """The registry name that must answer this row's URL."""
        return self.endpoint or self.name


def _read(name: str) -> str:
    return resources.files("esensi").joinpath(name).read_text(encoding="utf-8")


def parse_rows(text: str) -> list[SpecRow]:
    """The rows of a spec table in CSV form (header: domain,name,url,endpoint,caller,kind,note)."""
    return [
        SpecRow(
            domain=line["domain"],
            name=line["name"],
            url=line["url"],
            endpoint=line["endpoint"],
            caller=frozenset(line["caller"].split()),
            kind=line["kind"],
            note=line["note"],
        )
        for line in csv.DictReader(io.StringIO(text))
    ]


def spec_rows() -> list[SpecRow]:
    """The committed spec table."""
    return parse_rows(_read(SPEC_FILE))


def parse_pending(text: str) -> dict[str, list[str]]:
    """Domain -> pending names, from the TOML form (one array of names per domain)."""
    data = tomllib.loads(text)
    return {domain: list(names) for domain, names in data.items()}


def pending() -> dict[str, list[str]]:
    """The committed pending list."""
    return parse_pending(_read(PENDING_FILE))


def shape(path: str) -> str:
    """``/genre/:slug/{page:int}`` -> ``/genre/{}/{}``: parameters compare by position only."""
    parts = ["{}" if part[0] in "{:" else part for part in split_path(path)]
    return "/" + "/".join(parts)


# Rows served by an app route outside the registry (endpoint name -> its path): the
# notification socket, which rlib mounts on every host whenever the app has a notifier.
SOCKETS = {("root", "notif_ws"): NOTIF_SOCKET_PATH}


class Served:
    """Every (domain, endpoint name, URL shape) the registry mounts without a host map, and
    the app's WebSocket routes (``SOCKETS``)."""

    def __init__(self, registry: Registry) -> None:
        self._fronts = {name: d.unhosted_prefix for name, d in registry.domains.items()}
        self._mounted = {
            (route.domain.name, route.endpoint.name, shape(route.path))
            for route in registry.routes(HostsConfig())
        }

    def serves(self, row: SpecRow) -> bool:
        """True when ``row``'s endpoint answers ``row``'s URL in ``row``'s domain."""
        path = self._fronts.get(row.domain, "") + row.url
        if SOCKETS.get((row.domain, row.served_by)) == row.url:
            return True
        return (row.domain, row.served_by, shape(path)) in self._mounted


def missing(registry: Registry, rows: Iterable[SpecRow]) -> list[SpecRow]:
    """The rows the registry does not serve, in table order."""
    served = Served(registry)
    return [row for row in rows if not served.serves(row)]


def missing_names(registry: Registry, rows: Iterable[SpecRow]) -> dict[str, list[str]]:
    """Domain -> names with at least one unserved row (each name once, table order)."""
    found: dict[str, list[str]] = {}
    for row in missing(registry, rows):
        names = found.setdefault(row.domain, [])
        if row.name not in names:
            names.append(row.name)
    return found


def missing_rows(registry: Registry) -> dict[str, list[tuple[str, str]]]:
    """Domain -> (name, url) of every committed spec row ``registry`` does not serve."""
    found: dict[str, list[tuple[str, str]]] = {}
    for row in missing(registry, spec_rows()):
        found.setdefault(row.domain, []).append((row.name, row.url))
    return found


@dataclass(frozen=True, slots=True)
class PendingReport:
    """What is wrong between the table, the registry and the pending list (all empty: fine)."""

    unlisted: list[SpecRow]  # not served and not pending
    stale: list[tuple[str, str]]  # pending, yet every row of the name is served
    unknown: list[tuple[str, str]]  # pending names that are no row of the table
    duplicated: list[tuple[str, str]]  # listed twice in one domain

    @property
    def ok(self) -> bool:
        """True when the pending list is exactly the unserved names."""
        return not (self.unlisted or self.stale or self.unknown or self.duplicated)


def check_pending(
    registry: Registry, rows: Sequence[SpecRow], listed: Mapping[str, Sequence[str]]
) -> PendingReport:
    """Compare the pending list with the names the registry does not serve."""
    names = {(row.domain, row.name) for row in rows}
    unserved = {(d, n) for d, ns in missing_names(registry, rows).items() for n in ns}
    entries = [(domain, name) for domain, names_ in listed.items() for name in names_]
    pending_set = set(entries)
    return PendingReport(
        unlisted=[r for r in missing(registry, rows) if (r.domain, r.name) not in pending_set],
        stale=[e for e in entries if e in names and e not in unserved],
        unknown=[e for e in entries if e not in names],
        duplicated=sorted({e for e in entries if entries.count(e) > 1}),
    )
