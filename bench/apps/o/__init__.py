"""O: the same endpoints on rlib with its default settings (runner, envelope, validation, tx).

Only the pool is pinned to the size every comparator uses. The endpoints live in one module,
``bench.apps.o.products.endpoints``, so that swapping them for ``crud_handler`` is one change.
"""

from __future__ import annotations

from bench.apps.o.auth import SessionAuthenticator
from bench.config import POOL_SIZE, BenchConfig
from bench.models import Base
from rlib import DatabaseConfig, Registry, RlibApp, RlibConfig
from rlib import create_app as create_rlib_app


def create_app(cfg: BenchConfig | None = None) -> RlibApp:
    """The app uvicorn serves (config from the environment), or one for ``cfg`` in-process
    (the harness captures O's SQL that way for the same-plan check)."""
    cfg = cfg or BenchConfig.from_env()
    config = RlibConfig(
        database=DatabaseConfig(url=cfg.database_url, pool_size=POOL_SIZE, max_overflow=0)
    )
    registry = Registry().discover("bench.apps.o.products")
    return create_rlib_app(
        config=config,
        registry=registry,
        metadata=Base.metadata,
        authenticator=SessionAuthenticator(),
    )
