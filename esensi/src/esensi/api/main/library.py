"""The store's library: owned books with progress, the reader page, download keys and the
download itself, and saving progress (spec/workflows.md section 4.7).

Book files live in the private root, which no route serves: the only way to a file is a
single-use key issued here to its entitled customer (design/security.md section 10, U3).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import cast

from starlette.responses import FileResponse, Response

from esensi.api.main.library_schemas import (
    DownloadKeyPath,
    DownloadLink,
    DownloadRequest,
    LibraryItem,
    LibraryQuery,
    Progress,
    ProgressUpdate,
    ReaderData,
    ReadQuery,
)
from esensi.services import book_library, download_keys
from esensi.services.uploads import Roots
from esensi.settings import Settings
from rlib import Ctx, NotFoundError, Page, define_api
from rlib.auth.flows import kit_of
from rlib.auth.users import require_profile
from rlib.endpoint import PUBLIC
from rlib.files import FileStore, sniff

PAGE_SIZE = 20
NO_STORE = "no-store"  # a page or answer carrying a key must never be kept by a cache
_UNSAFE_IN_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def _private(ctx: Ctx) -> FileStore:
    return Roots.of(cast(Settings, ctx.settings).files).private


@define_api(
    name="library",
    url="/library/{page:int}",
    methods=("GET", "POST"),
    auth={"customer"},
    aliases=("/library",),
    page=True,
)
async def library(ctx: Ctx, payload: LibraryQuery) -> Page[LibraryItem]:
    """The caller's books (not refunded), latest purchase first, with reading progress."""
    customer = require_profile(ctx, "customer")
    listing = await book_library.library(ctx, customer, page=payload.page, limit=PAGE_SIZE)
    items = [LibraryItem.of(row) for row in listing.rows]
    return Page(items=items, page=payload.page, limit=PAGE_SIZE, total=listing.total)


@define_api(
    name="read",
    url="/read/{slug}",
    methods=("GET", "POST"),
    auth={"customer"},
    page=True,
    readonly=False,  # issuing the key writes, on a GET too
    errors=(NotFoundError,),
)
async def read(ctx: Ctx, payload: ReadQuery) -> ReaderData:
    """An owned book for the reader: metadata, progress and a ten-minute single-use file URL
    (null without a file)."""
    customer = require_profile(ctx, "customer")
    row = await book_library.owned_by_slug(ctx, customer, payload.slug)
    url = None
    if download_keys.book_path(_private(ctx), row["product_file"]) is not None:
        url = await download_keys.issue(ctx, row["id_entitlement"])
    ctx.response_headers["Cache-Control"] = NO_STORE
    values = dict(row)
    return ReaderData(**values, progress=Progress.model_validate(values), download_url=url)


@define_api(
    name="download", url="/api/library/download", auth={"customer"}, errors=(NotFoundError,)
)
async def download(ctx: Ctx, payload: DownloadRequest) -> DownloadLink:
    """A single-use URL (ten minutes) to the file of a product the caller owns."""
    customer = require_profile(ctx, "customer")
    owned = await book_library.entitlement(ctx, customer, payload.id_product)
    if download_keys.book_path(_private(ctx), owned["product_file"]) is None:
        raise NotFoundError("resource.book_file")
    ctx.response_headers["Cache-Control"] = NO_STORE
    return DownloadLink(url=await download_keys.issue(ctx, owned["id"]))


async def download_get(ctx: Ctx, payload: DownloadKeyPath) -> Response:
    """The book file of a download key, once: the key is claimed (and the time and address
    recorded) before a byte is sent."""
    store = _private(ctx)
    found = await download_keys.claim(ctx, payload.key, kit_of(ctx).client_ip(ctx), store)
    with found.path.open("rb") as handle:
        kind = sniff(handle.read(64))
    extension = kind.extension if kind is not None else "bin"
    filename = _UNSAFE_IN_NAME.sub("-", found.slug).strip("-.")[:100] or "buku"
    headers = {
        "Content-Disposition": f'attachment; filename="{filename}.{extension}"',
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Cache-Control": NO_STORE,
    }
    media = kind.media_type if kind is not None else "application/octet-stream"
    return FileResponse(found.path, media_type=media, headers=headers)


DOWNLOAD_GET = define_api(
    name="download_get",
    url="/api/library/download/{key}",
    handler=download_get,
    methods=("GET",),
    auth=PUBLIC,  # the key is the credential
    readonly=False,  # the claim is a write
    documented=False,  # bytes, not the envelope
)


@define_api(
    name="progress_update",
    url="/api/library/progress",
    auth={"customer"},
    errors=(NotFoundError,),
)
async def progress_update(ctx: Ctx, payload: ProgressUpdate) -> Progress:
    """Save the caller's position in a book they own (one row per book, overwritten)."""
    customer = require_profile(ctx, "customer")
    changes: dict[str, object] = {
        "last_page": payload.last_page,
        "percent": Decimal(str(round(payload.percent, 2))),
    }
    if payload.id_chapter is not None:
        changes["id_chapter"] = payload.id_chapter
    saved = await book_library.save_progress(ctx, customer, payload.id_product, changes)
    return Progress.model_validate({**saved, "read_at": saved["updated_at"]})
