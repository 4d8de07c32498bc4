"""Importing customer profiles: contacts normalised, orphans unlinked, every row accounted for."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from import_original.original_data import Planted
from import_original.original_source import (
    filled_source,
)
from sqlalchemy import func, select

from esensi.importer.profiles import e164
from esensi.importer.run import run_import
from esensi.models import metadata
from esensi.models.customer import Customer
from rlib.db.engine import Database

PG_URL = os.environ.get("ESENSI_TEST_DATABASE_URL")


@pytest.fixture(scope="module")
def source_url() -> Iterator[tuple[str, Planted]]:
    with filled_source(seed=3, users=400, products=20, orders=20) as made:
        yield made


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("081234567890", "+6281234567890"),
        ("0812-3456-7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("+6281234567890", "+6281234567890"),
        ("08-12-abc", None),
        ("", None),
        ("12345", None),
    ],
)
def test_whatsapp_numbers_are_normalised_to_e164(raw: str, normalised: str | None) -> None:
    assert e164(raw) == normalised


@pytest.mark.postgres
@pytest.mark.skipif(PG_URL is None, reason="needs ESENSI_TEST_DATABASE_URL (CI always sets it)")
async def test_customers_are_imported_or_reported_with_their_reason(
    source_url: tuple[str, Planted], database: Database
) -> None:
    url, planted = source_url
    report = await run_import(url, database)
    customers = report.table("customer")
    assert customers.source == planted.rows["customer"]
    assert customers.imported + len(customers.rejected) == customers.source
    assert len(customers.rejected) == planted.dirty["invalid_email"]
    reasons = " ".join(reason for reason, _ in customers.repaired)
    assert reasons.count("invalid phone") == planted.dirty["invalid_phone"]
    assert reasons.count("login missing") == planted.dirty["orphan_customer_user"]
    async with database.engine.connect() as conn:
        count = (await conn.execute(select(func.count()).select_from(Customer))).scalar_one()
        bad = await conn.execute(
            select(func.count()).where(
                Customer.whatsapp.is_not(None), ~Customer.whatsapp.startswith("+62")
            )
        )
    assert count == customers.imported
    assert bad.scalar_one() == 0
    await run_import(url, database)
    async with database.engine.connect() as conn:
        again = (await conn.execute(select(func.count()).select_from(Customer))).scalar_one()
    assert again == count


@pytest.mark.postgres
@pytest.mark.skipif(PG_URL is None, reason="needs ESENSI_TEST_DATABASE_URL (CI always sets it)")
async def test_publishers_affiliates_and_staff_are_imported_or_reported(
    source_url: tuple[str, Planted], database: Database
) -> None:
    url, planted = source_url
    report = await run_import(url, database)
    for name in ("publisher", "affiliate", "internal", "publisher_author"):
        table = report.table(name)
        assert table.source == planted.rows[name], name
        assert table.imported + len(table.rejected) == table.source, name
    repaired = " | ".join(
        reason for name in ("publisher", "affiliate") for reason, _ in report.table(name).repaired
    )
    assert repaired.count("duplicate name") == planted.dirty["duplicate_publisher_name"]
    assert repaired.count("login missing") == planted.dirty["orphan_profile_user"]
    staff = " | ".join(reason for reason, _ in report.table("internal").rejected)
    assert staff.count("without an imported login") == planted.dirty["staff_without_login"]
    assert staff.count("without a role") == planted.dirty["staff_without_role"]
    async with database.engine.connect() as conn:
        links = metadata.tables["publisher_author"]
        active = await conn.execute(select(func.count()).where(links.c.status == "active"))
        assert active.scalar_one() == report.table("publisher_author").imported > 0
    again = await run_import(url, database)
    assert again.table("publisher").repaired == report.table("publisher").repaired
