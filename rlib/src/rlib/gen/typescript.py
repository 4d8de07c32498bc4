"""JSON Schema (as pydantic writes it) -> TypeScript type expressions.

Covers what the registry's models produce: ``$ref``, ``const``, ``enum``, ``anyOf``/``oneOf``,
``allOf``, ``type`` (one or a list), arrays and tuples, objects with optional properties and
open (``additionalProperties``) or closed shapes. Anything else is ``unknown``.
"""

from __future__ import annotations

import json
import re
from typing import Any

from rlib.gen.schemas import REF_PREFIX

_IDENT = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")
_PRIMITIVES = {
    "string": "string",
    "integer": "number",
    "number": "number",
    "boolean": "boolean",
    "null": "null",
}


def type_name(component: str) -> str:
    """A component name as a TypeScript identifier (``Foo-Input`` -> ``Foo_Input``)."""
    name = re.sub(r"[^A-Za-z0-9_]", "_", component)
    return name if not name[:1].isdigit() else "_" + name


def prop_key(name: str) -> str:
    """A property name, quoted when it is not an identifier."""
    return name if _IDENT.match(name) else json.dumps(name)


def _union(parts: list[str]) -> str:
    unique = list(dict.fromkeys(parts))
    if "unknown" in unique:
        return "unknown"
    return " | ".join(unique) if unique else "never"


def _wrap(expr: str) -> str:
    return f"({expr})" if (" | " in expr or " & " in expr) else expr


class TsTypes:
    """Writes type expressions; ``ns`` is put before component names (``T.`` in the client)."""

    def __init__(self, ns: str = "") -> None:
        self.ns = ns

    def of(self, schema: Any, indent: str = "") -> str:  # noqa: C901 - one branch per keyword
        """The TypeScript type of ``schema``."""
        if not isinstance(schema, dict) or not schema:
            return "unknown"
        if "$ref" in schema:
            return self.ns + type_name(str(schema["$ref"]).removeprefix(REF_PREFIX))
        if "const" in schema:
            return json.dumps(schema["const"])
        if "enum" in schema:
            return _union([json.dumps(v) for v in schema["enum"]])
        for key in ("anyOf", "oneOf"):
            if key in schema:
                return _union([self.of(s, indent) for s in schema[key]])
        if "allOf" in schema:
            return " & ".join(_wrap(self.of(s, indent)) for s in schema["allOf"])
        kind = schema.get("type")
        if isinstance(kind, list):
            return _union([self.of({**schema, "type": k}, indent) for k in kind])
        if kind == "array":
            return self._array(schema, indent)
        if kind == "object" or "properties" in schema:
            return self._object(schema, indent)
        if kind == "string" and schema.get("format") == "binary":
            return "Blob"  # a file field of a multipart form
        return _PRIMITIVES.get(str(kind), "unknown")

    def _array(self, schema: dict[str, Any], indent: str) -> str:
        if "prefixItems" in schema:
            return "[" + ", ".join(self.of(s, indent) for s in schema["prefixItems"]) + "]"
        return f"Array<{self.of(schema.get('items', {}), indent)}>"

    def _object(self, schema: dict[str, Any], indent: str) -> str:
        properties: dict[str, Any] = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        open_type = None
        if extra is True or (extra is None and not properties):
            open_type = "unknown"
        elif isinstance(extra, dict):
            open_type = self.of(extra, indent)
        if not properties:
            return f"Record<string, {open_type or 'never'}>"
        required = set(schema.get("required", ()))
        inner = indent + "  "
        lines = []
        for name, prop in properties.items():
            doc = prop.get("description") if isinstance(prop, dict) else None
            if doc:
                lines.append(f"{inner}/** {_doc(doc)} */")
            mark = "" if name in required else "?"
            lines.append(f"{inner}{prop_key(name)}{mark}: {self.of(prop, inner)};")
        body = "{\n" + "\n".join(lines) + f"\n{indent}}}"
        return f"{body} & Record<string, unknown>" if open_type is not None else body


def _doc(text: str) -> str:
    return " ".join(str(text).replace("*/", "* /").split())


def declarations(components: dict[str, Any]) -> str:
    """``export type Name = ...;`` for every component, in name order."""
    out = []
    for name in sorted(components):
        schema = components[name]
        doc = schema.get("description") if isinstance(schema, dict) else None
        if doc:
            out.append(f"/** {_doc(doc)} */")
        out.append(f"export type {type_name(name)} = {TsTypes().of(schema)};\n")
    return "\n".join(out)
