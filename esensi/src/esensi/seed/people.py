"""Demo people: logins with a credential, staff with each role flag, publishers, affiliates,
and per block the authors (some linked to publishers) and customers."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from esensi.models.affiliate import Affiliate
from esensi.models.auth import AuthAccount, AuthUser
from esensi.models.author import Author
from esensi.models.customer import Customer
from esensi.models.enums import AuthProvider, LinkStatus
from esensi.models.internal import Internal
from esensi.models.publisher import Publisher, PublisherAuthor
from esensi.seed.clock import at
from esensi.seed.keys import rng, seed_id
from esensi.seed.runner import Tables, insert_rows, insert_tables
from esensi.seed.words import CITIES, bank_account, paragraph, person_name, slugify
from rlib import Scope

if TYPE_CHECKING:
    from esensi.seed.world import Block, Seeding

# One password per user type, documented in the README "Demo accounts" table.
PASSWORDS = {
    "internal": "Staf-Esensi-2025",
    "publisher": "Penerbit-Esensi-2025",
    "author": "Penulis-Esensi-2025",
    "customer": "Pembaca-Esensi-2025",
    "affiliate": "Afiliasi-Esensi-2025",
}
ROLE_FLAGS = ("is_management", "is_support", "is_sales_and_marketing", "is_it")
# name, email, role flags, two-factor enabled
STAFF = (
    ("Hendra Gunawan", "admin@esensi.online", ROLE_FLAGS, False),
    ("Rina Wulandari", "manajemen@esensi.online", ("is_management",), False),
    ("Agus Setiawan", "dukungan@esensi.online", ("is_support",), False),
    ("Dewi Lestari", "pemasaran@esensi.online", ("is_sales_and_marketing",), False),
    ("Fajar Nugroho", "ti@esensi.online", ("is_it",), False),
    ("Maya Kusuma", "keamanan@esensi.online", ("is_management", "is_it"), True),
)
# Staff who review books (management or support), by index into STAFF.
REVIEWERS = (1, 2)
MANAGEMENT = (0, 1, 5)
# name, owner login email, owner name, city
PUBLISHERS = (
    ("Penerbit Nusantara Pustaka", "penerbit@esensi.online", "Bambang Hartono", "Jakarta"),
    ("Pustaka Cahaya Ilmu", "penerbit2@esensi.online", "Sri Mulyani Siregar", "Bandung"),
    ("Lentera Aksara", "penerbit3@esensi.online", "Yusuf Halim", "Yogyakarta"),
    ("Samudra Kata", "penerbit4@esensi.online", "Ratna Permata", "Surabaya"),
)
AFFILIATES = (
    ("Nadia Putri", "afiliasi@esensi.online"),
    ("Rangga Pratama", "afiliasi2@esensi.online"),
)
AUTHORS_PER_BLOCK = 10
CUSTOMERS_PER_BLOCK = 25


@dataclass(frozen=True, slots=True)
class Login:
    """An ``auth_user`` with a credential account of user type ``kind``."""

    id: uuid.UUID
    name: str
    email: str
    kind: str
    created_at: dt.datetime
    verified: bool = True
    locale: str = "id"
    two_factor: bool = False


@dataclass(frozen=True, slots=True)
class AuthorPlan:
    id: uuid.UUID
    login: Login
    index: int
    # The publisher of an ``active`` link: the author's books are published under it.
    publisher_id: uuid.UUID | None
    link: tuple[uuid.UUID, str] | None

    @property
    def name(self) -> str:
        return self.login.name


@dataclass(frozen=True, slots=True)
class CustomerPlan:
    id: uuid.UUID
    login: Login
    index: int


def login(kind: str, name: str, email: str, day: float, **extra: Any) -> Login:
    return Login(seed_id("auth_user", email), name, email, kind, at(day), **extra)


def staff_id(index: int) -> uuid.UUID:
    return seed_id("internal", STAFF[index][1])


def staff_login(index: int) -> Login:
    name, email, _, two_factor = STAFF[index]
    return login("internal", name, email, index * 0.1, two_factor=two_factor)


def publisher_id(index: int) -> uuid.UUID:
    return seed_id("publisher", PUBLISHERS[index][0])


def publisher_login(index: int) -> Login:
    _, email, owner, _ = PUBLISHERS[index]
    return login("publisher", owner, email, 1 + index * 0.1)


def _bulk_email(name: str, block: int, index: int, domain: str) -> str:
    return f"{slugify(name).replace('-', '.')}.{block}.{index}@{domain}"


def plan_authors(block: int) -> list[AuthorPlan]:
    """Authors 0-3 publish under a publisher, 4 has a pending invitation, 5 declined one."""
    plans = []
    for index in range(AUTHORS_PER_BLOCK):
        name = person_name(rng("author", block, index))
        email = _bulk_email(name, block, index, "penulis.esensi.online")
        if block == 0 and index in (0, 6):
            email = "penulis@esensi.online" if index == 0 else "penulis.mandiri@esensi.online"
        link: tuple[uuid.UUID, str] | None = None
        if index < 4:
            link = (publisher_id((block + index) % len(PUBLISHERS)), LinkStatus.ACTIVE)
        elif index in (4, 5):
            status = LinkStatus.INVITED if index == 4 else LinkStatus.DECLINED
            link = (publisher_id((block + index) % len(PUBLISHERS)), status)
        active = link[0] if link and link[1] == LinkStatus.ACTIVE else None
        author_login = login("author", name, email, 2 + index * 0.5)
        plans.append(AuthorPlan(seed_id("author", email), author_login, index, active, link))
    return plans


def plan_customers(block: int) -> list[CustomerPlan]:
    """Every tenth customer has not verified the email yet (no checkout); some read English."""
    plans = []
    for index in range(CUSTOMERS_PER_BLOCK):
        name = person_name(rng("customer", block, index))
        email = _bulk_email(name, block, index, "pembaca.esensi.online")
        if block == 0 and index < 2:
            email = "pembaca@esensi.online" if index == 0 else "reader@esensi.online"
        extra = {"verified": index % 10 != 9, "locale": "en" if index % 7 == 1 else "id"}
        customer_login = login("customer", name, email, 100 + index * 1.5, **extra)
        plans.append(CustomerPlan(seed_id("customer", email), customer_login, index))
    return plans


def stamps(when: dt.datetime) -> dict[str, dt.datetime]:
    return {"created_at": when, "updated_at": when}


def login_tables(seeding: Seeding, logins: list[Login]) -> Tables:
    """``auth_user`` rows and their credential accounts (argon2id, one hash per user type)."""
    users = [
        {
            "id": item.id,
            "name": item.name,
            "email": item.email,
            "email_verified": item.verified,
            "image": None,
            "username": None,
            "display_username": None,
            "two_factor_enabled": item.two_factor,
            "locale": item.locale,
            "deleted_at": None,
            **stamps(item.created_at),
        }
        for item in logins
    ]
    accounts = [
        {
            "id": seed_id("auth_account", item.email),
            "id_user": item.id,
            "id_provider": AuthProvider.CREDENTIAL.value,
            "id_account": str(item.id),
            "password": seeding.password_hash(item.kind),
            "access_token": None,
            "refresh_token": None,
            "id_token": None,
            "access_token_expires_at": None,
            "refresh_token_expires_at": None,
            "scope": None,
            **stamps(item.created_at),
        }
        for item in logins
    ]
    return [(AuthUser, users), (AuthAccount, accounts)]


async def insert_logins(scope: Scope, seeding: Seeding, logins: list[Login]) -> int:
    return await insert_tables(scope, login_tables(seeding, logins))


async def seed_staff(scope: Scope, seeding: Seeding) -> int:
    """One staff member per role flag, an all-roles admin and a two-factor management user."""
    logins = [staff_login(i) for i in range(len(STAFF))]
    added = await insert_logins(scope, seeding, logins)
    rows = [
        {
            "id": staff_id(i),
            "name": STAFF[i][0],
            **{flag: flag in STAFF[i][2] for flag in ROLE_FLAGS},
            "id_user": logins[i].id,
            "version": 1,
            **stamps(logins[i].created_at),
        }
        for i in range(len(STAFF))
    ]
    return added + await insert_rows(scope, Internal, rows)


async def seed_publishers(scope: Scope, seeding: Seeding) -> int:
    """Publishers with an owning login and payout details; affiliates with a login."""
    logins = [publisher_login(i) for i in range(len(PUBLISHERS))]
    added = await insert_logins(scope, seeding, logins)
    rows = []
    for i, (name, _, _, city) in enumerate(PUBLISHERS):
        rand = rng("publisher", i)
        rows.append(
            {
                "id": publisher_id(i),
                "name": name,
                "description": f"{name} menerbitkan buku-buku pilihan dari {city}. "
                + paragraph(rand, 2),
                "website": f"https://{slugify(name)}.example.id",
                "address": f"Jl. Merdeka No. {10 + i * 7}, {city}",
                "logo": f"/_file/upload/demo/publisher-{i + 1}.webp",
                **bank_account(rng("bank", publisher_id(i)), name),
                "id_user": logins[i].id,
                "version": 1,
                **stamps(logins[i].created_at),
            }
        )
    added += await insert_rows(scope, Publisher, rows)
    affiliates = [
        login("affiliate", name, email, 3 + i) for i, (name, email) in enumerate(AFFILIATES)
    ]
    added += await insert_logins(scope, seeding, affiliates)
    rows = [
        {
            "id": seed_id("affiliate", a.email),
            "name": a.name,
            "id_user": a.id,
            **stamps(a.created_at),
        }
        for a in affiliates
    ]
    return added + await insert_rows(scope, Affiliate, rows)


def _author_row(plan: AuthorPlan) -> dict[str, Any]:
    rand = rng("author-profile", plan.id)
    city = rand.choice(CITIES)
    handle = slugify(plan.name).replace("-", "")
    return {
        "id": plan.id,
        "name": plan.name,
        "biography": f"{plan.name} adalah penulis asal {city}. " + paragraph(rand, 2),
        "social_media": {"instagram": f"@{handle}", "x": f"@{handle}"},
        "avatar": None,
        "cfg": None,
        # Self-published authors are paid out directly, so only they keep bank details.
        **(
            bank_account(rng("bank", plan.id), plan.name)
            if plan.publisher_id is None
            else dict.fromkeys(
                ("bank_account_number", "bank_account_provider", "bank_account_name")
            )
        ),
        "id_user": plan.login.id,
        "version": 1,
        **stamps(plan.login.created_at),
    }


def _customer_row(plan: CustomerPlan) -> dict[str, Any]:
    digits = "".join(str(rng("wa", plan.id).randrange(10)) for _ in range(9))
    return {
        "id": plan.id,
        "name": plan.login.name,
        "email": plan.login.email,
        "whatsapp": f"+628{digits}" if plan.index % 3 else None,
        "id_user": plan.login.id,
        "deleted_at": None,
        "version": 1,
        **stamps(plan.login.created_at),
    }


def seed_people(block: Block) -> Tables:
    """The block's authors and customers with their logins, and publisher-author links."""
    logins = [a.login for a in block.authors] + [c.login for c in block.customers]
    tables = login_tables(block.seeding, logins)
    tables.append((Author, [_author_row(a) for a in block.authors]))
    tables.append((Customer, [_customer_row(c) for c in block.customers]))
    links = [
        {
            "id": seed_id("publisher_author", str(a.id)),
            "publisher_id": a.link[0],
            "author_id": a.id,
            "status": a.link[1],
            **stamps(at(5 + a.index)),
        }
        for a in block.authors
        if a.link
    ]
    return [*tables, (PublisherAuthor, links)]
