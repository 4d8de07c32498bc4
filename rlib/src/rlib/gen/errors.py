"""Which error answers an operation can give: the framework's own, plus what it declares.

The framework adds, where they apply: 400/413/415 for a JSON body, 401 and 403 unless the
endpoint is public, 404 for path parameters, 422 when there is input to validate. Endpoints
declare the rest (``errors=`` on ``define_api``; CRUD actions declare 404/409 themselves;
throttled routes declare 429).
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
    UnsupportedMediaTypeError,
    ValidationError,
)
from rlib.gen.model import Operation, RouteOp


def framework_errors(op: Operation, route: RouteOp) -> list[type[RlibError]]:
    """The framework's own error answers for ``route``."""
    found: list[type[RlibError]] = []
    endpoint = op.endpoint
    if route.has_body:
        found.append(PayloadTooLargeError)
        if endpoint.body == "json":
            found += [BadRequestError, UnsupportedMediaTypeError]
    if not op.access.public:
        found += [AuthenticationError, AuthorizationError]
    if route.params:
        found.append(NotFoundError)
    if endpoint.input_model is not None or route.params:
        found.append(ValidationError)
    return found


def error_codes(op: Operation, route: RouteOp) -> dict[int, list[str]]:
    """HTTP status -> the sorted machine codes ``route`` may answer with."""
    codes: defaultdict[int, set[str]] = defaultdict(set)
    for error in (*framework_errors(op, route), *op.endpoint.errors):
        codes[error.status].add(error.code)
    return {status: sorted(codes[status]) for status in sorted(codes)}


def all_codes(ops: list[Operation]) -> list[str]:
    """Every machine code any operation may answer with (sorted)."""
    return sorted(
        {code for op in ops for r in op.routes for cs in error_codes(op, r).values() for code in cs}
        | {RlibError.code}
    )
