"""Formats are told by content: accepted ones are recognised, active content never is."""

import pytest
from files_helpers import image_bytes

from rlib.files import sniff
from rlib.files.sniff import EPUB, GIF, JPEG, PDF, PNG, WEBP

EPUB_HEAD = b"PK\x03\x04" + b"\x00" * 26 + b"mimetypeapplication/epub+zip"


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (image_bytes("PNG"), PNG),
        (image_bytes("JPEG"), JPEG),
        (image_bytes("GIF"), GIF),
        (image_bytes("WEBP"), WEBP),
        (b"%PDF-1.4\n", PDF),
        (EPUB_HEAD, EPUB),
    ],
)
def test_accepted_formats_are_recognised(head, kind):
    assert sniff(head) == kind


@pytest.mark.parametrize(
    "head",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b"<!DOCTYPE html><html><script>alert(1)</script>",
        b'<?xml version="1.0"?><x/>',
        b"ID3\x03\x00\x00\x00",  # an MP3
        b"PK\x03\x04" + b"\x00" * 26 + b"word/document.xml",  # a zip that is no EPUB
        b"#!/bin/sh\nrm -rf /",
        b"",
    ],
)
def test_everything_else_is_unknown(head):
    assert sniff(head) is None
