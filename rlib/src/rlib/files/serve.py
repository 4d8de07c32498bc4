"""Serving stored files: only names the store generated, images resized on request, and
headers that keep a browser from running anything it fetched from here.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from starlette.responses import FileResponse, Response

from rlib.errors import FieldError, NotFoundError, ValidationError
from rlib.files.images import MAX_RESIZE_SIDE, resized
from rlib.files.sniff import HEAD_BYTES, sniff
from rlib.files.store import FileStore

ONE_YEAR = 31_536_000
# A stored name never changes content (a new upload gets a new name): cache for a year.
IMAGE_CACHE = f"public, max-age={ONE_YEAR}, immutable"
OTHER_CACHE = "private, max-age=3600"
_SAFE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    # Even if a browser were to render it, nothing in it may run or load anything.
    "Content-Security-Policy": "default-src 'none'; img-src 'self'; sandbox",
    "Cross-Origin-Resource-Policy": "same-site",
}


class FileResponder:
    """Answers ``GET <prefix>/<name>[?w=&h=]`` from a :class:`FileStore`."""

    def __init__(self, store: FileStore) -> None:
        self.store = store

    async def respond(
        self, name: str, *, width: int | None, height: int | None, if_none_match: str | None
    ) -> Response:
        """The file, a resized copy of an image, or 304 when the client's copy is current.

        Raises:
            NotFoundError: no such stored file.
            ValidationError: ``w``/``h`` on a file that is not an image, or out of bounds.
        """
        path = self.store.resolve(name)
        if path is None:
            raise NotFoundError("resource.file")
        kind = sniff(_head(path))
        if width is not None or height is not None:
            if kind is None or not kind.image:
                raise ValidationError(
                    [FieldError(loc=("query", "w"), key="error.resize_image_only")]
                )
            box = (width or MAX_RESIZE_SIDE, height or MAX_RESIZE_SIDE)
            target = self.store.cache_dir / f"{name}.{box[0]}x{box[1]}.{kind.extension}"
            path = await asyncio.to_thread(resized, path, target, kind, *box)
        stat = path.stat()
        etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
        headers = dict(_SAFE_HEADERS)
        headers["ETag"] = etag
        if kind is not None and kind.image:
            headers["Cache-Control"] = IMAGE_CACHE
        else:
            headers["Cache-Control"] = OTHER_CACHE
            headers["Content-Disposition"] = f'attachment; filename="{Path(name).name}"'
        if if_none_match is not None and _matches(if_none_match, etag):
            return Response(status_code=304, headers=headers)
        media = kind.media_type if kind is not None else "application/octet-stream"
        return FileResponse(path, media_type=media, headers=headers, stat_result=stat)


def _head(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(HEAD_BYTES)


def _matches(header: str, etag: str) -> bool:
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return "*" in tags or etag in tags
