"""Images are decoded and written again before they are kept: the stored file is one we wrote,
without the client's metadata (EXIF GPS positions, comments) or any bytes after the image.

Resizing for ``?w=&h=`` makes a copy that fits the box, cached on disk per size.
"""

from __future__ import annotations

import os
import tempfile
import warnings
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from rlib.errors import FieldError, ValidationError
from rlib.files.sniff import Sniffed

MAX_PIXELS = 40_000_000  # decoding costs memory by pixels, not by file size
MAX_SIDE = 10_000
MAX_RESIZE_SIDE = 2048
_FORMATS = {"jpg": "JPEG", "png": "PNG", "gif": "GIF", "webp": "WEBP"}


def unreadable(field: str = "file") -> ValidationError:
    return ValidationError([FieldError(loc=("body", field), key="error.upload_image_unreadable")])


def reencode(path: Path, kind: Sniffed) -> None:
    """Decode the image at ``path`` and write it again in place, without metadata.

    Raises:
        ValidationError: not a decodable image, or larger than the pixel and side bounds.
    """
    try:
        with warnings.catch_warnings():
            # Pillow warns (then fails) on huge headers; a warning is a refusal here too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            _reencode(path, kind)
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombWarning,
        Image.DecompressionBombError,
    ) as exc:
        raise unreadable() from exc


def _reencode(path: Path, kind: Sniffed) -> None:
    with Image.open(path) as image:
        width, height = image.size  # read from the header, before any decoding
        if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
            raise unreadable()
        frames = getattr(image, "n_frames", 1)
        image.load()
        upright = ImageOps.exif_transpose(image) if frames == 1 else image
        _write(upright, path, kind, all_frames=frames > 1)


def resized(source: Path, target: Path, kind: Sniffed, width: int, height: int) -> Path:
    """``source`` fitted into ``width`` x ``height`` at ``target`` (made once, then reused)."""
    if target.is_file():
        return target
    with Image.open(source) as image:
        image.thumbnail((width, height))
        target.parent.mkdir(parents=True, exist_ok=True)
        _write(image, target, kind, all_frames=False)
    return target


def _write(image: Image.Image, path: Path, kind: Sniffed, *, all_frames: bool) -> None:
    fmt = _FORMATS[kind.extension]
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    handle, temp = tempfile.mkstemp(prefix=".img-", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            image.save(out, format=fmt, save_all=all_frames)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
