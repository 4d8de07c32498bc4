"""Demo book files: a small generated EPUB per product of the first block, in the private root,
under the names the catalogue step stores in ``product_file`` — so the demo customer's books
download through ``download`` / ``download_get`` like uploaded ones.

The database steps never touch the disk; ``esensi seed --demo`` writes these after them, into
the configured files directory. Bulk blocks (``--scale``) name files too but get none written
(their download answers "Berkas buku tidak ditemukan").
"""

from __future__ import annotations

import html
import io
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from esensi.services.uploads import PRIVATE_PREFIX

if TYPE_CHECKING:
    from esensi.seed.catalog import BookPlan

# The shape FileStore generates (YYYY-MM/DD/<22 characters>.<ext>), which is all it resolves.
_FOLDER = "2025-01/01"


def demo_book_name(number: int) -> str:
    """The ``product_file`` entry of demo book ``number``."""
    return f"{PRIVATE_PREFIX}{_FOLDER}/demobook{number:014d}.epub"


def demo_epub(title: str) -> bytes:
    """A minimal valid EPUB 3: the stored ``mimetype`` entry first, then container, package
    document, navigation and one chapter."""
    name = html.escape(title)
    files = {
        "META-INF/container.xml": (
            '<?xml version="1.0"?><container version="1.0" '
            'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
            '<rootfile full-path="book.opf" media-type="application/oebps-package+xml"/>'
            "</rootfiles></container>"
        ),
        "book.opf": (
            '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0" '
            'unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f'<dc:identifier id="id">esensi-demo</dc:identifier><dc:title>{name}</dc:title>'
            "<dc:language>id</dc:language></metadata><manifest>"
            '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" '
            'properties="nav"/><item id="c1" href="bab-1.xhtml" '
            'media-type="application/xhtml+xml"/></manifest><spine><itemref idref="c1"/>'
            "</spine></package>"
        ),
        "nav.xhtml": _page(name, '<nav epub:type="toc"><ol><li><a href="bab-1.xhtml">Bab 1</a>'),
        "bab-1.xhtml": _page(name, f"<h1>{name}</h1><p>Contoh isi buku demo esensi.</p>"),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        for path, text in files.items():
            archive.writestr(path, text, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _page(title: str, body: str) -> str:
    closing = "</li></ol></nav>" if body.startswith("<nav") else ""
    return (
        '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml" '
        'xmlns:epub="http://www.idpf.org/2007/ops">'
        f"<head><title>{title}</title></head><body>{body}{closing}</body></html>"
    )


def write_demo_book_files(directory: Path, books: Iterable[BookPlan]) -> int:
    """Write the missing demo files under ``directory/book``; returns how many were written."""
    written = 0
    for book in books:
        target = directory / "book" / demo_book_name(book.number).removeprefix(PRIVATE_PREFIX)
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(demo_epub(book.title))
        written += 1
    return written
