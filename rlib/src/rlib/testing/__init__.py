"""Helpers for testing apps built on rlib: a lifespan-running client, throwaway databases."""

from rlib.testing.auth import FakeAuthenticator
from rlib.testing.client import app_client
from rlib.testing.database import fresh_database, sqlite_url

__all__ = ["FakeAuthenticator", "app_client", "fresh_database", "sqlite_url"]
