"""Composition root: settings -> rlib config -> the ASGI app.

``uvicorn --factory esensi.app:create`` (what ``esensi serve`` runs) builds it from the environment.
"""

from __future__ import annotations

from esensi.api import DOMAIN_PACKAGES
from esensi.messages import MESSAGES
from esensi.models import metadata
from esensi.settings import Settings, load_settings
from rlib import Catalogue, Registry, RlibApp, create_app
from rlib.health import add_builtins
from rlib.runner import Authenticator


def registry() -> Registry:
    """Every endpoint: the framework's built-ins and the five domains."""
    return add_builtins(Registry().discover(*DOMAIN_PACKAGES))


def build_app(settings: Settings, *, authenticator: Authenticator | None = None) -> RlibApp:
    """The app for ``settings``. Without an authenticator every non-public endpoint answers 401."""
    return create_app(
        config=settings.rlib_config(),
        registry=registry(),
        catalogue=Catalogue(MESSAGES),
        metadata=metadata,
        settings=settings,
        authenticator=authenticator,
    )


def create() -> RlibApp:
    """The app configured from the environment (uvicorn factory)."""
    return build_app(load_settings())
