"""The ``esensi`` command: serve, db, seed, routes, gen, mail."""

from __future__ import annotations

import asyncio
from pathlib import Path

import typer
from rich.console import Console

from esensi import endpoint_spec, migrations
from esensi.app import GEN, auth_kit, registry, served_registry
from esensi.emails import mailer, templates
from esensi.importer.file_copy import copy_listed
from esensi.importer.report import Report
from esensi.importer.run import print_summary, report_directory, run_import
from esensi.messages import MESSAGES
from esensi.seed.demo import seed_demo, write_demo_files
from esensi.services import staff as staff_service
from esensi.settings import export_metrics_dir, load_settings
from rlib import Catalogue, RlibError, Scope, ValidationError
from rlib import cli as rlib_cli
from rlib.auth.messages import AUTH_MESSAGES
from rlib.db.engine import Database
from rlib.i18n import render_field_error
from rlib.mail import OutboxWorker, build_transports
from rlib.observe import configure_logging

MIGRATIONS = Path(migrations.__file__).parent

app = typer.Typer(
    help="esensi: Indonesian digital-book platform.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
rlib_cli.add_db_commands(app, MIGRATIONS, lambda: load_settings().database_url)
rlib_cli.add_routes_command(
    app,
    lambda: served_registry(load_settings().env),
    lambda: load_settings().rlib_config().hosts,
    missing=endpoint_spec.missing_rows,
)
rlib_cli.add_gen_command(app, registry, lambda: GEN)


def _mail_worker(database: Database) -> OutboxWorker:
    config = load_settings().mail.rlib_config()
    transports = build_transports(config.accounts)
    return OutboxWorker(database=database, mailer=mailer, config=config, transports=transports)


rlib_cli.add_mail_commands(
    app,
    lambda: templates,
    _mail_worker,
    lambda: Database(load_settings().rlib_config().database),
)


@app.command("serve")
def serve(
    host: str | None = typer.Option(None, help="bind address (ESENSI_HOST)"),
    port: int | None = typer.Option(None, help="port (ESENSI_PORT)"),
    workers: int | None = typer.Option(None, help="worker processes (ESENSI_WORKERS)"),
) -> None:
    """Serve the API with uvicorn."""
    settings = load_settings()
    configure_logging(json_lines=settings.log_json, level=settings.log_level)
    rlib_cli.serve(
        "esensi.app:create",
        host=host or settings.host,
        port=port or settings.port,
        workers=workers or settings.workers,
        log_json=settings.log_json,
        trusted_proxies=settings.auth_config().trusted_proxies,
        # A frame's characters may take 4 bytes each; the app closes the longer ones (1009).
        ws_max_bytes=4 * settings.notify.max_frame_bytes,
        metrics_dir=settings.metrics.shared_dir,
        export_metrics_dir=export_metrics_dir,
    )


@app.command("seed")
def seed(
    demo: bool = typer.Option(False, "--demo", help="load the demo data set"),
    scale: int = typer.Option(1, min=1, max=10_000, help="multiply the bulk tables (benchmarks)"),
    quiet: bool = typer.Option(False, "--quiet", help="no progress bar"),
) -> None:
    """Load data; ``--demo`` inserts the missing part of the demo data set (idempotent)."""
    if not demo:
        raise typer.BadParameter("nothing to seed: pass --demo")
    settings = load_settings()

    async def run() -> dict[str, int]:
        database = Database(settings.rlib_config().database)
        try:
            secret = settings.auth.secret_key.get_secret_value()
            return await seed_demo(database, scale=scale, quiet=quiet, secret_key=secret)
        finally:
            await database.dispose()

    added = asyncio.run(run())
    Console().print(f"demo data: {sum(added.values())} rows added " + str(added))
    files = write_demo_files(settings.files.directory)
    Console().print(f"demo book files: {files} written under {settings.files.directory / 'book'}")


_REPORT_ROOT_OPTION = typer.Option(
    Path("var/import"), "--report-dir", help="reports go to <dir>/<UTC timestamp>/"
)


@app.command("import-original")
def import_original(
    source: str = typer.Option(..., "--from", help="the original's URL (postgresql://...)"),
    dry_run: bool = typer.Option(False, "--dry-run", help="read and report, write nothing"),
    batch: int = typer.Option(5000, "--batch", min=1, max=100_000, help="rows per transaction"),
    report_root: Path = _REPORT_ROOT_OPTION,
    quiet: bool = typer.Option(False, "--quiet", help="no progress bars"),
) -> None:
    """Import an original esensi database (read-only there); rerun to resume."""
    settings = load_settings()

    async def run() -> Report:
        database = Database(settings.rlib_config().database)
        try:
            return await run_import(source, database, batch=batch, dry_run=dry_run, quiet=quiet)
        finally:
            await database.dispose()

    report = asyncio.run(run())
    directory = report_directory(report_root)
    report.write(directory)
    print_summary(report, directory)


_LIST_OPTION = typer.Option(..., "--list", help="files-to-copy.csv of an import run")
_ORIGINAL_DIR_OPTION = typer.Option(
    ..., "--from-dir", help="the original's working directory (holds _file/upload)"
)


@app.command("import-original-files")
def import_original_files(
    listing: Path = _LIST_OPTION, original: Path = _ORIGINAL_DIR_OPTION
) -> None:
    """Copy the files an import listed into our files directory (checked; rerun to resume)."""
    result = copy_listed(listing, original, load_settings().files.directory)
    outcome = listing.with_name("files-copy-result.csv")
    result.write(outcome)
    Console().print(
        f"copied {result.copied}, already present {result.present}, "
        f"missing {len(result.missing)}, refused {len(result.refused)} (see {outcome})"
    )


_ROLE_OPTION = typer.Option(
    ..., "--role", help="sales_and_marketing, support, management or it (repeatable)"
)
user_app = typer.Typer(help="Accounts.", no_args_is_help=True)
app.add_typer(user_app, name="user")


@user_app.command("create-staff")
def create_staff(
    email: str = typer.Option(..., help="sign-in email"),
    name: str = typer.Option(..., help="display name"),
    role: list[str] = _ROLE_OPTION,
    password: str = typer.Option(
        ...,
        prompt=True,
        hide_input=True,
        confirmation_prompt=True,
        help="8-128 characters, not a common password",
    ),
) -> None:
    """Create a staff login with role flags (prompts for the password)."""
    settings = load_settings()

    async def run() -> str:
        database = Database(settings.rlib_config().database)
        kit = auth_kit(settings)
        unit = database.unit()
        try:
            async with unit.transaction():
                staff = await staff_service.create_staff(
                    Scope(unit), kit, email=email, name=name, password=password, roles=role
                )
            return str(staff.id)
        finally:
            await unit.close()
            await kit.aclose()
            await database.dispose()

    try:
        staff_id = asyncio.run(run())
    except RlibError as exc:
        for line in _error_lines(exc):
            Console(stderr=True).print(f"error: {line}")
        raise typer.Exit(1) from exc
    Console().print(f"staff created: {staff_id}")


@app.command("midtrans-standin")
def midtrans_standin(
    host: str = typer.Option("127.0.0.1", help="bind address"),
    port: int = typer.Option(8021, help="port"),
    notify_url: str | None = typer.Option(
        None,
        "--notify-url",
        help="where webhooks go (default: the URL the app sends with each Snap creation, "
        "else http://127.0.0.1:<ESENSI_PORT>/api/midtrans/notification)",
    ),
) -> None:
    """Serve the local Midtrans stand-in (Snap, status API, signed webhooks) for the demo."""
    import uvicorn

    from esensi.stubs.midtrans import StandInState, build_standin

    settings = load_settings()
    default_url = f"http://127.0.0.1:{settings.port}/api/midtrans/notification"
    state = StandInState(
        server_key=settings.midtrans.server_key.get_secret_value(),
        notify_url=notify_url or settings.midtrans.notification_url or default_url,
    )
    uvicorn.run(build_standin(state), host=host, port=port, log_level="warning")


@app.command("orders-expire")
def orders_expire() -> None:
    """One pass of the expiry job: overdue pending orders end as Midtrans says."""
    from esensi.gateways.midtrans import MidtransClient
    from esensi.services.order_expiry import expire_overdue
    from rlib.db.base import utcnow

    settings = load_settings()

    async def run() -> str:
        database = Database(settings.rlib_config().database)
        unit = database.unit()
        try:
            client = MidtransClient(settings.midtrans)
            report = await expire_overdue(Scope(unit), client, now=utcnow())
            return str(report)
        finally:
            await unit.close()
            await database.dispose()

    Console().print(asyncio.run(run()))


def _error_lines(error: RlibError) -> list[str]:
    """What the operator reads: each field's message for a validation error (the password
    policy's own words), else the error's message; in English."""
    catalogue = Catalogue(AUTH_MESSAGES, MESSAGES)
    if isinstance(error, ValidationError):
        fields = [render_field_error(catalogue, item, "en") for item in error.errors]
        return [f"{item['field']}: {item['message']}" for item in fields]
    return [catalogue.text(error.message_key, "en", error.params)]


def main() -> None:
    """Entry point of the ``esensi`` script."""
    app()
