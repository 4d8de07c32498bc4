"""Upload paths of imported rows, rewritten to our layout, and the operator's copy list.

The original kept files under ``<cwd>/_file/upload/<YYYY>-<M>/<D>/<ms>-<client name>`` and
stored the path as ``_file/upload/…`` (sometimes with a leading ``/``, sometimes as a URL on
its own host, sometimes ``_img/upload/…`` as its SEO pages wrote it). Ours serves only names it
generated: ``YYYY-MM/DD/<22 characters>.<ext>`` under the public root (``_file/upload/…``) or
the private book root (``_file/book/…``, book files, never served by a route).

Each original path becomes ``<its date, zero-padded>/<token>.<ext>``, the token being the
first 128 bits of the SHA-256 of the original path (URL-safe base64): the same path gives the
same name on every run and for every row that uses it. Each distinct (original, ours) pair is
one line of ``files-to-copy.csv`` (``source`` relative to the original's working directory,
``target`` relative to our files directory).

A path is **unsafe** and neither rewritten nor copied (the column is cleared and the value
listed in ``files-unsafe.csv`` with the reason) when it is a URL on another host or of another
scheme, an absolute path outside ``/_file/upload``, has a ``..``/``.`` segment (also
percent-encoded), a backslash or NUL, or an extension our uploads do not accept for that kind
(images: jpg, jpeg, png, webp, gif; book files: pdf, epub).

Rewritten: ``auth_user.image``, ``author.avatar``, ``publisher.logo``, ``category``/``genre``/
``tags.img``, ``book``/``product``/``bundle`` ``cover`` and ``img_file``, ``product_file`` (to
the private root), ``banner.banner_file``, ``landing_items.img_file``, ``notif.thumbnail`` and
the image blocks of ``chapter.content`` (an unsafe one is left out of the document).
"""

from __future__ import annotations

import base64
import csv
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from esensi.services.uploads import PRIVATE_PREFIX, PUBLIC_PREFIX

ORIGINAL_DOMAINS = ("esensi.online", "esensichapter.com")
ORIGINAL_PREFIXES = ("_file/upload/", "_img/upload/")
IMAGE_EXTENSIONS = frozenset({"jpg", "jpeg", "png", "webp", "gif"})
BOOK_EXTENSIONS = frozenset({"pdf", "epub"})
UNDATED = "1970-01/01"  # the folder of originals whose path carries no date
_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_DAY = re.compile(r"^\d{1,2}$")
_EXTENSION = re.compile(r"^[a-z0-9]{2,5}$")
# An upload path of the original inside text or JSON (cfg values, notification data).
EMBEDDED_PATH = re.compile(
    r"^(https?://([a-z0-9-]+\.)*(esensi\.online|esensichapter\.com))?/?_(file|img)/upload/",
    re.IGNORECASE,
)
# The file columns of our rows: one path each, or a list (book files go to the private root).
SINGLE_COLUMNS = ("image", "avatar", "logo", "img", "cover", "thumbnail")
LIST_COLUMNS = {"img_file": False, "banner_file": False, "product_file": True}


class UnsafePathError(ValueError):
    """A path the import will not rewrite or copy; the message is the reason."""


def _original_host(host: str) -> bool:
    host = host.lower().rstrip(".")
    return any(host == d or host.endswith("." + d) for d in ORIGINAL_DOMAINS)


def web_link(raw: str | None, *, original_hosts_only: bool = False) -> bool:
    """Whether ``raw`` is a link a page may carry: a path on the site (``/…``, not ``//…``)
    or an http(s) URL (on the original's hosts only, if asked). ``javascript:``, ``data:``
    and the like never are."""
    if raw is None:
        return True
    if "\\" in raw or any(ord(c) < 32 for c in raw):
        return False
    if raw.startswith("/"):
        return not raw.startswith("//")
    parts = urlsplit(raw)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return False
    return not original_hosts_only or _original_host(parts.hostname)


def _as_path(raw: str) -> str:
    """The path part of a stored value: a URL's decoded path (original hosts only), else the
    value itself."""
    if "\\" in raw or "\x00" in raw:
        raise UnsafePathError("backslash or NUL in the path")
    parts = urlsplit(raw)
    if not (parts.scheme or parts.netloc):
        if _dot_segment(unquote(raw)):  # an encoded traversal is a traversal attempt
            raise UnsafePathError("'..' or '.' in the path")
        return raw  # a stored path is the file's own name, not percent-encoded
    if parts.scheme.lower() not in ("http", "https", ""):
        raise UnsafePathError(f"not a path or a web address ({parts.scheme}:)")
    if not _original_host(parts.hostname or ""):
        raise UnsafePathError(f"URL on another host ({parts.hostname})")
    path = unquote(parts.path)
    if "\\" in path or "\x00" in path:
        raise UnsafePathError("backslash or NUL in the path")
    return path


def original_relative(raw: str) -> str:
    """The path of ``raw`` inside the original's upload folder (``_file/upload``).

    Raises:
        UnsafePathError: see the module's list.
    """
    path = _as_path(raw)
    absolute = path.startswith("/")
    path = path.lstrip("/") if absolute else path
    for prefix in ORIGINAL_PREFIXES:
        if path.startswith(prefix):
            path = path.removeprefix(prefix)
            break
    else:
        if absolute:
            raise UnsafePathError("absolute path outside the upload folder")
    segments = [s for s in path.split("/") if s]
    if not segments or _dot_segment(path):
        raise UnsafePathError("'..' or '.' in the path")
    return "/".join(segments)


def _dot_segment(path: str) -> bool:
    return any(s in ("..", ".") for s in path.split("/"))


def our_name(relative: str, extensions: frozenset[str]) -> str:
    """Our stored name (without root prefix) for the original file ``relative``."""
    segments = relative.split("/")
    extension = segments[-1].rsplit(".", 1)[-1].lower() if "." in segments[-1] else ""
    if not _EXTENSION.match(extension) or extension not in extensions:
        raise UnsafePathError(f"file type not accepted ({extension or 'no extension'})")
    folder = UNDATED
    year_month = _YEAR_MONTH.match(segments[0]) if len(segments) >= 3 else None
    if year_month and _DAY.match(segments[1]):
        month, day = int(year_month[2]), int(segments[1])
        if 1 <= month <= 12 and 1 <= day <= 31:
            folder = f"{year_month[1]}-{month:02d}/{day:02d}"
    digest = hashlib.sha256(relative.encode()).digest()[:16]
    token = base64.urlsafe_b64encode(digest).decode().rstrip("=")
    return f"{folder}/{token}.{extension}"


def block_is_image(block: Any) -> bool:
    return (
        isinstance(block, dict)
        and block.get("type") == "image"
        and isinstance(block.get("data"), dict)
    )


@dataclass(frozen=True, slots=True)
class UnsafePath:
    table: str
    row_id: str
    column: str
    value: str
    reason: str


@dataclass
class Uploads:
    """Every path the import rewrote (the copy list) or refused (the unsafe list)."""

    copies: dict[tuple[str, str], None] = field(default_factory=dict)
    unsafe: list[UnsafePath] = field(default_factory=list)

    def single(
        self, table: str, row_id: Any, column: str, raw: str | None, *, private: bool = False
    ) -> str | None:
        """Our path for one stored path (None for none, or when it is unsafe)."""
        text = (raw or "").strip()
        if not text:
            return None
        try:
            relative = original_relative(text)
            name = our_name(relative, BOOK_EXTENSIONS if private else IMAGE_EXTENSIONS)
        except UnsafePathError as exc:
            self.unsafe.append(UnsafePath(table, str(row_id), column, text, str(exc)))
            return None
        root = "book/" if private else "upload/"
        self.copies[(ORIGINAL_PREFIXES[0] + relative, root + name)] = None
        return (PRIVATE_PREFIX if private else PUBLIC_PREFIX) + name

    def many(
        self, table: str, row_id: Any, column: str, paths: list[str], *, private: bool = False
    ) -> list[str]:
        """Our paths for a file list; unsafe entries are left out (and listed)."""
        ours = (self.single(table, row_id, column, p, private=private) for p in paths)
        return [p for p in ours if p is not None]

    def rewrite(self, table: str, row: dict[str, Any]) -> dict[str, Any]:
        """``row`` (one of ours, about to be written) with every file column rewritten."""
        for column in SINGLE_COLUMNS:
            if column in row:
                row[column] = self.single(table, row.get("id"), column, row[column])
        for column, private in LIST_COLUMNS.items():
            if column in row:
                paths = row[column] or []
                row[column] = self.many(table, row.get("id"), column, paths, private=private)
        return row

    def content(self, table: str, row_id: Any, document: Any) -> Any:
        """An Editor.js document with each image block's ``data.file.url`` rewritten (as the
        absolute URL path ``/_file/upload/…``); a block whose image is unsafe is left out."""
        if not isinstance(document, dict) or not isinstance(document.get("blocks"), list):
            return document
        blocks = []
        for block in document["blocks"]:
            file = block.get("data", {}).get("file") if isinstance(block, dict) else None
            if (
                block_is_image(block)
                and isinstance(file, dict)
                and isinstance(file.get("url"), str)
            ):
                ours = self.single(table, row_id, "content", file["url"])
                if ours is None:
                    continue
                block = {**block, "data": {**block["data"], "file": {**file, "url": "/" + ours}}}
            blocks.append(block)
        return {**document, "blocks": blocks}

    def embedded(self, table: str, row_id: Any, column: str, value: Any) -> Any:
        """``value`` (JSON: text, list, object) with every string that is an upload path of
        the original (:data:`EMBEDDED_PATH`) rewritten, keeping a leading ``/``; an unsafe
        one becomes ``""`` (and is listed). Other strings are left alone."""
        if isinstance(value, dict):
            return {k: self.embedded(table, row_id, column, v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.embedded(table, row_id, column, v) for v in value]
        if not isinstance(value, str) or not EMBEDDED_PATH.match(value):
            return value
        ours = self.single(table, row_id, column, value)
        if ours is None:
            return ""
        return "/" + ours if urlsplit(value).path.startswith("/") else ours

    def write(self, directory: Path) -> list[str]:
        """``files-to-copy.csv`` and ``files-unsafe.csv``; returns report.md's lines."""
        with (directory / "files-to-copy.csv").open("w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(["source", "target"])
            writer.writerows(sorted(self.copies))
        with (directory / "files-unsafe.csv").open("w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(["table", "id", "column", "value", "reason"])
            for u in self.unsafe:
                writer.writerow([u.table, u.row_id, u.column, u.value, u.reason])
        return [
            "",
            "## Files",
            "",
            f"- to copy: {len(self.copies)} (files-to-copy.csv: `source` under the original's"
            " working directory, `target` under our files directory)",
            f"- unsafe, not copied, column cleared: {len(self.unsafe)} (files-unsafe.csv)",
        ]
