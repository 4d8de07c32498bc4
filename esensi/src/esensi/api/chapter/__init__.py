"""chapter: the web-novel site (chapter.esensi.online; ``/chapter`` on a single local port)."""

from rlib import Domain

domain = Domain(
    name="chapter", host_key="chapter", auth=frozenset({"customer"}), unhosted_prefix="/chapter"
)
