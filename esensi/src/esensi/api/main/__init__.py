"""main: the store (esensi.online). Pages are public; cart and library need a customer."""

from rlib import Domain

domain = Domain(name="main", host_key="main", auth=frozenset({"customer"}))
