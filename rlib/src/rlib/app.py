"""``create_app``: the ASGI application — lifespan, request ids and logs, routing, the runner."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence

from sqlalchemy import MetaData
from starlette.types import Receive, Scope, Send

from rlib.config import GenConfig, RlibConfig
from rlib.db.engine import Database
from rlib.gen.docs import add_docs
from rlib.health import add_builtins
from rlib.i18n import Catalogue
from rlib.observe import ObserveMiddleware
from rlib.registry import Registry, Route
from rlib.routing import Router
from rlib.runner import Authenticator, Runner

logger = logging.getLogger("rlib.app")

Hook = Callable[["RlibApp"], Awaitable[None]]


class RlibApp:
    """The ASGI app. The database is opened at startup (lifespan) and disposed at shutdown."""

    def __init__(
        self,
        *,
        config: RlibConfig,
        registry: Registry,
        catalogue: Catalogue,
        metadata: MetaData | None = None,
        settings: object = None,
        authenticator: Authenticator | None = None,
        on_startup: Sequence[Hook] = (),
        on_shutdown: Sequence[Hook] = (),
    ) -> None:
        self.config = config
        self.registry = registry
        self.catalogue = catalogue
        self.settings = settings
        self.router: Router[Route] = registry.mount(config.hosts)
        self._database: Database | None = None
        self._owns_database = True
        self._on_startup = list(on_startup)
        self._on_shutdown = list(on_shutdown)
        self.runner = Runner(
            router=self.router,
            database=lambda: self.database,
            catalogue=catalogue,
            config=config,
            settings=settings,
            metadata=metadata,
            authenticator=authenticator,
        )
        self._http = ObserveMiddleware(self.runner)

    @property
    def database(self) -> Database:
        """The open database (opened on first use when the server skipped the lifespan)."""
        if self._database is None:
            self._database = Database(self.config.database)
        return self._database

    def use_database(self, database: Database) -> None:
        """Run on an existing Database, which the caller keeps and disposes (tests)."""
        self._database = database
        self._owns_database = False

    async def startup(self) -> None:
        """Open the database and run the startup hooks."""
        _ = self.database
        for hook in self._on_startup:
            await hook(self)

    async def shutdown(self) -> None:
        """Run the shutdown hooks and dispose the database."""
        for hook in self._on_shutdown:
            await hook(self)
        if self._database is not None and self._owns_database:
            await self._database.dispose()
            self._database = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "http":
            await self._http(scope, receive, send)
        elif kind == "lifespan":
            await self._lifespan(receive, send)
        elif kind == "websocket":
            await send({"type": "websocket.close", "code": 1008})

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    await self.startup()
                except Exception as exc:
                    logger.exception("startup failed")
                    await send({"type": "lifespan.startup.failed", "message": str(exc)})
                    return
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.shutdown()
                await send({"type": "lifespan.shutdown.complete"})
                return


def create_app(
    *,
    config: RlibConfig,
    registry: Registry,
    catalogue: Catalogue | None = None,
    metadata: MetaData | None = None,
    settings: object = None,
    authenticator: Authenticator | None = None,
    on_startup: Sequence[Hook] = (),
    on_shutdown: Sequence[Hook] = (),
    docs: GenConfig | None = None,
) -> RlibApp:
    """Build the ASGI app from a registry; the built-in health endpoints are added, and
    ``/openapi.json`` + ``/docs`` when ``docs`` is given (staff-only in production).

    Raises:
        RegistryError: on duplicate names or routes, naming both modules.
    """
    registry = add_builtins(registry)
    if docs is not None:
        registry = add_docs(registry, docs, config.env, config.hosts)
    return RlibApp(
        config=config,
        registry=registry,
        catalogue=catalogue or Catalogue(),
        metadata=metadata,
        settings=settings,
        authenticator=authenticator,
        on_startup=on_startup,
        on_shutdown=on_shutdown,
    )
