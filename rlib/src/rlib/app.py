"""``create_app``: the ASGI application — lifespan, request ids and logs, routing, the runner."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

from sqlalchemy import MetaData
from starlette.types import Receive, Scope, Send

from rlib.auth import sessions as auth_sessions
from rlib.auth.authenticator import SessionAuthenticator
from rlib.auth.sockets import SessionSocketAuth
from rlib.config import GenConfig, NotifyConfig, RlibConfig
from rlib.db.engine import Database
from rlib.db.tx import unit_of
from rlib.gen.docs import add_docs
from rlib.health import ROOT, add_builtins
from rlib.i18n import Catalogue
from rlib.metrics import Gauge, GaugeSource, local_values, metrics_endpoint, pool_values
from rlib.metrics_shared import SharedMetrics
from rlib.notify.bus.base import Bus
from rlib.notify.bus.local import LocalBus
from rlib.notify.bus.postgres import PostgresBus
from rlib.notify.bus.redis import RedisBus
from rlib.notify.hub import Hub, SocketAuth
from rlib.notify.routes import notif_endpoints
from rlib.notify.send import Notifier
from rlib.notify.ws import serve_notif_socket
from rlib.observe import ObserveMiddleware, RequestMetrics
from rlib.registry import Registry, Route
from rlib.routing import Router
from rlib.runner import Authenticator, Runner

logger = logging.getLogger("rlib.app")

Hook = Callable[["RlibApp"], Awaitable[None]]

NOTIF_SOCKET_PATH = "/ws/notif"


def build_bus(config: NotifyConfig, database_url: str) -> Bus:
    """Redis when configured, else PostgreSQL LISTEN/NOTIFY on PostgreSQL, else in-process."""
    if config.redis_url:
        return RedisBus(config.redis_url, config.channel, reconnect_s=config.bus_reconnect_s)
    if database_url.startswith("postgresql"):
        return PostgresBus(database_url, config.channel, reconnect_s=config.bus_reconnect_s)
    return LocalBus(config.channel)


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
        notifier: Notifier | None = None,
        socket_auth: SocketAuth | None = None,
        metrics: RequestMetrics | None = None,
        gauges: Sequence[GaugeSource] = (),
    ) -> None:
        self.config = config
        self.metrics = metrics
        # The app's own sources (read by the scraping worker); this process's are local_gauges.
        self.gauges: list[GaugeSource] = list(gauges)
        self.shared_metrics: SharedMetrics | None = None
        self._flusher: asyncio.Task[None] | None = None
        self.notifier = notifier
        self.hub: Hub | None = None
        if socket_auth is None and isinstance(authenticator, SessionAuthenticator):
            socket_auth = SessionSocketAuth(authenticator.kit)
        self._socket_auth = socket_auth
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
        self._http = ObserveMiddleware(self.runner, metrics, config.always_headers())

    def local_gauges(self) -> list[Gauge]:
        """This process's gauges: its pool, its sockets, its bus subscriptions."""
        hub = self.hub
        return [
            *pool_values(self.database),
            Gauge(
                "ws_connections", "Open notification WebSockets.", float(hub.count() if hub else 0)
            ),
            Gauge(
                "bus_reconnects",
                "Notification bus subscriptions made (the first counts).",
                float(hub.reconnects if hub else 0),
            ),
        ]

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
        """Open the database, subscribe to the notification bus, run the startup hooks."""
        _ = self.database
        await self._start_notify()
        for hook in self._on_startup:
            await hook(self)
        self._start_shared_metrics()

    async def shutdown(self) -> None:
        """Run the shutdown hooks, close sockets and the bus, dispose the database."""
        await self._stop_shared_metrics()
        for hook in self._on_shutdown:
            await hook(self)
        await self._stop_notify()
        if self._database is not None and self._owns_database:
            await self._database.dispose()
            self._database = None

    def _start_shared_metrics(self) -> None:
        shared_dir = self.config.metrics.shared_dir
        if self.metrics is None or not shared_dir or self._flusher is not None:
            return
        self.shared_metrics = SharedMetrics(Path(shared_dir), self.metrics)
        self._flusher = asyncio.create_task(self._flush_metrics(self.shared_metrics))

    async def _flush_metrics(self, share: SharedMetrics) -> None:
        # Every flush_s: this worker's snapshot, for whichever worker answers the next scrape.
        while True:
            try:
                await asyncio.to_thread(share.write, local_values(self.local_gauges()))
            except OSError:
                logger.exception("metrics snapshot not written")
            await asyncio.sleep(self.config.metrics.flush_s)

    async def _stop_shared_metrics(self) -> None:
        if self._flusher is None or self.shared_metrics is None:
            return
        flusher, self._flusher = self._flusher, None
        flusher.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await flusher
        with contextlib.suppress(OSError):  # the last figures of a worker that stops cleanly
            self.shared_metrics.write(local_values(self.local_gauges()))

    async def _start_notify(self) -> None:
        if self.notifier is None or self._socket_auth is None or self.hub is not None:
            return
        notify = self.config.notify
        self.hub = Hub(
            notifier=self.notifier,
            bus=build_bus(notify, self.config.database.url),
            database=lambda: self.database,
            auth=self._socket_auth,
            config=notify,
        )
        await self.hub.start()
        auth_sessions.REVOCATION_HOOKS.append(self._sessions_revoked)

    async def _stop_notify(self) -> None:
        if self.hub is None:
            return
        if self._sessions_revoked in auth_sessions.REVOCATION_HOOKS:
            auth_sessions.REVOCATION_HOOKS.remove(self._sessions_revoked)
        hub, self.hub = self.hub, None
        await hub.stop()

    def _sessions_revoked(self, db: object, user_id: object) -> None:
        # After commit, every process re-checks that user's sockets (closing revoked ones).
        unit = unit_of(db)  # type: ignore[arg-type]  # an AsyncSession from the auth layer
        notifier = self.notifier
        if unit is not None and notifier is not None:
            event = {"k": "rev", "u": str(user_id)}
            unit.on_commit(lambda: notifier.publish(event))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "http":
            await self._http(scope, receive, send)
        elif kind == "lifespan":
            await self._lifespan(receive, send)
        elif kind == "websocket":
            if self.hub is not None and scope["path"] == NOTIF_SOCKET_PATH:
                await serve_notif_socket(self.hub, scope, receive, send)
            else:
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
    notifier: Notifier | None = None,
    socket_auth: SocketAuth | None = None,
    gauges: Sequence[GaugeSource] = (),
) -> RlibApp:
    """Build the ASGI app from a registry; the built-in health endpoints are added, and
    ``/openapi.json`` + ``/docs`` when ``docs`` is given (staff-only in production).

    With a ``notifier`` the ``notif_*`` endpoints join the root group (unless the registry
    already holds them) and ``/ws/notif`` is
    served (its sockets vouched for by ``socket_auth``, by default the session authenticator's
    sessions); the bus is subscribed in the lifespan.

    Raises:
        RegistryError: on duplicate names or routes, naming both modules.
    """
    registry = add_builtins(registry)
    if notifier is not None and "notif_list" not in registry.endpoints.get(ROOT.name, {}):
        # An app that generates its client from its registry declares them itself.
        registry.add(ROOT, notif_endpoints(notifier))
    if docs is not None:
        registry = add_docs(registry, docs, config.env, config.hosts)
    metrics: RequestMetrics | None = None
    if config.metrics.enabled and "metrics" not in registry.endpoints.get(ROOT.name, {}):
        metrics = RequestMetrics()
        sources: list[GaugeSource] = []
        holder: list[RlibApp] = []
        endpoint = metrics_endpoint(
            metrics,
            lambda: sources,
            config.metrics,
            config.env,
            local=lambda: holder[0].local_gauges(),
            shared=lambda: holder[0].shared_metrics,
        )
        registry.add(ROOT, [endpoint])
    app = RlibApp(
        config=config,
        registry=registry,
        catalogue=catalogue or Catalogue(),
        metadata=metadata,
        settings=settings,
        authenticator=authenticator,
        on_startup=on_startup,
        on_shutdown=on_shutdown,
        notifier=notifier,
        socket_auth=socket_auth,
        metrics=metrics,
        gauges=gauges,
    )
    if metrics is not None:
        sources.extend(app.gauges)
        holder.append(app)
    return app
