"""The comparator apps: H (hand-written), F (FastAPI + ORM), P (FastCRUD), O (rlib)."""
