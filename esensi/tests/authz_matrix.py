"""The authorization matrix's generators (battery Z lines, issue 19; security.md Z4-Z7, T5).

Nothing here is hand-listed: the resources, their actions and URL forms, the callers each route
admits, the owner scope, the server-owned and the sensitive columns are all read from the
registry (``registry().routes``, the ``crud_handler`` resources found in the domain modules) and
from the models (keys, foreign keys, ``info={"sensitive": True}``).
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import inspect
import re
import sys
import types
import typing
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from types import SimpleNamespace
from typing import Any

from pydantic import BaseModel
from sqlalchemy import CheckConstraint, Column, Numeric, Table, select
from sqlalchemy.ext.asyncio import AsyncSession

from esensi.api import DOMAIN_PACKAGES
from esensi.app import registry
from esensi.models import metadata
from esensi.users import STAFF_ROLES, user_types
from rlib import HostsConfig
from rlib.auth.users import SessionUser
from rlib.crud import UNSCOPED
from rlib.crud.declare import CrudResource
from rlib.crud.resource import SERVER_OWNED, Resource
from rlib.registry import Route

PARAM = re.compile(r"\{(\w+)(?::(\w+))?\}")


def fresh() -> dt.datetime:
    """Signed in just now: a fresh-sign-in rule (S7, 5 minutes) admits the caller; taken per
    caller, as a report run lasts longer than the window."""
    return dt.datetime.now(dt.UTC)


SAME_ID = {"x-request-id": "authz-matrix"}  # so two answers compare byte for byte


@cache
def routes() -> tuple[Route, ...]:
    return tuple(registry().routes(HostsConfig()))


@cache
def crud_resources() -> tuple[CrudResource, ...]:
    """Every ``crud_handler`` declared in a domain module (what discovery collected)."""
    routes()  # discovery imports every domain module
    found: dict[int, CrudResource] = {}
    for name, module in sorted(sys.modules.items()):
        if not any(name == p or name.startswith(f"{p}.") for p in DOMAIN_PACKAGES):
            continue
        for value in vars(module).values():
            if isinstance(value, CrudResource) and value.module == name:
                found[id(value)] = value
    return tuple(found.values())


def routes_of(crud: CrudResource) -> list[Route]:
    mine = {id(endpoint) for endpoint in crud.rlib_endpoints()}
    return [route for route in routes() if id(route.endpoint) in mine]


def resource_of(crud: CrudResource, name: str) -> Resource:
    """The resource (or nested child) a CRUD endpoint's ``crud=(name, verb)`` names."""
    if name == crud.resource.name:
        return crud.resource
    return next(child for child in crud.resource.children.values() if child.name == name)


# -- callers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Caller:
    """One signed-in identity (or anonymous): its label and the session user it stands for."""

    label: str
    user: SessionUser | None


def staff(role: str | None) -> SessionUser:
    roles = frozenset(STAFF_ROLES) if role == "*" else frozenset({role} - {None})
    ident = uuid.uuid5(uuid.NAMESPACE_URL, f"staff:{role}")
    return SessionUser(
        id=ident,
        profiles={"internal": ident},
        roles=frozenset(f"internal:{r}" for r in roles),
        email_verified=True,
        authenticated_at=fresh(),
    )


def stranger(kind: str) -> SessionUser:
    """A login with a ``kind`` profile that owns nothing and is linked to no one."""
    ident = uuid.uuid5(uuid.NAMESPACE_URL, f"stranger:{kind}")
    return SessionUser(
        id=ident, profiles={kind: ident}, email_verified=True, authenticated_at=fresh()
    )


def route_callers() -> list[Caller]:
    """Anonymous, each user type, staff with every flag, with each one flag and with none."""
    found = [Caller("anonymous", None)]
    for kind in sorted(user_types().names):
        found.append(Caller(kind, staff("*") if kind == "internal" else stranger(kind)))
    found += [Caller(f"internal:{role}", staff(role)) for role in STAFF_ROLES]
    found.append(Caller("internal:", staff(None)))
    return found


def expected_access(route: Route, user: SessionUser | None) -> str:
    """``open``, ``401`` or ``403`` from the route's declaration (not from rlib's policy)."""
    if route.access.public:
        return "open"
    if user is None:
        return "401"
    for entry in route.access.user_types or frozenset():
        kind, _, role = entry.partition(":")
        if entry == "any" or (kind in user.profiles and (not role or entry in user.roles)):
            return "open"
    return "403"


def fill(path: str, **values: object) -> str:
    """The path with its parameters filled (``{id}`` from ``values``, others a placeholder)."""

    def one(match: re.Match[str]) -> str:
        if match.group(1) in values:
            return str(values[match.group(1)])
        return {"int": "1", "uuid": str(uuid.UUID(int=1))}.get(match.group(2) or "", "x")

    return PARAM.sub(one, path)


# -- owner scope ---------------------------------------------------------------------------


async def sees(res: Resource, session: AsyncSession, user: SessionUser, owner: object) -> bool:
    """Whether the resource's declared scope admits ``user`` to a row whose scope value is
    ``owner`` (the scope function itself decides: the matrix tests its enforcement)."""
    if res.scope_value is None:
        return True
    value = res.scope_value(SimpleNamespace(user=user, db=session))  # type: ignore[arg-type]
    if inspect.isawaitable(value):
        value = await value
    if value is UNSCOPED:
        return True
    if isinstance(value, (list, tuple, set, frozenset)):
        return owner in value
    return bool(value == owner)


def profile_kind(column: Column[Any]) -> str | None:
    """The user type whose profile table ``column`` points at (``id_author`` -> author)."""
    tables = {t.model.__table__.name: name for name, t in user_types().by_name.items()}
    for fk in column.foreign_keys:
        if fk.column.table.name in tables:
            return tables[fk.column.table.name]
    return None


def missing_key(res: Resource) -> object:
    """A key of the resource's type that names no row."""
    python = res.meta.pk.type.python_type
    if python is uuid.UUID:
        return uuid.UUID(int=0xDEAD)
    if python is int:
        return 2_000_000_011
    return "tidak-ada-kunci"


# -- server-owned and sensitive columns ----------------------------------------------------


def owner_columns() -> set[str]:
    """Columns pointing at a login or a profile: who owns a row is never chosen by a body."""
    profiles = [t.model.__table__ for t in user_types().by_name.values()]
    logins = {fk.column.table.name for table in profiles for fk in table.c.id_user.foreign_keys}
    owners = {*(table.name for table in profiles), *logins}
    found = set()
    for table in metadata.sorted_tables:
        for column in table.columns:
            if any(fk.column.table.name in owners for fk in column.foreign_keys):
                found.add(column.name)
    return found


def _vocabulary(table: Table) -> set[str]:
    """Columns a CHECK limits to a vocabulary (``status IN (...)``) that the server defaults:
    workflow states."""
    checks = " ".join(
        str(c.sqltext) for c in table.constraints if isinstance(c, CheckConstraint)
    ).lower()
    return {
        c.name
        for c in table.columns
        if c.server_default is not None and re.search(rf"\b{c.name}\b[^()]*\bin\b", checks)
    }


def server_owned(table: Table) -> set[str]:
    """What no body may set on ``table``: a generated key, owner columns, timestamps, the
    version, the soft-delete mark, workflow states and money (``Numeric`` columns)."""
    names = set(table.c.keys())
    owned = (set(SERVER_OWNED) | owner_columns()) & names
    for column in table.columns:
        if column.primary_key and (column.default is not None or column.server_default):
            owned.add(column.name)
        if isinstance(column.type, Numeric) or isinstance(
            getattr(column.type, "impl", None), Numeric
        ):
            owned.add(column.name)
    return owned | _vocabulary(table)


@cache
def server_owned_anywhere() -> frozenset[str]:
    """Every table's server-owned column names: what no request body may carry."""
    return frozenset(name for t in metadata.sorted_tables for name in server_owned(t))


def sample_value(column: Column[Any] | None) -> object:
    """A well-typed value for ``column`` (so only its being there can be refused)."""
    try:
        python = column.type.python_type if column is not None else str
    except NotImplementedError:
        python = str
    values: dict[type, object] = {
        uuid.UUID: str(uuid.UUID(int=7)),
        int: 7,
        bool: True,
        dt.datetime: "2026-01-01T00:00:00+00:00",
        dt.date: "2026-01-01",
        decimal.Decimal: "1",
    }
    return values.get(python, "dipaksa")


def sensitive_columns() -> dict[str, set[str]]:
    """table -> columns marked ``info={"sensitive": True}``."""
    found: dict[str, set[str]] = {}
    for table in metadata.sorted_tables:
        marked = {c.name for c in table.columns if c.info.get("sensitive")}
        if marked:
            found[table.name] = marked
    return found


@dataclass
class Tally:
    """Cases run and failures of one family (a failure keeps its description)."""

    run: int = 0
    failures: list[str] = field(default_factory=list)

    def case(self, ok: bool, what: object) -> None:
        self.run += 1
        if not ok:
            self.failures.append(str(what))


def record(battery: Any, check_id: str, metric: str, tally: Tally) -> None:
    """One battery line: failures of ``tally.run`` cases, = 0 (and at least one case run)."""
    try:
        battery.check(
            check_id,
            metric,
            "= 0",
            f"{len(tally.failures)} of {tally.run}",
            not tally.failures and tally.run > 0,
        )
    except AssertionError as exc:
        listed = "\n".join(tally.failures[:20])
        raise AssertionError(f"{exc}\nfirst failures:\n{listed}") from None


def stable_sample(items: list[Any], size: int | None) -> list[Any]:
    """The first ``size`` items in their given (deterministic) order; all of them for None."""
    return items if size is None else items[:size]


def every(items: list[Any], step: int, offset: int = 0) -> Iterator[Any]:
    """Every ``step``-th item from ``offset`` (a stable spread over the list)."""
    yield from items[offset % step :: step] if step > 1 else items


async def column_values(session: AsyncSession, column: Column[Any]) -> list[Any]:
    return list(await session.scalars(select(column).distinct().order_by(column)))


# -- workflow endpoints taking an id ----------------------------------------------------------

ID_FIELD = re.compile(r"^(?:id_(?P<a>\w+)|(?P<b>\w+?)_id|id|ids)$")


def id_fields(model: type[BaseModel] | None) -> list[str]:
    """The fields of ``model`` naming rows (``id``, ``ids``, ``id_book``, ``author_id``)."""
    return [f for f in (model.model_fields if model else {}) if ID_FIELD.match(f)]


def table_of(field_name: str, path: str) -> Table | None:
    """The table an id field names: ``id_book`` -> book; ``id``/``ids`` -> the path's noun."""
    tables = {t.name: t for t in metadata.sorted_tables}
    match = ID_FIELD.match(field_name)
    noun = match and (match.group("a") or match.group("b"))
    if noun:
        return tables.get(noun)
    segments = [s.replace("-", "_") for s in path.split("/") if s and "{" not in s]
    for segment in reversed(segments):
        if segment in tables:
            return tables[segment]
    return None


def _profiles_and_logins() -> tuple[dict[str, str], set[str]]:
    types_ = user_types().by_name
    profiles = {t.model.__table__.name: name for name, t in types_.items()}
    logins = {fk.column.table.name for t in types_.values() for fk in t.model.id_user.foreign_keys}
    return profiles, logins


def _direct_owners(table: Table) -> list[tuple[Column[Any], str]]:
    profiles, logins = _profiles_and_logins()
    found = []
    for column in table.columns:
        for fk in column.foreign_keys:
            target = fk.column.table.name
            if target in profiles or target in logins:
                found.append((column, profiles.get(target, "login")))
    return found


def owner_columns_of(table: Table) -> list[tuple[list[Column[Any]], str]]:
    """How a row of ``table`` reaches its owners: (foreign-key chain, owner kind), directly or
    through one parent (a chapter's book's author). ``login`` is a sign-in's own id."""
    profiles, logins = _profiles_and_logins()
    if table.name in profiles or table.name in logins:
        return []
    chains = [([column], kind) for column, kind in _direct_owners(table)]
    if not chains:
        chains = [
            ([column, owner], kind)
            for column in table.columns
            for fk in column.foreign_keys
            for owner, kind in _direct_owners(fk.column.table)
        ]
    # Where a CRUD resource declares the table's owner scope, that column alone decides (a
    # book's ``id_publisher`` records its imprint; publishers act through their links).
    declared = declared_scopes()
    return [
        chain
        for chain in chains
        if declared.get(chain[0][-1].table.name, chain[0][-1].name) == chain[0][-1].name
    ]


@cache
def declared_scopes() -> dict[str, str]:
    """table -> the owner column a CRUD resource over it declares as its scope."""
    return {
        crud.resource.meta.table.name: crud.resource.scope_column.name
        for crud in crud_resources()
        if crud.resource.scope_column is not None
    }


_SIMPLE: dict[type, Any] = {
    bool: False,
    int: 1,
    float: 1.0,
    decimal.Decimal: "1",
    uuid.UUID: str(uuid.UUID(int=0xBEEF)),
    dt.datetime: "2026-01-01T00:00:00+00:00",
    dt.date: "2026-01-01",
}


def _sample_class(annotation: type) -> Any:
    if issubclass(annotation, BaseModel):
        return sample_body(annotation)
    if issubclass(annotation, enum.Enum):
        return next(iter(annotation)).value
    for kind, value in _SIMPLE.items():
        if issubclass(annotation, kind):
            return value
    return "Contoh isian"


def sample_of(annotation: Any) -> Any:
    """A well-formed value of ``annotation`` (so validation passes and the handler decides)."""
    origin = typing.get_origin(annotation)
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if origin in (typing.Union, types.UnionType, typing.Annotated):
        return sample_of(args[0])
    if origin is typing.Literal:
        return args[0]
    if origin in (list, set, tuple, frozenset):
        return [sample_of(args[0])] if args else []
    if origin is dict:
        return {}
    return _sample_class(annotation) if isinstance(annotation, type) else "Contoh isian"


def sample_body(model: type[BaseModel]) -> dict[str, Any]:
    """Every required field of ``model`` with a well-formed value (length limits respected)."""
    body: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if not info.is_required():
            continue
        value = sample_of(info.annotation)
        for meta in info.metadata:
            low = getattr(meta, "min_length", None)
            if isinstance(value, str) and low:
                value = (value * low)[: max(low, len(value))]
        body[info.alias or name] = value
    return body
