"""What may be uploaded, by whom, and where it goes (security.md section 10, U1 to U3).

| kind | types | max | root |
|---|---|---|---|
| avatar, image | JPEG, PNG, WebP, GIF | 5 MiB | public (``/_file/upload/…``) |
| book_file | PDF, EPUB | 100 MiB | private (served only by ``download_get``) |
"""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from esensi.settings import FileSettings
from rlib.errors import AuthorizationError, PayloadTooLargeError, UnsupportedMediaTypeError
from rlib.files import FileStore, FormFile, StoredFile, sniff
from rlib.files.images import reencode
from rlib.files.sniff import EPUB, GIF, JPEG, PDF, PNG, WEBP, Sniffed

UploadKind = Literal["avatar", "image", "book_file"]
MIB = 1024 * 1024
PUBLIC_PREFIX = "_file/upload/"  # what the store's pages put before a public file's name
PRIVATE_PREFIX = "_file/book/"  # never a route: download_get resolves it after its checks
_PUBLISHERS_OF_CONTENT = frozenset({"author", "publisher", "internal"})


class UploadTypeError(UnsupportedMediaTypeError):
    """415: the file's content is not a type this kind accepts (SVG, HTML, audio, …)."""

    code = "upload_type"
    key = "error.upload_type"


@dataclass(frozen=True, slots=True)
class Kind:
    """One upload kind: accepted formats, size bound, public or private, who may send it."""

    formats: frozenset[Sniffed]
    max_bytes: int
    public: bool
    user_types: frozenset[str] | None  # None: every signed-in user


_IMAGES = frozenset({JPEG, PNG, WEBP, GIF})
KINDS: dict[UploadKind, Kind] = {
    "avatar": Kind(_IMAGES, 5 * MIB, public=True, user_types=None),
    "image": Kind(_IMAGES, 5 * MIB, public=True, user_types=_PUBLISHERS_OF_CONTENT),
    "book_file": Kind(
        frozenset({PDF, EPUB}), 100 * MIB, public=False, user_types=_PUBLISHERS_OF_CONTENT
    ),
}


def may_upload(kind: UploadKind, user_types: frozenset[str]) -> bool:
    allowed = KINDS[kind].user_types
    return allowed is None or bool(allowed & user_types)


def largest_allowed(user_types: frozenset[str]) -> int:
    """The biggest file this user may send at all: the bound while the body streams in."""
    return max(k.max_bytes for name, k in KINDS.items() if may_upload(name, user_types))


@dataclass(frozen=True, slots=True)
class Roots:
    """The public and private stores and the folder uploads stream into (one filesystem)."""

    public: FileStore
    private: FileStore
    incoming: Path

    @classmethod
    def of(cls, settings: FileSettings) -> Roots:
        base = settings.directory
        return cls(FileStore(base / "upload"), FileStore(base / "book"), base / ".incoming")


async def keep(
    roots: Roots, kind: UploadKind, file: FormFile, user_types: frozenset[str], now: dt.datetime
) -> str:
    """Check and store an uploaded file; the name to save in a row (``_file/…``).

    Raises:
        AuthorizationError: this user type may not upload this kind (403).
        PayloadTooLargeError: over the kind's size (413).
        UploadTypeError: content of a type the kind does not accept (415).
        ValidationError: an image that does not decode, or too many pixels (422).
    """
    spec = KINDS[kind]
    if not may_upload(kind, user_types):
        raise AuthorizationError()
    if file.size > spec.max_bytes:
        raise PayloadTooLargeError(limit=spec.max_bytes)
    found = sniff(file.head)
    if found is None or found not in spec.formats:
        raise UploadTypeError()
    if found.image:
        await asyncio.to_thread(reencode, file.path, found)
    size = file.path.stat().st_size
    store = roots.public if spec.public else roots.private
    stored: StoredFile = store.place(file.path, found, size, now=now)
    return (PUBLIC_PREFIX if spec.public else PRIVATE_PREFIX) + stored.name
