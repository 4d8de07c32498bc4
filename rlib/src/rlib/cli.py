"""Command groups an app mounts on its typer CLI: serve, db, routes, mail.

rlib never builds the app itself: each command receives factories from the app.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import typer
import uvicorn
from alembic.config import Config
from rich.console import Console
from rich.table import Table

from rlib.config import GenConfig, HostsConfig
from rlib.db import migrations
from rlib.db.engine import Database
from rlib.gen.check import generate, stale, write
from rlib.mail import OutboxWorker, TemplateSet, UnknownTemplateError
from rlib.metrics_shared import clear_snapshots
from rlib.registry import Registry
from rlib.serving import GuardedHttpProtocol
from rlib.throttle import parse_networks


def routes_table(registry: Registry, hosts: HostsConfig) -> Table:
    """Every mounted endpoint: domain, name, method, url, auth."""
    table = Table("domain", "name", "method", "url", "auth", title="Endpoints")
    for route in sorted(registry.routes(hosts), key=lambda r: (r.domain.name, r.path, r.method)):
        name = route.endpoint.name + (" (alias)" if route.alias_of else "")
        host = f"{route.host_key}:" if route.host_key else ""
        table.add_row(
            route.domain.name, name, route.method, host + route.path, route.access.describe()
        )
    return table


def routes_json(registry: Registry, hosts: HostsConfig) -> list[dict[str, Any]]:
    """Every endpoint once: domain, name, url and methods, aliases (url, methods), auth, host."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for route in registry.routes(hosts):
        entry = found.setdefault(
            (route.domain.name, route.endpoint.name),
            {
                "domain": route.domain.name,
                "name": route.endpoint.name,
                "url": None,
                "methods": [],
                "aliases": [],
                "auth": ["public"]
                if route.access.public
                else sorted(route.access.user_types or ()),
                "host": route.host_key,
            },
        )
        if route.alias_of is None:
            entry["url"] = route.path
            entry["methods"].append(route.method)
            continue
        alias = next((a for a in entry["aliases"] if a["url"] == route.path), None)
        if alias is None:
            entry["aliases"].append({"url": route.path, "methods": [route.method]})
        else:
            alias["methods"].append(route.method)
    return list(found.values())


# domain -> [(name, url)] of what a reference table expects and the registry lacks.
MissingRows = Callable[[Registry], Mapping[str, Sequence[tuple[str, str]]]]


def add_routes_command(
    cli: typer.Typer,
    registry: Callable[[], Registry],
    hosts: Callable[[], HostsConfig],
    missing: MissingRows | None = None,
) -> None:
    """``routes [--json] [--missing]``: the endpoints, or what a reference table still lacks."""

    @cli.command("routes")
    def routes(
        as_json: bool = typer.Option(False, "--json", help="machine-readable output"),
        show_missing: bool = typer.Option(
            False, "--missing", help="rows of the app's endpoint table not registered, per domain"
        ),
    ) -> None:
        """List every endpoint: domain, name, method, url, auth."""
        if show_missing:
            if missing is None:
                raise typer.BadParameter("this app has no endpoint table", param_hint="--missing")
            _print_missing(missing(registry()), as_json=as_json)
        elif as_json:
            typer.echo(json.dumps(routes_json(registry(), hosts()), indent=2))
        else:
            Console(width=200).print(routes_table(registry(), hosts()))


def _print_missing(rows: Mapping[str, Sequence[tuple[str, str]]], *, as_json: bool) -> None:
    if as_json:
        payload = {d: [{"name": n, "url": u} for n, u in found] for d, found in rows.items()}
        typer.echo(json.dumps(payload, indent=2))
        return
    if not rows:
        typer.echo("every row of the endpoint table is registered")
    for domain, found in rows.items():
        typer.echo(f"{domain} ({len({name for name, _ in found})} names)")
        for name, url in found:
            typer.echo(f"  {name:<32} {url}")


_OUT_OPTION = typer.Option(None, "--out", help="the client folder (default: the config's)")


def add_gen_command(
    cli: typer.Typer, registry: Callable[[], Registry], config: Callable[[], GenConfig]
) -> None:
    """``gen [--check]``: write the client folder, or fail naming the files that differ."""

    @cli.command("gen")
    def gen(
        check: bool = typer.Option(
            False, "--check", help="write nothing; exit 1 naming each stale file"
        ),
        out: Path | None = _OUT_OPTION,
    ) -> None:
        """Write registry.ts, openapi.json and the TypeScript client from the endpoint registry."""
        settings = config()
        root = out or Path(settings.out_dir)
        files = generate(registry(), settings)
        if check:
            differing = stale(root, files)
            for path in differing:
                typer.echo(f"stale: {path} (run `make gen` and commit the result)", err=True)
            if differing:
                raise typer.Exit(1)
            typer.echo(f"gen: {len(files)} files up to date in {root}")
            return
        changed = write(root, files)
        typer.echo(f"gen: {len(changed)} of {len(files)} files written in {root}")


def add_db_commands(
    cli: typer.Typer, script_location: Path, database_url: Callable[[], str]
) -> None:
    """``db upgrade|downgrade|revision|current|check`` over the app's migration folder."""
    db = typer.Typer(help="Database migrations (Alembic).", no_args_is_help=True)
    cli.add_typer(db, name="db")

    def config() -> Config:
        return migrations.alembic_config(script_location, database_url())

    @db.command("upgrade")
    def upgrade(revision: str = typer.Argument("head")) -> None:
        """Apply migrations up to REVISION (default: head)."""
        migrations.upgrade(config(), revision)
        typer.echo(f"upgraded to {revision}")

    @db.command("downgrade")
    def downgrade(revision: str = typer.Argument(..., help="target, e.g. base or -1")) -> None:
        """Revert migrations down to REVISION."""
        migrations.downgrade(config(), revision)
        typer.echo(f"downgraded to {revision}")

    @db.command("revision")
    def revision(
        message: str = typer.Option(..., "-m", "--message"),
        autogenerate: bool = typer.Option(True, "--autogenerate/--empty"),
    ) -> None:
        """Write a new migration (autogenerated from the models by default)."""
        migrations.revision(config(), message, autogenerate=autogenerate)

    @db.command("current")
    def current() -> None:
        """Show the database's current revision."""
        typer.echo(migrations.current(config()) or "(empty database)")

    @db.command("check")
    def check() -> None:
        """Fail when the models and the migrated database differ."""
        drift = migrations.check_drift(config())
        if drift:
            typer.echo(drift, err=True)
            raise typer.Exit(1)
        typer.echo("no drift")


WS_MAX_BYTES = 64 * 1024
"""The default bound of an inbound WebSocket frame (:func:`serve`)."""


def serve(
    factory: str,
    *,
    host: str,
    port: int,
    workers: int,
    log_json: bool,
    trusted_proxies: Sequence[str],
    ws_max_bytes: int = WS_MAX_BYTES,
    metrics_dir: Path | None = None,
    export_metrics_dir: Callable[[str], None] | None = None,
) -> None:
    """Run ``factory`` (``module:function`` returning the ASGI app) under uvicorn.

    ``ws_max_bytes`` bounds an inbound WebSocket frame where it is read: uvicorn's default
    (16 MiB) let each socket make the server buffer 16 MiB before the app could refuse it.
    Pass the app's own frame limit; a longer frame is closed with 1009 from its header on.

    With more than one worker, the workers share their ``/metrics`` snapshots in
    ``metrics_dir`` (emptied first: one server per directory), or, when it is None, in a fresh
    temporary directory handed to ``export_metrics_dir`` (the app's settings put it where the
    spawned workers read their configuration) and removed at exit.

    ``trusted_proxies`` must be the app's own ``AuthConfig.trusted_proxies``: uvicorn reads
    ``X-Forwarded-For``/``X-Forwarded-Proto`` from those peers only, and not at all when the
    list is empty. Its default trusts 127.0.0.1, which let a local client choose the address
    rlib throttles and logs.
    """
    temporary: str | None = None
    if workers > 1 and metrics_dir is not None:
        clear_snapshots(metrics_dir)
    elif workers > 1 and export_metrics_dir is not None:
        temporary = tempfile.mkdtemp(prefix="rlib-metrics-")
        export_metrics_dir(temporary)
    try:
        uvicorn.run(
            factory,
            factory=True,
            host=host,
            port=port,
            workers=workers,
            access_log=False,
            log_config=None if log_json else uvicorn.config.LOGGING_CONFIG,
            loop="uvloop",
            http=GuardedHttpProtocol,  # httptools, with the request head bounded
            ws_max_size=ws_max_bytes,
            # uvicorn kills a worker that does not answer its supervisor's ping within 5 s;
            # importing the app on a busy 2-core machine takes longer, and the workers were
            # killed and respawned in a loop (seen with --workers 2 under the test load).
            timeout_worker_healthcheck=30,
            **uvicorn_proxy_options(trusted_proxies),
        )
    finally:
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)


def uvicorn_proxy_options(trusted_proxies: Sequence[str]) -> dict[str, Any]:
    """uvicorn's proxy-header options for the app's trusted proxies (CIDRs or addresses)."""
    networks = [str(network) for network in parse_networks(trusted_proxies)]
    if not networks:
        return {"proxy_headers": False, "forwarded_allow_ips": []}
    return {"proxy_headers": True, "forwarded_allow_ips": networks}


def add_mail_commands(
    cli: typer.Typer,
    templates: Callable[[], TemplateSet],
    worker: Callable[[Database], OutboxWorker],
    database: Callable[[], Database],
) -> None:
    """``mail preview TEMPLATE`` and ``mail worker`` (the outbox worker as its own process)."""
    mail = typer.Typer(help="Email: template previews and the outbox worker.", no_args_is_help=True)
    cli.add_typer(mail, name="mail")

    @mail.command("preview")
    def preview(
        template: str = typer.Argument(..., help="template alias, e.g. reset-password"),
        lang: str = typer.Option("id", help="id or en"),
        part: str = typer.Option("text", help="subject, text or html"),
    ) -> None:
        """Render a template with its sample data."""
        try:
            rendered = templates().preview(template, "en" if lang == "en" else "id")
        except UnknownTemplateError as exc:
            raise typer.BadParameter(f"no template {template!r}") from exc
        typer.echo({"subject": rendered.subject, "html": rendered.html}.get(part, rendered.text))

    @mail.command("worker")
    def run_worker(
        once: bool = typer.Option(False, "--once", help="deliver what is due, then exit"),
    ) -> None:
        """Deliver queued mail until interrupted (or once with --once)."""
        asyncio.run(_run_worker(worker, database, once=once))


async def _run_worker(
    worker: Callable[[Database], OutboxWorker], database: Callable[[], Database], *, once: bool
) -> None:
    db = database()
    running = worker(db)
    try:
        if once:
            typer.echo(f"claimed {await running.drain()} message(s)")
        else:
            running.start()
            await asyncio.Event().wait()  # until Ctrl-C cancels the run
    finally:
        await running.stop()
        await db.dispose()
