"""Composition root: settings -> rlib config -> the ASGI app.

``uvicorn --factory esensi.app:create`` (what ``esensi serve`` runs) builds it from the environment.
"""

from __future__ import annotations

from esensi.api import DOMAIN_PACKAGES
from esensi.api.files import FILE_ENDPOINTS
from esensi.demo import DEMO, DEMO_ENDPOINTS
from esensi.emails import mailer as outbox_mailer
from esensi.messages import MESSAGES
from esensi.models import metadata
from esensi.models.auth import AUTH_TABLES
from esensi.services import accounts
from esensi.services.auth_mail import OutboxAuthMailer
from esensi.services.notifications import AccountNotices, notifier
from esensi.services.onboarding import add_customer_to_new_login
from esensi.services.order_expiry import ExpiryHooks
from esensi.services.outbox import queue_state
from esensi.settings import Settings, load_settings
from esensi.users import user_types
from rlib import Catalogue, Registry, RlibApp, create_app
from rlib.auth.authenticator import SessionAuthenticator, StandIn
from rlib.auth.kit import AuthKit, Clock, build_kit
from rlib.auth.mailer import AuthMailer
from rlib.auth.messages import AUTH_MESSAGES
from rlib.auth.routes import install_auth
from rlib.auth.signin import get_session
from rlib.auth.wire import BETTER_AUTH
from rlib.config import Environment, GenConfig
from rlib.context import Ctx
from rlib.endpoint import PUBLIC, define_api
from rlib.gen.docs import add_docs
from rlib.health import ROOT, add_builtins
from rlib.mail import MAIL_MESSAGES, WorkerHooks
from rlib.metrics import Gauge
from rlib.notify.routes import notif_endpoints

# esensi's own URLs for two built-ins (spec/endpoints.md section 6).
AUTH_ALIASES = {"sign_in_email": ("/login",), "sign_out": ("/logout",)}
# What `esensi gen` writes (clients/typescript/) and what /docs shows (staff-only in production).
GEN = GenConfig(
    title="esensi API", version="0.1.0", package="@esensi/client", docs_user_types=("internal",)
)
# Identity providers with a callback route (each is on only when its client id is set).
SOCIAL_PROVIDERS = ("google",)


def registry(*, demo: bool = False) -> Registry:
    """Every endpoint: the framework's built-ins (health, auth) and the five domains; with
    ``demo`` (development only) the demo pages too."""
    built = install_auth(
        add_builtins(Registry().discover(*DOMAIN_PACKAGES)),
        aliases=AUTH_ALIASES,
        social_providers=SOCIAL_PROVIDERS,
    )
    # The current host's session at /api/get-session (replaces the original's iframe page).
    built.add(
        ROOT,
        [
            define_api(
                name="get_session",
                url="/api/get-session",
                handler=get_session,
                methods=("GET",),
                auth=PUBLIC,
                wire=BETTER_AUTH,  # answers like /api/auth/get-session
            )
        ],
    )
    # Declared here (not only by create_app) so gen documents them and the spec test sees them.
    built.add(ROOT, notif_endpoints(notifier))
    built.add(ROOT, FILE_ENDPOINTS)  # uploads and the files they became
    if demo:
        built.add(DEMO, DEMO_ENDPOINTS)
    return built


def auth_kit(
    settings: Settings, *, mailer: AuthMailer | None = None, clock: Clock | None = None
) -> AuthKit:
    """The auth layer for ``settings``; its emails go to the outbox unless ``mailer`` is given
    (tests pass a memory mailer). A login created by a Google sign-in becomes a customer, as
    the store's ``register`` does."""
    return build_kit(
        settings.auth_config(),
        tables=AUTH_TABLES,
        user_types=user_types(),
        mailer=AccountNotices(mailer or OutboxAuthMailer(settings.auth.base_urls)),
        clock=clock,
        on_account_deleted=accounts.forget_customer,
        on_new_login=add_customer_to_new_login,
    )


def build_app(
    settings: Settings,
    *,
    authenticator: StandIn | None = None,
    kit: AuthKit | None = None,
    mail_worker: bool = False,
    expiry_job: bool = False,
) -> RlibApp:
    """The app for ``settings``; sessions decide who is signed in.

    Args:
        authenticator: tests only: decides who is signed in instead of the session.
        kit: a prepared auth kit (tests pass one with a fake clock or a memory mailer).
        mail_worker: run the outbox worker inside the app process (``esensi serve``).
        expiry_job: expire overdue pending orders periodically (``esensi serve``).
    """
    auth = kit or auth_kit(settings)
    hooks = WorkerHooks(mailer=outbox_mailer, config=settings.mail.rlib_config())
    expiry = ExpiryHooks(settings.midtrans)

    async def close_auth(_app: RlibApp) -> None:
        await auth.aclose()

    return create_app(
        config=settings.rlib_config(),
        registry=registry(demo=settings.env == "development"),
        catalogue=Catalogue(AUTH_MESSAGES, MAIL_MESSAGES, MESSAGES),
        metadata=metadata,
        settings=settings,
        authenticator=SessionAuthenticator(auth, stand_in=authenticator),
        notifier=notifier,
        on_startup=[
            *([hooks.start] if mail_worker else []),
            *([expiry.start] if expiry_job else []),
        ],
        on_shutdown=[
            close_auth,
            *([hooks.stop] if mail_worker else []),
            *([expiry.stop] if expiry_job else []),
        ],
        docs=GEN,
        gauges=[outbox_gauges],
    )


async def outbox_gauges(ctx: Ctx) -> list[Gauge]:
    """``/metrics``: the mail outbox's queue (read at scrape time)."""
    depth, age = await queue_state(ctx.db)
    return [
        Gauge("outbox_queued", "Mail waiting in the outbox.", float(depth)),
        Gauge("outbox_oldest_age_seconds", "Age of the oldest queued mail.", age),
    ]


def served_registry(env: Environment = "development") -> Registry:
    """What an app of ``env`` serves: :func:`registry` plus the API reference (rlib.gen)."""
    return add_docs(registry(), GEN, env)


def create() -> RlibApp:
    """The app configured from the environment (uvicorn factory)."""
    settings = load_settings()
    return build_app(settings, mail_worker=settings.mail.worker, expiry_job=True)
