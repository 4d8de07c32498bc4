"""Scenario (f): the real esensi app (O) on its own schema and demo data, against a
hand-written Starlette + asyncpg app (H) and an idiomatic FastAPI + SQLAlchemy ORM app (F)."""
