"""Copy the files an import listed (``files-to-copy.csv``) from the original's disk into ours.

Each line is checked again, since the list is a file an operator may edit: the source must
stay inside ``<original>/_file/upload`` once links are resolved, the target must be one of our
generated names under ``upload/`` or ``book/``. The content is sniffed (images: JPEG, PNG,
WebP, GIF; book files: PDF, EPUB — the extension is never trusted) and images are decoded and
written again without metadata, as uploads are (ADR 0029). A target already present is left
alone, so a rerun copies only what is missing; each file is written under a temporary name
and renamed, so an interrupted copy leaves no half file under a served name.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from rlib.errors import ValidationError
from rlib.files.images import reencode
from rlib.files.sniff import EPUB, GIF, HEAD_BYTES, JPEG, PDF, PNG, WEBP, Sniffed, sniff

_OUR_NAME = re.compile(r"^\d{4}-\d{2}/\d{2}/[A-Za-z0-9_-]{22}\.[a-z0-9]{2,5}$")
ACCEPTED: dict[str, frozenset[Sniffed]] = {
    "upload": frozenset({JPEG, PNG, WEBP, GIF}),
    "book": frozenset({PDF, EPUB}),
}


@dataclass
class CopyResult:
    """What a copy run did: counts, and every line it could not copy with the reason."""

    copied: int = 0
    present: int = 0
    missing: list[str] = field(default_factory=list)
    refused: list[tuple[str, str, str]] = field(default_factory=list)  # source, target, reason

    def write(self, path: Path) -> None:
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["source", "target", "outcome"])
            writer.writerows(
                (source, "", "missing on the original disk") for source in self.missing
            )
            writer.writerows(self.refused)


def _refusal(original: Path, source: str, target: str) -> str | None:
    """Why the line (source, target) may not be copied, or None."""
    upload = (original / "_file" / "upload").resolve()
    if not source.startswith("_file/upload/") or not (original / source).resolve().is_relative_to(
        upload
    ):
        return "source outside the original's upload folder"
    root, _, name = target.partition("/")
    if root not in ACCEPTED or not _OUR_NAME.fullmatch(name):
        return "target is not one of our file names"
    return None


def _copy_one(source: Path, target: Path, accepted: frozenset[Sniffed]) -> str | None:
    """Copy ``source`` to ``target`` (checked, images re-encoded); the refusal or None."""
    with source.open("rb") as handle:
        kind = sniff(handle.read(HEAD_BYTES))
    if kind is None or kind not in accepted:
        return "content is not a type accepted there"
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.part")
    shutil.copyfile(source, temporary)
    if kind.image:
        try:
            reencode(temporary, kind)
        except ValidationError:
            temporary.unlink()
            return "image does not decode or is too large"
    os.replace(temporary, target)
    return None


def copy_listed(listing: Path, original: Path, files_directory: Path) -> CopyResult:
    """Copy every line of ``listing`` from ``original`` (the original's working directory)
    into ``files_directory`` (ours); returns what happened to each line."""
    result = CopyResult()
    with listing.open(newline="", encoding="utf-8") as handle:
        lines = [(row["source"], row["target"]) for row in csv.DictReader(handle)]
    for source, target in lines:
        refusal = _refusal(original, source, target)
        if refusal is not None:
            result.refused.append((source, target, refusal))
            continue
        destination = files_directory / target
        if destination.exists():
            result.present += 1
            continue
        origin = original / source
        if not origin.is_file():
            result.missing.append(source)
            continue
        refusal = _copy_one(origin, destination, ACCEPTED[target.partition("/")[0]])
        if refusal is not None:
            result.refused.append((source, target, refusal))
        else:
            result.copied += 1
    return result
