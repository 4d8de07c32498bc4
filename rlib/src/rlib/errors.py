"""Error classes: each carries an HTTP status, a machine ``code`` and a message key.

The runner renders every error into the envelope with its status, code and translated
message. Raise these; never build an error response by hand.

    RlibError (500, internal_error)
    ├── BadRequestError (400, bad_request)            malformed JSON, invalid UTF-8
    ├── AuthenticationError (401, unauthenticated)
    ├── AuthorizationError (403, forbidden)
    ├── NotFoundError (404, not_found)                "<resource> tidak ditemukan"
    │   └── RouteNotFoundError (404, route_not_found)
    ├── MethodNotAllowedError (405, method_not_allowed)
    ├── ConflictError (409, conflict)
    │   ├── UniqueViolationError (409, unique_violation)
    │   ├── DeleteBlockedError (409, delete_blocked)
    │   └── StaleVersionError (409, stale_version)
    ├── PayloadTooLargeError (413, payload_too_large)
    ├── UnsupportedMediaTypeError (415, unsupported_media_type)
    ├── ValidationError (422, validation_error)       field errors
    ├── RateLimitedError (429, rate_limited)          + Retry-After
    └── ServiceUnavailableError (503, service_unavailable)  + Retry-After
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import ClassVar


@dataclass(frozen=True, slots=True)
class FieldError:
    """One invalid field: ``loc`` is its path (``["body", "name"]``), ``key`` a catalogue key."""

    loc: tuple[str | int, ...]
    key: str
    params: Mapping[str, object] = field(default_factory=dict)
    fallback: str | None = None  # untranslated text, used when the key is unknown


class RlibError(Exception):
    """Base of every error the runner renders; subclasses set ``status``, ``code`` and ``key``."""

    status: ClassVar[int] = 500
    code: ClassVar[str] = "internal_error"
    key: ClassVar[str] = "error.internal"

    def __init__(
        self,
        message_key: str | None = None,
        /,
        *,
        headers: Mapping[str, str] | None = None,
        **params: object,
    ) -> None:
        self.message_key = message_key or self.key
        self.params: dict[str, object] = dict(params)
        self.headers: dict[str, str] = dict(headers or {})
        super().__init__(self.message_key)

    def data(self) -> object:
        """Extra machine-readable data for the envelope's ``data`` field."""
        return None


class BadRequestError(RlibError):
    """400: the request cannot be parsed (malformed JSON, invalid UTF-8, bad query string)."""

    status = 400
    code = "bad_request"
    key = "error.bad_request"


class AuthenticationError(RlibError):
    """401: no valid session."""

    status = 401
    code = "unauthenticated"
    key = "error.unauthenticated"


class AuthorizationError(RlibError):
    """403: signed in, but not allowed."""

    status = 403
    code = "forbidden"
    key = "error.forbidden"


class NotFoundError(RlibError):
    """404: ``<resource> tidak ditemukan``; also for rows the caller does not own."""

    status = 404
    code = "not_found"
    key = "error.not_found"

    def __init__(self, resource: str = "Data", /, **params: object) -> None:
        super().__init__()
        self.params.update(params, resource=resource)


class RouteNotFoundError(RlibError):
    """404 for a URL no endpoint answers."""

    status = 404
    code = "route_not_found"
    key = "error.route_not_found"


class MethodNotAllowedError(RlibError):
    """405: the URL exists but not for this method; ``Allow`` lists the methods."""

    status = 405
    code = "method_not_allowed"
    key = "error.method_not_allowed"

    def __init__(self, allowed: Sequence[str]) -> None:
        super().__init__(headers={"Allow": ", ".join(sorted(allowed))})


class ConflictError(RlibError):
    """409: the request conflicts with the current state."""

    status = 409
    code = "conflict"
    key = "error.conflict"


class UniqueViolationError(ConflictError):
    """409: a unique constraint refused the write; ``field`` names the column(s)."""

    code = "unique_violation"
    key = "error.unique_violation"


class DeleteBlockedError(ConflictError):
    """409: a foreign key from ``relation`` still references the row."""

    code = "delete_blocked"
    key = "error.delete_blocked"


class StaleVersionError(ConflictError):
    """409: the row changed since the caller read it (optimistic locking)."""

    code = "stale_version"
    key = "error.stale_version"


class PayloadTooLargeError(RlibError):
    """413: the body (or query string) exceeds its limit."""

    status = 413
    code = "payload_too_large"
    key = "error.payload_too_large"


class UnsupportedMediaTypeError(RlibError):
    """415: the endpoint takes JSON and the body is something else."""

    status = 415
    code = "unsupported_media_type"
    key = "error.unsupported_media_type"


class ValidationError(RlibError):
    """422: input that parses but is invalid; carries a list of :class:`FieldError`."""

    status = 422
    code = "validation_error"
    key = "error.validation"

    def __init__(
        self, errors: Sequence[FieldError] = (), message_key: str | None = None, /, **params: object
    ) -> None:
        super().__init__(message_key)
        self.params.update(params)
        self.errors = list(errors)


class RateLimitedError(RlibError):
    """429: too many attempts; ``Retry-After`` says when to try again."""

    status = 429
    code = "rate_limited"
    key = "error.rate_limited"

    def __init__(self, retry_after: int, message_key: str | None = None, /) -> None:
        super().__init__(message_key, headers={"Retry-After": str(max(1, retry_after))})


class ServiceUnavailableError(RlibError):
    """503: a dependency (database, gateway) is down; ``Retry-After`` when known."""

    status = 503
    code = "service_unavailable"
    key = "error.service_unavailable"

    def __init__(self, message_key: str | None = None, /, *, retry_after: int = 5) -> None:
        super().__init__(message_key, headers={"Retry-After": str(retry_after)})
