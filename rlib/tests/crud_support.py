"""Helpers for the CRUD engine tests: the library app with a switchable signed-in user."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx

from fixture_apps.library.models import Base, Writer
from rlib import Catalogue, Registry, RlibConfig, create_app
from rlib.auth.users import SessionUser
from rlib.db.engine import Database
from rlib.testing import FakeAuthenticator, app_client


@dataclass
class Library:
    """A client on the library app and the writers it can sign in as."""

    http: httpx.AsyncClient
    auth: FakeAuthenticator
    writers: list[uuid.UUID]
    database: Database

    def sign_in(self, index: int | None) -> None:
        """Become writer ``index`` (None: staff, who are not scoped to one writer)."""
        if index is None:
            self.auth.user = SessionUser(id=uuid.uuid4(), profiles={"staff": uuid.uuid4()})
        else:
            self.auth.user = SessionUser(id=uuid.uuid4(), profiles={"writer": self.writers[index]})


@asynccontextmanager
async def library_app(database: Database) -> AsyncIterator[Library]:
    auth = FakeAuthenticator()
    app = create_app(
        config=RlibConfig(),
        registry=Registry().discover("fixture_apps.library"),
        catalogue=Catalogue(),
        metadata=Base.metadata,
        authenticator=auth,
    )
    app.use_database(database)
    writers = [uuid.uuid4(), uuid.uuid4()]
    async with database.sessionmaker() as session:
        session.add_all([Writer(id=w, name=f"Penulis {i}") for i, w in enumerate(writers)])
        await session.commit()
    async with app_client(app) as http:
        library = Library(http, auth, writers, database)
        library.sign_in(0)
        yield library
