"""Deterministic, idempotent demo data."""
