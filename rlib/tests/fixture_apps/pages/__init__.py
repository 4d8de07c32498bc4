"""Page endpoints with HTTP caching, for rlib's httpcache and pageshell tests."""

from rlib import Domain

domain = Domain(name="pages", auth=frozenset({"customer"}))
