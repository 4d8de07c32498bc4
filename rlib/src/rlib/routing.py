"""Route table keyed by (host key, method, path).

Static paths are one dict lookup. Parameterised paths are grouped by segment count and
ordered so that static segments win over parameters at every position; typed parameters
(``int``, ``uuid``) never swallow a word that does not parse. A path declared statically
belongs to its static routes under that host key, whatever the method: ``GET /book/create``
next to ``POST /book/create`` and ``GET /book/{id}`` is 405, never the book called "create"
(ADR f-crud-list-get).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")

_PARAM = re.compile(r"^\{(?P<name>[a-zA-Z_][a-zA-Z0-9_]*)(?::(?P<kind>str|int|uuid|path))?\}$")


def _to_int(raw: str) -> int | None:
    return int(raw) if raw.isdigit() and len(raw) <= 18 else None


def _to_uuid(raw: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(raw)
    except ValueError:
        return None


_CONVERTERS: dict[str, Callable[[str], object | None]] = {
    "str": lambda raw: raw or None,
    "int": _to_int,
    "uuid": _to_uuid,
}


@dataclass(frozen=True, slots=True)
class _Segment:
    static: str | None
    name: str = field(default="", compare=False)  # a parameter's name does not change its shape
    kind: str = "str"


@dataclass(slots=True)
class _Pattern(Generic[T]):
    segments: tuple[_Segment, ...]
    targets: dict[str, T] = field(default_factory=dict)
    names: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def rank(self) -> tuple[int, ...]:
        # Lower sorts first: at each position a static segment beats a typed one beats str.
        order = {"int": 1, "uuid": 1, "str": 2, "path": 3}
        return tuple(0 if s.static is not None else order[s.kind] for s in self.segments)

    def match(self, parts: list[str]) -> list[object] | None:
        params: list[object] = []
        for index, segment in enumerate(self.segments):
            if segment.kind == "path":
                rest = "/".join(parts[index:])
                if not rest:
                    return None
                params.append(rest)
                return params
            if index >= len(parts):
                return None
            raw = parts[index]
            if segment.static is not None:
                if raw != segment.static:
                    return None
                continue
            value = _CONVERTERS[segment.kind](raw)
            if value is None:
                return None
            params.append(value)
        return params if len(parts) == len(self.segments) else None


def split_path(path: str) -> list[str]:
    """``/a/b/`` -> ``["a", "b"]``."""
    return [part for part in path.split("/") if part]


def _parse(path: str) -> tuple[_Segment, ...]:
    segments = []
    for part in split_path(path):
        match = _PARAM.match(part)
        if match:
            segments.append(_Segment(None, match.group("name"), match.group("kind") or "str"))
        else:
            segments.append(_Segment(part))
    return tuple(segments)


class RouteConflictError(ValueError):
    """Two targets claim the same (host key, method, path)."""


@dataclass(frozen=True, slots=True)
class Match(Generic[T]):
    """A found route: the target and the converted path parameters."""

    target: T
    params: dict[str, object]


@dataclass(frozen=True, slots=True)
class WrongMethod:
    """The path exists, but not for this method."""

    allowed: tuple[str, ...]


class Router(Generic[T]):
    """Finds the target of (host key, method, path); host-less routes answer on every host."""

    def __init__(self) -> None:
        self._static: dict[tuple[str | None, str], dict[str, T]] = {}
        self._dynamic: dict[str | None, list[_Pattern[T]]] = {}

    def add(self, host_key: str | None, method: str, path: str, target: T) -> None:
        """Register ``target``; raises RouteConflictError when the slot is taken."""
        segments = _parse(path)
        if all(s.static is not None for s in segments):
            slot = self._static.setdefault((host_key, "/" + "/".join(split_path(path))), {})
        else:
            patterns = self._dynamic.setdefault(host_key, [])
            pattern = next((p for p in patterns if p.segments == segments), None)
            if pattern is None:
                pattern = _Pattern(segments)
                patterns.append(pattern)
                patterns.sort(key=lambda p: p.rank)
            pattern.names[method] = tuple(s.name for s in segments if s.static is None)
            slot = pattern.targets
        if method in slot:
            raise RouteConflictError(f"{method} {path} (host {host_key or '*'}) is declared twice")
        slot[method] = target

    def existing(self, host_key: str | None, method: str, path: str) -> T | None:
        """The target already registered at exactly this slot, if any."""
        segments = _parse(path)
        if all(s.static is not None for s in segments):
            return self._static.get((host_key, "/" + "/".join(split_path(path))), {}).get(method)
        for pattern in self._dynamic.get(host_key, []):
            if pattern.segments == segments:
                return pattern.targets.get(method)
        return None

    def match(self, host_key: str | None, method: str, path: str) -> Match[T] | WrongMethod | None:
        """The route for the request, WrongMethod when only other methods exist, else None."""
        parts = split_path(path)
        normalised = "/" + "/".join(parts)
        allowed: set[str] = set()
        for key in (host_key, None) if host_key is not None else (None,):
            targets = self._static.get((key, normalised))
            if targets:
                if method in targets:
                    return Match(targets[method], {})
                allowed.update(targets)
                continue  # the word is taken: no parameter of this host key may read it
            for pattern in self._dynamic.get(key, ()):
                params = pattern.match(parts)
                if params is None:
                    continue
                if method in pattern.targets:
                    return Match(
                        pattern.targets[method],
                        dict(zip(pattern.names[method], params, strict=True)),
                    )
                allowed.update(pattern.targets)
        return WrongMethod(tuple(sorted(allowed))) if allowed else None
