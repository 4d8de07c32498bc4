"""The bench's product domain on rlib: public, mounted at the root like the other apps."""

from rlib import Domain

domain = Domain(name="bench", auth=frozenset({"public"}))
