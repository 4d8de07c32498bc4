"""What a file really is, told by its first bytes — never by its name or declared type.

Only formats an app may accept are recognised; anything else (SVG, HTML, scripts, archives
that are not EPUB) is ``None`` and refused by the caller.
"""

from __future__ import annotations

from dataclasses import dataclass

HEAD_BYTES = 4096  # how much of a file the sniffer needs


@dataclass(frozen=True, slots=True)
class Sniffed:
    """A recognised format: its media type, the extension we store it under, image or not."""

    media_type: str
    extension: str
    image: bool = False


JPEG = Sniffed("image/jpeg", "jpg", image=True)
PNG = Sniffed("image/png", "png", image=True)
GIF = Sniffed("image/gif", "gif", image=True)
WEBP = Sniffed("image/webp", "webp", image=True)
PDF = Sniffed("application/pdf", "pdf")
EPUB = Sniffed("application/epub+zip", "epub")

# An EPUB is a zip whose first entry is an uncompressed "mimetype" file naming its type.
_EPUB_MARK = b"mimetypeapplication/epub+zip"


def sniff(head: bytes) -> Sniffed | None:
    """The format of a file starting with ``head`` (its first :data:`HEAD_BYTES`), or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04") and head[30:58] == _EPUB_MARK:
        return EPUB
    return None
