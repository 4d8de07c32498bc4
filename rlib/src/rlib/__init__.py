"""rlib: declarative async API framework (endpoints, envelope, errors, i18n, database)."""

from rlib.app import RlibApp, create_app
from rlib.config import DatabaseConfig, HostsConfig, LimitsConfig, RlibConfig
from rlib.context import Ctx
from rlib.endpoint import Access, Endpoint, define_api
from rlib.envelope import Page
from rlib.errors import (
    AuthenticationError,
    AuthorizationError,
    BadRequestError,
    ConflictError,
    FieldError,
    NotFoundError,
    PayloadTooLargeError,
    RateLimitedError,
    RlibError,
    ServiceUnavailableError,
    UnsupportedMediaTypeError,
    ValidationError,
)
from rlib.i18n import Catalogue, pick_lang, translate_error_message
from rlib.registry import Domain, Registry, RegistryError
from rlib.scope import Scope

__all__ = [
    "Access",
    "AuthenticationError",
    "AuthorizationError",
    "BadRequestError",
    "Catalogue",
    "ConflictError",
    "Ctx",
    "DatabaseConfig",
    "Domain",
    "Endpoint",
    "FieldError",
    "HostsConfig",
    "LimitsConfig",
    "NotFoundError",
    "Page",
    "PayloadTooLargeError",
    "RateLimitedError",
    "Registry",
    "RegistryError",
    "RlibApp",
    "RlibConfig",
    "RlibError",
    "Scope",
    "ServiceUnavailableError",
    "UnsupportedMediaTypeError",
    "ValidationError",
    "create_app",
    "define_api",
    "pick_lang",
    "translate_error_message",
]
