"""A ledger world for the money tests: owners with logins and bank details, ledger rows,
management staff, and a fresh, verified sign-in."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from esensi.models.ledger import Transaction
from esensi.models.notif import Notif
from esensi.models.outbox import MailOutbox
from esensi.models.withdrawal import Withdrawal
from factories.logins import add_profile, make_login
from rlib.auth.users import SessionUser
from rlib.testing import FakeAuthenticator

BANK = {
    "bank_account_number": "1234567890",
    "bank_account_provider": "BCA",
    "bank_account_name": "Bentang Pustaka",
}


@dataclass(frozen=True, slots=True)
class Person:
    """A login and its profile id (``kind`` is ``publisher`` or ``author``)."""

    user_id: uuid.UUID
    kind: str
    id: uuid.UUID
    email: str

    @property
    def owner(self) -> dict[str, uuid.UUID | None]:
        return {
            "id_publisher": self.id if self.kind == "publisher" else None,
            "id_author": self.id if self.kind == "author" else None,
        }


async def make_owner(db: Any, kind: str = "publisher", *, bank: bool = True, **more: Any) -> Person:
    login = await make_login(db, password=None, email_verified=True, **more)
    profile = await add_profile(db, login, kind, **(BANK if bank else {}))
    return Person(login.id, kind, profile, login.email)


async def credit(db: Any, person: Person, *amounts: str | int, kind: str = "sale") -> None:
    for amount in amounts:
        db.add(Transaction(**person.owner, type=kind, amount=Decimal(amount)))
    await db.flush()


async def make_manager(db: Any, **flags: bool) -> SessionUser:
    """A real staff login (management unless ``flags`` say otherwise), not signed in yet."""
    login = await make_login(db, password=None, email_verified=True)
    roles = flags or {"is_management": True}
    internal = await add_profile(db, login, "internal", **roles)
    names = {name.removeprefix("is_") for name, on in roles.items() if on}
    return SessionUser(
        id=login.id,
        profiles={"internal": internal},
        roles=frozenset(f"internal:{name}" for name in names),
    )


def sign_in(
    auth: FakeAuthenticator,
    person: Person,
    *,
    fresh: bool = True,
    verified: bool = True,
) -> SessionUser:
    """Sign ``person`` in, by default a minute ago (fresh) with a verified address."""
    ago = dt.timedelta(minutes=1 if fresh else 30)
    user = SessionUser(
        id=person.user_id,
        profiles={person.kind: person.id},
        email_verified=verified,
        authenticated_at=dt.datetime.now(dt.UTC) - ago,
    )
    auth.user = user
    return user


async def rows(database: Any, model: Any, *where: Any) -> list[Any]:
    async with database.sessionmaker() as db:
        return list(await db.scalars(select(model).where(*where)))


async def ledger_of(database: Any, person: Person) -> list[Transaction]:
    column = Transaction.id_publisher if person.kind == "publisher" else Transaction.id_author
    return await rows(database, Transaction, column == person.id)


async def withdrawals_of(database: Any, person: Person) -> list[Withdrawal]:
    column = Withdrawal.id_publisher if person.kind == "publisher" else Withdrawal.id_author
    return await rows(database, Withdrawal, column == person.id)


async def notes_to(database: Any, user_id: uuid.UUID) -> list[Notif]:
    return await rows(database, Notif, Notif.id_user == user_id)


async def mails_to(database: Any, email: str) -> list[str]:
    """The template aliases of the mail queued for ``email``."""
    found = await rows(database, MailOutbox)
    return [mail.template_alias or "" for mail in found if email in mail.to_addrs]
