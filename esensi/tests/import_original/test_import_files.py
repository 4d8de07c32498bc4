"""Copying the files an import listed: checked line by line, content sniffed, images written
again, nothing outside the original's upload folder, a rerun copies only what is missing."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from esensi.cli import app
from esensi.importer.file_copy import copy_listed
from esensi.importer.uploads import Uploads
from esensi.seed.book_files import demo_epub
from rlib.files.sniff import PNG, sniff

runner = CliRunner()


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 10, 10)).save(out, "PNG", pnginfo=None)
    return out.getvalue()


def _original(tmp_path: Path) -> tuple[Path, Path]:
    """An original working directory with a few uploads, and an import's copy list of them."""
    original = tmp_path / "lama"
    files = {
        "2024-3/5/1-sampul.png": _png(),
        "2024-3/5/2-buku.epub": demo_epub("Buku"),
        "2024-3/5/3-menyamar.jpg": b"<html><script>alert(1)</script></html>",
    }
    for name, data in files.items():
        path = original / "_file" / "upload" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (original / "rahasia.png").write_bytes(_png())
    uploads = Uploads()
    for name in ("2024-3/5/1-sampul.png", "2024-3/5/3-menyamar.jpg", "2024-3/5/4-hilang.png"):
        assert uploads.single("product", 1, "cover", f"_file/upload/{name}")
    assert uploads.single(
        "product", 1, "product_file", "_file/upload/2024-3/5/2-buku.epub", private=True
    )
    report = tmp_path / "report"
    report.mkdir()
    uploads.write(report)
    listing = report / "files-to-copy.csv"
    with listing.open("a", newline="", encoding="utf-8") as handle:  # an edited list
        writer = csv.writer(handle)
        writer.writerow(
            ["_file/upload/../../rahasia.png", "upload/2024-03/05/AAAAAAAAAAAAAAAAAAAAAA.png"]
        )
        writer.writerow(["_file/upload/2024-3/5/1-sampul.png", "upload/../../luar.png"])
    return original, listing


def test_listed_files_are_copied_checked_and_a_rerun_copies_nothing(tmp_path: Path) -> None:
    original, listing = _original(tmp_path)
    ours = tmp_path / "files"
    result = copy_listed(listing, original, ours)
    assert result.copied == 2
    assert result.missing == ["_file/upload/2024-3/5/4-hilang.png"]
    reasons = sorted(reason for _, _, reason in result.refused)
    assert reasons == [
        "content is not a type accepted there",
        "source outside the original's upload folder",
        "target is not one of our file names",
    ]
    copied = sorted(p.relative_to(ours).as_posix() for p in ours.rglob("*") if p.is_file())
    assert len(copied) == 2
    assert copied[0].startswith("book/2024-03/05/")
    assert copied[0].endswith(".epub")
    assert copied[1].startswith("upload/2024-03/05/")
    assert sniff((ours / copied[1]).read_bytes()[:4096]) == PNG
    assert not (tmp_path / "luar.png").exists()
    again = copy_listed(listing, original, ours)
    assert (again.copied, again.present) == (0, 2)


def test_the_command_copies_and_writes_what_it_did(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original, listing = _original(tmp_path)
    monkeypatch.setenv("ESENSI_FILES__DIRECTORY", str(tmp_path / "files"))
    result = runner.invoke(
        app, ["import-original-files", "--list", str(listing), "--from-dir", str(original)]
    )
    assert result.exit_code == 0, result.output
    assert "copied 2" in result.output
    outcome = (listing.parent / "files-copy-result.csv").read_text(encoding="utf-8")
    assert "missing on the original disk" in outcome
    assert "content is not a type accepted there" in outcome
