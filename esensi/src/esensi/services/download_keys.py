"""Single-use download keys for purchased book files (spec/workflows.md section 4.7;
design/security.md sections 4 and 10).

A key is 256 random bits; only its SHA-256 is stored, on the entitlement row, with an expiry
ten minutes ahead. Issuing again replaces the previous key (one current key per entitlement).
Claiming is one conditional UPDATE that clears the key and records the time and address, so of
two requests racing with one key exactly one gets a row back; an unknown, used, expired or
revoked key all answer the same 404.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select, update

from esensi.models.entitlement import TSalesDownload
from esensi.models.product import Product
from esensi.services.uploads import PRIVATE_PREFIX
from rlib import NotFoundError, Scope
from rlib.db.base import utcnow
from rlib.files import FileStore

KEY_LIFETIME = dt.timedelta(minutes=10)
DOWNLOAD_URL = "/api/library/download/"


@dataclass(frozen=True, slots=True)
class BookFile:
    """A claimed download: the file on disk and the product it belongs to."""

    path: Path
    slug: str


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def book_path(store: FileStore, product_file: list[str] | None) -> Path | None:
    """The first stored book file of a product, resolved inside the private root (the
    store checks the name's shape and containment); None when there is none on disk."""
    for name in product_file or ():
        if isinstance(name, str) and name.startswith(PRIVATE_PREFIX):
            return store.resolve(name.removeprefix(PRIVATE_PREFIX))
    return None


async def issue(scope: Scope, entitlement_id: uuid.UUID) -> str:
    """A new key for this entitlement (the caller checked ownership and the file); returns
    the URL that claims it."""
    key = secrets.token_urlsafe(32)
    await scope.db.execute(
        update(TSalesDownload)
        .where(TSalesDownload.id == entitlement_id)
        .values(download_key=digest(key), download_key_expires_at=utcnow() + KEY_LIFETIME)
    )
    return DOWNLOAD_URL + key


async def claim(scope: Scope, key: str, ip_address: str | None, store: FileStore) -> BookFile:
    """Use up ``key``: clear it, record when and from where, and return the file to stream.
    404 when the key is unknown, used, expired or its entitlement revoked, or the file is
    gone (the request's transaction then rolls the claim back)."""
    now = utcnow()
    claimed = (
        await scope.db.execute(
            update(TSalesDownload)
            .where(
                TSalesDownload.download_key == digest(key),
                TSalesDownload.download_key_expires_at > now,
                TSalesDownload.revoked_at.is_(None),
            )
            .values(
                download_key=None,
                download_key_expires_at=None,
                downloaded_at=now,
                ip_address=(ip_address or "")[:45] or None,
            )
            .returning(TSalesDownload.id_product)
        )
    ).scalar_one_or_none()
    if claimed is None:
        raise NotFoundError("resource.download")
    product = (
        await scope.db.execute(
            select(Product.slug, Product.product_file).where(Product.id == claimed)
        )
    ).one()
    path = book_path(store, product.product_file)
    if path is None:
        raise NotFoundError("resource.book_file")
    return BookFile(path=path, slug=product.slug)
