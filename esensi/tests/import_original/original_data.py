"""A deterministic generator of the original's data, dirty the way production copies are.

``fill(conn, seed)`` writes a few thousand rows (the same rows for the same seed) into a source
database made by :mod:`original_source` and returns a :class:`Planted` manifest: how many rows
of each dirty kind it planted, so the import tests can check every one is reported and none is
lost. The kinds follow original-defects.md: emails duplicated by case, duplicate slugs,
orphaned references (columns the original never constrained), statuses outside our
vocabulary, negative money, invalid emails and phones, paid orders whose customer_reader
(entitlement) rows were never written.

Passwords are better-auth scrypt hashes; every ``SIGN_IN_EVERY``-th user has one of a few
known passwords (precomputed once: scrypt costs 32 MiB and ~50 ms a hash).
"""

from __future__ import annotations

import hashlib
import random
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

import asyncpg
from import_original import original_money as money
from import_original.original_books import books
from import_original.original_catalogue import bundles, product_links, taxonomies
from import_original.original_content import content
from import_original.original_partners import partners

_EPOCH = datetime(2023, 1, 1)
SIGN_IN_EVERY = 97
KNOWN_PASSWORDS = ("rahasia-123", "Buku Bagus 2024", "kata sandi \uff53 \ufb01")
# Spellings the import maps (PUBLISH, DISCONTINU) and ones it does not know (odd).
PRODUCT_STATUSES = ("published", "published", "draft", "PUBLISH", "paused", "DISCONTINU")
ODD_PRODUCT_STATUSES = ("rejected", "hidden", "arsip")


def better_auth_hash(password: str, salt_hex: str) -> str:
    """better-auth's ``hashPassword`` with a fixed salt (its salt is the hex *text*)."""
    key = hashlib.scrypt(
        unicodedata.normalize("NFKC", password).encode(),
        salt=salt_hex.encode(),
        n=16_384,
        r=16,
        p=1,
        dklen=64,
        maxmem=128 * 16_384 * 16 * 2,
    )
    return f"{salt_hex}:{key.hex()}"


@dataclass
class Planted:
    """What :func:`fill` wrote: row counts per table and the dirty rows per kind."""

    rows: dict[str, int] = field(default_factory=dict)
    dirty: dict[str, int] = field(default_factory=dict)
    sign_in: dict[str, str] = field(default_factory=dict)  # email -> original password

    def plant(self, kind: str) -> None:
        self.dirty[kind] = self.dirty.get(kind, 0) + 1


@dataclass
class _Gen:
    rng: random.Random
    planted: Planted

    def uid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def moment(self) -> datetime:
        """A time in the original's two years of life (naive, as Prisma's timestamp(3))."""
        return _EPOCH + timedelta(seconds=self.rng.randrange(2 * 365 * 86_400))

    def chance(self, percent: float) -> bool:
        return self.rng.random() * 100 < percent


def _customer_contact(gen: _Gen, n: int) -> tuple[str, str]:
    email, phone = f"pembaca{n}@contoh.id", f"08{gen.rng.randrange(10**9, 10**10)}"
    if gen.chance(2):
        email = f"pembaca{n}-at-contoh"
        gen.planted.plant("invalid_email")
    if gen.chance(2):
        phone = f"08-{n}-abc"
        gen.planted.plant("invalid_phone")
    return email, phone


async def _people(conn: asyncpg.Connection, gen: _Gen, users: int) -> list[uuid.UUID]:
    passwords = {pw: better_auth_hash(pw, f"{i:02x}" * 16) for i, pw in enumerate(KNOWN_PASSWORDS)}
    unknown_hash = better_auth_hash("nobody knows", "ff" * 16)
    customers, user_rows, accounts = [], [], []
    for n in range(users):
        customer_id, user_id = gen.uid(), gen.uid()
        email, phone = _customer_contact(gen, n)
        linked_user = user_id
        if gen.chance(1):
            linked_user = gen.uid()  # customer.id_user has no FK in the original
            gen.planted.plant("orphan_customer_user")
        customers.append((customer_id, phone, f"Pembaca {n}", email, linked_user))
        login = f"pembaca{n}@contoh.id"
        if n % 50 == 49:
            login = f"PEMBACA{n - 1}@contoh.id"  # duplicate of the previous user by case
            gen.planted.plant("duplicate_email_case")
        user_rows.append((user_id, f"Pembaca {n}", login, customer_id, gen.moment()))
        password = KNOWN_PASSWORDS[n % len(KNOWN_PASSWORDS)] if n % SIGN_IN_EVERY == 0 else None
        if password and n % 50 != 49:
            gen.planted.sign_in[login] = password
        stored = passwords[password] if password else unknown_hash
        accounts.append((gen.uid(), stored, "credential", user_id, str(user_id), gen.moment()))
        if gen.chance(5):
            google_id = str(gen.rng.getrandbits(64))
            accounts.append((gen.uid(), None, "google", user_id, google_id, gen.moment()))
    await conn.executemany(
        "INSERT INTO customer (id, whatsapp, name, email, id_user) VALUES ($1, $2, $3, $4, $5)",
        customers,
    )
    await conn.executemany(
        "INSERT INTO auth_user (id, name, email, id_customer, created_at) "
        "VALUES ($1, $2, $3, $4, $5)",
        user_rows,
    )
    await conn.executemany(
        "INSERT INTO auth_account (id, password, id_provider, id_user, id_account, created_at) "
        "VALUES ($1, $2, $3, $4, $5, $6)",
        accounts,
    )
    gen.planted.rows.update(customer=len(customers), auth_user=users, auth_account=len(accounts))
    return [row[0] for row in customers]


async def _catalogue(conn: asyncpg.Connection, gen: _Gen, products: int) -> list[uuid.UUID]:
    author_ids = [gen.uid() for _ in range(max(1, products // 10))]
    await conn.executemany(
        "INSERT INTO author (id, name, id_user) VALUES ($1, $2, $3)",
        [(a, f"Penulis {i}", gen.uid()) for i, a in enumerate(author_ids)],
    )
    gen.planted.dirty["orphan_author_user"] = len(author_ids)  # no author has a login here
    rows = []
    for n in range(products):
        slug = f"buku-{n}"
        if n % 40 == 39:
            slug = f"buku-{n - 1}" if n % 80 == 79 else f"BUKU-{n - 1}"
            gen.planted.plant("duplicate_slug")
        price = Decimal(gen.rng.randrange(10, 200) * 1000)
        strike: Decimal | None = price + 5000 if n % 7 == 0 else None
        if n % 100 == 57:
            price = -price
            gen.planted.plant("negative_price")
        if n % 100 == 31:
            strike = price - 1000
            gen.planted.plant("strike_below_price")
        status = gen.rng.choice(PRODUCT_STATUSES)
        if n % 50 == 11:  # positions no other kind uses, so each row has one defect
            status = gen.rng.choice(ODD_PRODUCT_STATUSES)
            gen.planted.plant("odd_product_status")
        author: uuid.UUID | None = gen.rng.choice(author_ids)
        if n % 100 == 23:
            author = None  # optional in the original, required by ours
            gen.planted.plant("product_without_author")
        rows.append((gen.uid(), f"Buku {n}", slug, price, strike, status, author, gen.moment()))
    await conn.executemany(
        "INSERT INTO product (id, name, slug, real_price, strike_price, status, id_author, "
        "published_date) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        rows,
    )
    gen.planted.rows.update(author=len(author_ids), product=products)
    return [row[0] for row in rows]


async def fill(
    conn: asyncpg.Connection,
    seed: int = 20,
    users: int = 600,
    products: int = 300,
    orders: int = 900,
) -> Planted:
    """Write the same dirty data set for the same arguments; returns what was planted."""
    gen = _Gen(random.Random(seed), Planted())
    async with conn.transaction():
        await _people(conn, gen, users)
        catalogue = await _catalogue(conn, gen, products)
        trees = await taxonomies(conn, gen)
        await product_links(conn, gen, catalogue, trees["category"])
        kept = await conn.fetch(
            "SELECT id, id_author FROM product "
            "WHERE real_price >= 0 AND id_author IS NOT NULL ORDER BY id"
        )
        pairs = [(row["id"], row["id_author"]) for row in kept]
        await bundles(conn, gen, pairs, trees["category"])
        await books(conn, gen, pairs, trees)
        users = [row["id"] for row in await conn.fetch("SELECT id FROM auth_user ORDER BY id")]
        authors = [row["id"] for row in await conn.fetch("SELECT id FROM author ORDER BY id")]
        await partners(conn, gen, users, authors)
        await money.orders(conn, gen, catalogue, orders)
        await money.finance(conn, gen)
        await content(conn, gen)
    return gen.planted
