"""A fixture app for rlib.files: one upload endpoint and one file route over a temp folder,
and the little files the tests send (made with Pillow, never read from disk)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from PIL import Image
from pydantic import BaseModel, Field
from starlette.responses import Response

from rlib import Catalogue, Ctx, Registry, RlibConfig, create_app, define_api
from rlib.db.engine import Database
from rlib.errors import UnsupportedMediaTypeError
from rlib.files import FileResponder, FileStore, read_multipart, sniff
from rlib.files.images import reencode
from rlib.registry import Domain

FILES = Domain(name="files", auth=frozenset({"public"}))
MAX_FILE = 64 * 1024
NOW = dt.datetime(2026, 12, 5, 8, 30, tzinfo=dt.UTC)


class Upload(BaseModel):
    kind: str
    file: bytes


class Stored(BaseModel):
    name: str
    fields: dict[str, str]


class FileQuery(BaseModel):
    path: str
    w: int | None = Field(default=None, ge=1, le=2048)
    h: int | None = Field(default=None, ge=1, le=2048)


def files_app(root: Path, database: Database, *, idle_timeout_s: float = 5.0):
    store = FileStore(root / "public")

    async def upload(ctx: Ctx) -> Stored:
        form = await read_multipart(
            ctx.req.receive,
            content_type=ctx.req.headers.get("content-type"),
            declared_length=int(ctx.req.headers.get("content-length") or 0) or None,
            temp_dir=root / ".incoming",
            max_file_bytes=MAX_FILE,
            idle_timeout_s=idle_timeout_s,
        )
        try:
            assert form.file is not None
            kind = sniff(form.file.head)
            if kind is None:
                raise UnsupportedMediaTypeError()
            if kind.image:
                reencode(form.file.path, kind)
            stored = store.place(form.file.path, kind, form.file.size, now=NOW)
            return Stored(name=stored.name, fields=form.fields)
        finally:
            form.discard()

    async def files(ctx: Ctx, query: FileQuery) -> Response:
        return await FileResponder(store).respond(
            query.path,
            width=query.w,
            height=query.h,
            if_none_match=ctx.req.headers.get("if-none-match"),
        )

    registry = Registry()
    registry.add(
        FILES,
        [
            define_api(name="upload", url="/upload", handler=upload, body="multipart", form=Upload),
            define_api(name="files", url="/f/{path:path}", handler=files, methods=("GET",)),
        ],
    )
    app = create_app(config=RlibConfig(), registry=registry, catalogue=Catalogue())
    app.use_database(database)
    return app


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (40, 30), *, exif: bool = False) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    if exif:
        tags = Image.Exif()
        tags[0x010F] = "SecretCamera"  # Make
        image.save(out, format=fmt, exif=tags)
    else:
        image.save(out, format=fmt)
    return out.getvalue()


def leftovers(root: Path) -> list[Path]:
    """Temporary upload files still on disk (none may survive a request)."""
    incoming = root / ".incoming"
    return list(incoming.iterdir()) if incoming.exists() else []
