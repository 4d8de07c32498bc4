"""Builds the fixture shop app for rlib's tests."""

from __future__ import annotations

from fixture_apps.shop.models import Base
from rlib import Catalogue, LimitsConfig, Registry, RlibApp, RlibConfig, create_app
from rlib.db.engine import Database
from rlib.mail import MAIL_MESSAGES
from rlib.runner import Authenticator


def make_shop_app(
    database: Database | None = None,
    *,
    limits: LimitsConfig | None = None,
    authenticator: Authenticator | None = None,
) -> RlibApp:
    """The shop app on ``database`` (kept open by the caller)."""
    registry = Registry().discover("fixture_apps.shop")
    app = create_app(
        config=RlibConfig(limits=limits or LimitsConfig()),
        registry=registry,
        catalogue=Catalogue(MAIL_MESSAGES),
        metadata=Base.metadata,
        authenticator=authenticator,
    )
    if database is not None:
        app.use_database(database)
    return app
