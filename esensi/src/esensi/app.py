"""Composition root: settings -> rlib config -> the ASGI app.

``uvicorn --factory esensi.app:create`` (what ``esensi serve`` runs) builds it from the environment.
"""

from __future__ import annotations

from esensi.api import DOMAIN_PACKAGES
from esensi.emails import mailer
from esensi.messages import MESSAGES
from esensi.models import metadata
from esensi.settings import Settings, load_settings
from rlib import Catalogue, Registry, RlibApp, create_app
from rlib.health import add_builtins
from rlib.mail import MAIL_MESSAGES, WorkerHooks
from rlib.runner import Authenticator


def registry() -> Registry:
    """Every endpoint: the framework's built-ins and the five domains."""
    return add_builtins(Registry().discover(*DOMAIN_PACKAGES))


def build_app(
    settings: Settings, *, authenticator: Authenticator | None = None, mail_worker: bool = False
) -> RlibApp:
    """The app for ``settings``. Without an authenticator every non-public endpoint answers 401.

    ``mail_worker`` runs the outbox worker inside the app process (``esensi serve``).
    """
    hooks = WorkerHooks(mailer=mailer, config=settings.mail.rlib_config())
    return create_app(
        config=settings.rlib_config(),
        registry=registry(),
        catalogue=Catalogue(MESSAGES, MAIL_MESSAGES),
        metadata=metadata,
        settings=settings,
        authenticator=authenticator,
        on_startup=[hooks.start] if mail_worker else [],
        on_shutdown=[hooks.stop] if mail_worker else [],
    )


def create() -> RlibApp:
    """The app configured from the environment (uvicorn factory)."""
    settings = load_settings()
    return build_app(settings, mail_worker=settings.mail.worker)
