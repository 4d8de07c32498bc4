"""The declared schema against the spec: tables, vocabularies, FK indexes, [S] columns."""

from __future__ import annotations

import enum
import inspect as pyinspect

from sqlalchemy import CheckConstraint, Column, Table, UniqueConstraint, inspect
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm import configure_mappers

from esensi.models import enums, metadata
from esensi.models.book import Book
from esensi.models.chapter import Chapter

SPEC_TABLES = {
    "auth_user", "auth_account", "auth_session", "auth_verification", "auth_two_factor",
    "auth_rate_limit", "customer", "author", "publisher", "internal", "affiliate",
    "publisher_author", "book", "book_approval", "book_changes_log", "product",
    "product_category", "bundle", "bundle_product", "bundle_category", "category", "genre",
    "tags", "book_genre", "book_tags", "chapter", "reviews", "reviews_likes", "author_follow",
    "t_sales", "t_sales_line", "t_sales_download", "customer_reader", "promo_code",
    "promo_code_usage", "midtrx", "transaction", "withdrawal", "notif", "cfg", "banner",
    "landing", "landing_items", "mail_outbox", "idempotency_key", "audit_log",
}  # fmt: skip

SPEC_SENSITIVE = {
    ("auth_account", "password"), ("auth_account", "access_token"),
    ("auth_account", "refresh_token"), ("auth_account", "id_token"),
    ("auth_session", "token_hash"), ("auth_verification", "value_hash"),
    ("auth_two_factor", "secret"), ("auth_two_factor", "backup_codes"),
    ("author", "bank_account_number"), ("author", "bank_account_provider"),
    ("author", "bank_account_name"), ("publisher", "bank_account_number"),
    ("publisher", "bank_account_provider"), ("publisher", "bank_account_name"),
    ("withdrawal", "bank_account_number"), ("withdrawal", "bank_account_provider"),
    ("withdrawal", "bank_account_name"), ("t_sales", "snap_token"),
    ("t_sales_download", "download_key"),
}  # fmt: skip


def test_tables_are_exactly_the_spec_tables() -> None:
    assert len(SPEC_TABLES) == 46
    assert set(metadata.tables) == SPEC_TABLES


def test_every_vocabulary_is_a_check_constraint() -> None:
    checks = [
        str(c.sqltext)
        for table in metadata.tables.values()
        for c in table.constraints
        if isinstance(c, CheckConstraint)
    ]
    vocabularies = [
        obj
        for _, obj in pyinspect.getmembers(enums, pyinspect.isclass)
        if issubclass(obj, enum.StrEnum) and obj is not enum.StrEnum
    ]
    for vocabulary in vocabularies:
        quoted = ", ".join(f"'{member.value}'" for member in vocabulary)
        assert any(f"IN ({quoted})" in check for check in checks), vocabulary.__name__


def _leading_columns(table: Table) -> set[str]:
    """Columns leading an index, unique constraint or primary key that an FK lookup can use.

    A partial index only counts when its predicate is ``<col> IS NOT NULL``, which any
    ``col = ?`` lookup implies.
    """
    leading = {table.primary_key.columns.values()[0].name}
    for index in table.indexes:
        first = index.expressions[0]
        if not isinstance(first, Column):
            continue
        where = index.dialect_options["postgresql"]["where"]
        if where is None or str(where) == f"{first.name} IS NOT NULL":
            leading.add(first.name)
    for constraint in table.constraints:
        if isinstance(constraint, UniqueConstraint):
            leading.add(constraint.columns.values()[0].name)
    return leading


def test_every_foreign_key_column_is_indexed() -> None:
    missing = [
        f"{table.name}.{fk.parent.name}"
        for table in metadata.tables.values()
        for fk in table.foreign_keys
        if fk.parent.name not in _leading_columns(table)
    ]
    assert missing == []


def test_sensitive_columns_are_the_spec_ones() -> None:
    flagged = {
        (table.name, column.name)
        for table in metadata.tables.values()
        for column in table.columns
        if column.info.get("sensitive")
    }
    assert flagged == SPEC_SENSITIVE


def test_no_profile_cascades_from_a_login() -> None:
    profiles = {"customer", "author", "publisher", "internal", "affiliate"}
    for name in profiles:
        (link,) = [fk for fk in metadata.tables[name].foreign_keys if fk.parent.name == "id_user"]
        assert link.ondelete in {"SET NULL", "RESTRICT"}, name


async def test_create_all_builds_every_table(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        names = await conn.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    assert names == SPEC_TABLES


async def test_trigram_indexes_exist_only_on_postgresql(engine: AsyncEngine) -> None:
    def trigram_indexes(sync_conn: object) -> set[str]:
        inspector = inspect(sync_conn)
        return {
            index["name"]
            for table in ("book", "product", "bundle")
            for index in inspector.get_indexes(table)
            if index["name"] and index["name"].endswith("_name_trgm")
        }

    async with engine.connect() as conn:
        found = await conn.run_sync(trigram_indexes)
    expected = {"book_name_trgm", "product_name_trgm", "bundle_name_trgm"}
    assert found == (expected if engine.dialect.name == "postgresql" else set())


def test_relationships_resolve() -> None:
    configure_mappers()
    assert Book.chapters.property.mapper.class_ is Chapter
