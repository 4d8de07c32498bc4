"""Which error answers an operation can give: the framework's own, plus what it declares.

The framework adds, where they apply: 413 for a query string or body over the limit, 409
``unique_violation`` for a write, 400/415 for a JSON body, 401 and 403 unless the
endpoint is public, 404 ``not_found`` everywhere (a handler that reads a row it cannot find,
or someone else's, answers it), 404 ``route_not_found`` for path parameters the router refuses
(``/browse/{page:int}`` with a word), 422 when there is input to validate (any body is).
Endpoints declare the rest (``errors=`` on ``define_api``; CRUD actions declare 404/409
themselves; throttled routes declare 429). A route on another protocol's wire (``wire=``)
answers the wire's codes and statuses instead (better-auth: ``VALIDATION_ERROR`` with 400).
"""

from __future__ import annotations

from collections import defaultdict

from rlib.errors import (
    AuthenticationError,
    AuthorizationError,
    BadRequestError,
    NotFoundError,
    PayloadTooLargeError,
    RlibError,
    RouteNotFoundError,
    UniqueViolationError,
    UnsupportedMediaTypeError,
    ValidationError,
)
from rlib.gen.model import Operation, RouteOp


def framework_errors(op: Operation, route: RouteOp) -> list[type[RlibError]]:
    """The framework's own error answers for ``route``."""
    endpoint = op.endpoint
    # 413: a body over the limit, or a query string over ``max_query_bytes`` (any route).
    found: list[type[RlibError]] = [PayloadTooLargeError]
    if not endpoint.reads_only(route.method):
        found.append(UniqueViolationError)  # the runner maps a refused unique write to 409
    if route.has_body and endpoint.body == "json":
        found += [BadRequestError, UnsupportedMediaTypeError]
    if not op.access.public:
        found += [AuthenticationError, AuthorizationError]
    found.append(NotFoundError)
    if route.params and endpoint.wire is None:  # the router's 404 is in the envelope
        found.append(RouteNotFoundError)
    if endpoint.input_model is not None or route.params or route.has_body:
        found.append(ValidationError)
    return found


def error_codes(op: Operation, route: RouteOp) -> dict[int, list[str]]:
    """HTTP status -> the sorted machine codes ``route`` may answer with (in the route's wire,
    when it speaks another protocol's)."""
    codes: defaultdict[int, set[str]] = defaultdict(set)
    wire = op.endpoint.wire
    for error in (*framework_errors(op, route), *op.endpoint.errors):
        if wire is None:
            codes[error.status].add(error.code)
        else:
            codes[wire.status(error.code, error.status)].add(wire.code(error.code))
    return {status: sorted(codes[status]) for status in sorted(codes)}


def all_codes(ops: list[Operation]) -> list[str]:
    """Every machine code any operation may answer with (sorted)."""
    return sorted(
        {code for op in ops for r in op.routes for cs in error_codes(op, r).values() for code in cs}
        | {RlibError.code}
    )
