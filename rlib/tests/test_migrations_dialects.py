"""Indexes reserved for one dialect are neither expected nor generated on another."""

from sqlalchemy import Column, Index, Integer, MetaData, String, Table, create_mock_engine

from rlib.db.base import index_only_on
from rlib.db.migrations import include_for


def _table() -> Table:
    return Table("t", MetaData(), Column("id", Integer, primary_key=True), Column("name", String))


def test_a_dialect_only_index_is_left_out_elsewhere_and_kept_on_its_dialect():
    table = _table()
    trigram = index_only_on(Index("t_name_trgm", table.c.name), "postgresql")
    plain = Index("ix_t_name", table.c.name)
    on_sqlite, on_postgres = include_for("sqlite"), include_for("postgresql")
    assert on_sqlite(trigram, trigram.name, "index", False, None) is False
    assert on_postgres(trigram, trigram.name, "index", False, None) is True
    assert on_sqlite(plain, plain.name, "index", False, None) is True


def test_what_the_database_holds_is_always_compared():
    reflected = Index("t_name_trgm", _table().c.name)  # reflection carries no info
    assert include_for("sqlite")(reflected, reflected.name, "index", True, None) is True


def _ddl(url: str, table: Table) -> str:
    emitted: list[str] = []
    engine = create_mock_engine(url, lambda sql, *a, **k: emitted.append(str(sql.compile(engine))))
    table.metadata.create_all(engine, checkfirst=False)
    return "\n".join(emitted)


def test_the_index_is_created_only_on_its_dialect():
    table = _table()
    index_only_on(Index("t_name_trgm", table.c.name), "postgresql")
    assert "t_name_trgm" in _ddl("postgresql://", table)
    assert "t_name_trgm" not in _ddl("sqlite://", table)
