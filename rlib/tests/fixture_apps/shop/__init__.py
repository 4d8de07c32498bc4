"""A tiny shop domain used by rlib's framework tests (never esensi)."""

from rlib import Domain

domain = Domain(name="shop", prefix="/api/shop", auth=frozenset({"customer"}))
