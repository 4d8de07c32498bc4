"""Where uploaded files live: one root, names we generate, containment on every lookup.

A stored name is ``YYYY-MM/DD/<random>.<ext>``: nothing of the client's name survives, so no
name can traverse, collide, or carry an extension that a browser or a server would execute.
"""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from rlib.files.sniff import Sniffed

TEMP_DIR = ".incoming"  # inside the root, so the final rename never crosses a filesystem
CACHE_DIR = ".sizes"
# What a name we generated looks like; lookups accept nothing else.
_STORED_NAME = re.compile(r"^\d{4}-\d{2}/\d{2}/[A-Za-z0-9_-]{22}\.[a-z0-9]{2,5}$")


@dataclass(frozen=True, slots=True)
class StoredFile:
    """A file placed in a store: its name relative to the root, its size and format."""

    name: str
    size: int
    kind: Sniffed


class FileStore:
    """Files under ``root``; temporary uploads in ``root/.incoming``, resized copies in
    ``root/.sizes``."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @property
    def temp_dir(self) -> Path:
        return self.root / TEMP_DIR

    @property
    def cache_dir(self) -> Path:
        return self.root / CACHE_DIR

    def place(self, temp: Path, kind: Sniffed, size: int, *, now: datetime) -> StoredFile:
        """Move an upload's temporary file to a new generated name (an atomic rename)."""
        token = secrets.token_urlsafe(16)  # 128 random bits, 22 characters
        name = f"{now:%Y-%m}/{now:%d}/{token}.{kind.extension}"
        target = self.root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(temp, target)
        return StoredFile(name=name, size=size, kind=kind)

    def resolve(self, name: str) -> Path | None:
        """The file called ``name``, or None when no such stored file exists.

        ``name`` must look like a name this store generated, and its resolved path (symbolic
        links followed) must still be inside the root: both checks, so that neither a crafted
        name nor a link planted on the disk reaches another file.
        """
        if not _STORED_NAME.fullmatch(name):
            return None
        root = self.root.resolve()
        path = (root / name).resolve()
        if not path.is_relative_to(root) or not path.is_file():
            return None
        return path
