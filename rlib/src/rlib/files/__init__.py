"""Uploaded files: a streamed multipart reader, content sniffing, image re-encoding and resizing,
safe storage names, and a file responder (ADR files).

The app decides what may be uploaded by whom (kinds, sizes, roots); this package only does the
parts every app gets wrong: it never trusts a client's name or type, never holds a whole file
in memory, never writes outside its root, and never serves active content inline.
"""

from rlib.files.multipart import FormFile, StreamedForm, read_multipart
from rlib.files.serve import FileResponder
from rlib.files.sniff import Sniffed, sniff
from rlib.files.store import FileStore, StoredFile

__all__ = [
    "FileResponder",
    "FileStore",
    "FormFile",
    "Sniffed",
    "StoredFile",
    "StreamedForm",
    "read_multipart",
    "sniff",
]
