"""OpenAPI 3.1 from the registry: operation id ``<domain>.<name>``, typed envelopes, error codes.

Paths are the single-origin layout (every domain on one host, unhosted prefixes applied), where
every path is unique. Each domain is a tag that names its host key; on a hosted deployment the
domain answers on that host without the unhosted prefix (the generated client does this).
"""

from __future__ import annotations

from collections.abc import Collection
from http import HTTPStatus
from typing import Any

from rlib.config import HostsConfig
from rlib.gen.errors import error_codes
from rlib.gen.model import Operation, RouteOp, by_domain, operations
from rlib.gen.schemas import REF_PREFIX, SchemaSet, build_schemas
from rlib.registry import Domain, Registry

OPENAPI_VERSION = "3.1.0"
SECURITY: list[dict[str, list[str]]] = [{"session": []}, {"bearer": []}]
_METHOD_ORDER = ("get", "post", "put", "patch", "delete")
_PARAM_SCHEMAS: dict[str, dict[str, Any]] = {
    "uuid": {"type": "string", "format": "uuid"},
    "int": {"type": "integer"},
    "path": {"type": "string"},
    "": {"type": "string"},
}

Json = dict[str, Any]


def _envelope_parts() -> dict[str, Json]:
    return {
        "Pagination": {
            "type": "object",
            "description": "One page of a list; totalPages is null when the count was skipped.",
            "required": ["page", "limit", "total", "totalPages"],
            "properties": {
                "page": {"type": "integer"},
                "limit": {"type": "integer"},
                "total": {"type": ["integer", "null"]},
                "totalPages": {"type": ["integer", "null"]},
                "hasMore": {"type": "boolean"},
                "nextCursor": {"type": "string"},
            },
        },
        "FieldError": {
            "type": "object",
            "required": ["field", "loc", "message", "type"],
            "properties": {
                "field": {"type": "string"},
                "loc": {"type": "array", "items": {"type": ["string", "integer"]}},
                "message": {"type": "string"},
                "type": {"type": "string"},
            },
        },
        "Error": {
            "type": "object",
            "description": "Every error answer: a machine code and a translated message.",
            "required": ["success", "data", "message", "status", "code"],
            "properties": {
                "success": {"const": False},
                "data": {},
                "message": {"type": "string"},
                "status": {"type": "integer"},
                "code": {"type": "string"},
                "errors": {"type": "array", "items": {"$ref": REF_PREFIX + "FieldError"}},
                "requestId": {"type": "string"},
            },
        },
        "PlainError": {
            "type": "object",
            "description": "An error on another protocol's wire (better-auth's on the built-in "
            "auth routes): its machine code and our translated message.",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "errors": {"type": "array", "items": {"$ref": REF_PREFIX + "FieldError"}},
                "requestId": {"type": "string"},
            },
        },
    }


def _success(op: Operation, data: Json) -> Json:
    properties: Json = {
        "success": {"const": True},
        "data": data,
        "message": {"type": "string"},
        "status": {"type": "integer"},
    }
    required = ["success", "data", "message", "status"]
    if op.paged:
        properties["pagination"] = {"$ref": REF_PREFIX + "Pagination"}
        required.append("pagination")
    return {"type": "object", "required": required, "properties": properties}


def _ok(op: Operation, schemas: SchemaSet) -> Json:
    data = schemas.outputs.get(op.op_id, {})
    if op.endpoint.wire is not None:
        return {
            "description": "Success: the result itself (this route speaks another protocol's "
            "wire: no envelope).",
            "content": {"application/json": {"schema": data}},
        }
    return {
        "description": "Success: the envelope with `data`"
        + (" and `pagination`." if op.paged else "."),
        "content": {"application/json": {"schema": _success(op, data)}},
    }


def _error(op: Operation, status: int, codes: list[str]) -> Json:
    base = "PlainError" if op.endpoint.wire is not None else "Error"
    return {
        "description": f"{HTTPStatus(status).phrase}: " + ", ".join(f"`{c}`" for c in codes),
        "content": {
            "application/json": {
                "schema": {
                    "allOf": [
                        {"$ref": REF_PREFIX + base},
                        {"properties": {"code": {"enum": codes}}},
                    ]
                }
            }
        },
    }


def _responses(op: Operation, route: RouteOp, schemas: SchemaSet) -> Json:
    responses: Json = {"200": _ok(op, schemas)}
    action = op.endpoint.crud[1] if op.endpoint.crud is not None else None
    if action == "":
        responses["201"] = {
            "description": "Created (a body without `action`): the envelope with the new row.",
            "content": responses["200"]["content"],
        }
    elif action == "create" or op.endpoint.created:  # every URL form of create answers 201
        created = responses.pop("200")
        responses["201"] = {**created, "description": "Created: the envelope with the new row."}
    if op.redirects:
        responses["302"] = {"description": "A redirect (browser navigation)."}
    if route.method == "GET":
        _http_edge(op, responses)
    for status, codes in error_codes(op, route).items():
        responses[str(status)] = _error(op, status, codes)
    return responses


_CACHE_HEADERS: Json = {
    "ETag": {
        "description": "A strong validator of the exact body; send it back in If-None-Match.",
        "schema": {"type": "string"},
    },
    "Cache-Control": {
        "description": "`public, max-age=…, s-maxage=…`; `private, no-cache` when the answer "
        "was made for a signed-in caller.",
        "schema": {"type": "string"},
    },
    "Vary": {"schema": {"type": "string"}},
}
_IF_NONE_MATCH: Json = {
    "name": "If-None-Match",
    "in": "header",
    "required": False,
    "description": "An ETag of an earlier answer: the same data answers 304 without a body.",
    "schema": {"type": "string"},
}


def _http_edge(op: Operation, responses: Json) -> None:
    """What the HTTP edge adds to a GET (ADR 0038): the cache headers and the 304 of an
    endpoint declared with ``cache=``, the HTML shell of one declared ``page=True``."""
    ok = responses["200"]
    if op.endpoint.cache is not None:
        ok["headers"] = _CACHE_HEADERS
        responses["304"] = {
            "description": "Not Modified: If-None-Match named the current ETag; no body.",
            "headers": _CACHE_HEADERS,
        }
    if op.endpoint.page:
        ok["description"] += (
            " A browser (`Accept: text/html` preferred to JSON) gets the SPA's index.html with "
            'this envelope in `<script id="page-data" type="application/json">`, when a '
            "frontend build is configured (errors too, with their status)."
        )
        ok["content"]["text/html"] = {"schema": {"type": "string"}}


def _query_parameters(op: Operation, route: RouteOp, schemas: SchemaSet) -> list[Json]:
    schema = schemas.inputs.get(op.op_id)
    if schema is None:
        return []
    model = schemas.resolve(schema)
    required = set(model.get("required", ()))
    taken = {p.name for p in route.params}
    return [
        {"name": name, "in": "query", "required": name in required, "schema": prop}
        for name, prop in model.get("properties", {}).items()
        if name not in taken
    ]


def _parameters(op: Operation, route: RouteOp, schemas: SchemaSet) -> list[Json]:
    found: list[Json] = [
        {"name": p.name, "in": "path", "required": True, "schema": _PARAM_SCHEMAS[p.kind]}
        for p in route.params
    ]
    if not route.has_body:
        found += _query_parameters(op, route, schemas)
    if route.method == "GET" and op.endpoint.cache is not None:
        found.append(_IF_NONE_MATCH)
    return found


def _request_body(op: Operation, route: RouteOp, schemas: SchemaSet) -> Json | None:
    if not route.has_body:
        return None
    if op.endpoint.body == "raw":
        return {"required": True, "content": {"application/octet-stream": {"schema": {}}}}
    schema = schemas.inputs.get(op.op_id)
    if schema is None:
        return None
    media = "multipart/form-data" if op.endpoint.body == "multipart" else "application/json"
    return {
        "required": not schemas.optional(schema),
        "content": {media: {"schema": schema}},
    }


def _operation(op: Operation, route: RouteOp, schemas: SchemaSet) -> Json:
    endpoint = op.endpoint
    body: Json = {
        "operationId": op.route_op_id(route),
        "tags": [op.domain.name],
        "summary": endpoint.summary or endpoint.name,
        "description": f"`{endpoint.name}` · client: `client.{op.domain.name}."
        f"{op.client_name}` · access: {op.access.describe()}",
        "x-rlib-name": endpoint.name,
        "x-rlib-access": op.access.describe(),
    }
    if route.index:
        body["x-rlib-alias-of"] = op.op_id
    if endpoint.crud is not None:
        body["x-rlib-crud"] = {"resource": endpoint.crud[0], "action": endpoint.crud[1]}
    parameters = _parameters(op, route, schemas)
    if parameters:
        body["parameters"] = parameters
    request = _request_body(op, route, schemas)
    if request is not None:
        body["requestBody"] = request
    body["responses"] = _responses(op, route, schemas)
    if not op.access.public:
        body["security"] = SECURITY
    return body


def _tag(domain: Domain, hosts: HostsConfig) -> Json:
    where = domain.prefix or "/"
    tag: Json = {"name": domain.name, "description": f"The {domain.name} domain ({where})."}
    tag["x-rlib-host-key"] = domain.host_key
    tag["x-rlib-unhosted-prefix"] = domain.unhosted_prefix
    names = sorted(name for name, key in hosts.hosts.items() if key == domain.host_key)
    if names:  # the live document of a hosted deployment says where the domain answers
        tag["x-rlib-hosts"] = names
    return tag


def _paths(ops: list[Operation], schemas: SchemaSet) -> Json:
    paths: dict[str, Json] = {}
    for op in ops:
        for route in op.routes:
            item = paths.setdefault(route.path, {})
            item[route.method.lower()] = _operation(op, route, schemas)
    return {
        path: {m: paths[path][m] for m in _METHOD_ORDER if m in paths[path]}
        for path in sorted(paths)
    }


def build_openapi(
    registry: Registry,
    *,
    title: str,
    version: str,
    domains: Collection[str] | None = None,
    hosts: HostsConfig | None = None,
) -> Json:
    """The OpenAPI 3.1 document of ``registry`` (only ``domains`` when given); ``hosts`` (the
    serving app's host map) adds the host names of each hosted domain to its tag."""
    ops = [op for op in operations(registry) if domains is None or op.domain.name in domains]
    schemas = build_schemas(ops)
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": title,
            "version": version,
            "description": "Every answer is the envelope `{success, data, message, status}`; "
            "errors add a machine `code`. Generated from the endpoint registry by rlib.gen.",
        },
        "servers": [{"url": "/", "description": "one origin serving every domain"}],
        "tags": [_tag(domain, hosts or HostsConfig()) for domain, _ in by_domain(ops)],
        "paths": _paths(ops, schemas),
        "components": {
            "schemas": {**schemas.components, **_envelope_parts()},
            "securitySchemes": {
                "session": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": "session",
                    "description": "The session cookie (`__Host-session` over https), sent by "
                    "browsers with credentials: include.",
                },
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "The session token as `Authorization: Bearer <token>` "
                    "(servers, scripts).",
                },
            },
        },
    }
