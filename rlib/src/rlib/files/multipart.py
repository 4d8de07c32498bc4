"""A ``multipart/form-data`` body read as it arrives: the one file part goes straight to a
temporary file beside its final place, small text fields are kept, everything is bounded.

The whole body is never in memory, a body over the limit is refused (413) as soon as it is
known to be, and a client that stops sending is cut off after an idle timeout (408).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.types import Receive

from rlib.errors import BadRequestError, PayloadTooLargeError, UnsupportedMediaTypeError
from rlib.files.sniff import HEAD_BYTES
from rlib.limits import RequestTimeoutError

MAX_FIELDS = 16
MAX_FIELD_BYTES = 1024
# Room for the boundaries, part headers and text fields around the file itself.
ENVELOPE_BYTES = MAX_FIELDS * (MAX_FIELD_BYTES + 512)


class MultipartExpectedError(UnsupportedMediaTypeError):
    """415: the body is not ``multipart/form-data`` with a boundary."""

    key = "error.multipart_expected"


class MalformedMultipartError(BadRequestError):
    """400: the body does not parse as multipart, or breaks its limits (fields, sizes)."""

    code = "multipart_malformed"
    key = "error.multipart_malformed"


class OneFileError(BadRequestError):
    """400: a form with more than one file part."""

    code = "multipart_one_file"
    key = "error.multipart_one_file"


@dataclass(slots=True)
class FormFile:
    """The uploaded file, on disk in a temporary file; ``filename`` is the client's, unused."""

    field: str
    filename: str
    path: Path
    size: int = 0
    head: bytes = b""

    def discard(self) -> None:
        """Remove the temporary file (after a refusal, or when it was not kept)."""
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()


@dataclass(slots=True)
class StreamedForm:
    """The text fields and the one file of a form."""

    fields: dict[str, str] = field(default_factory=dict)
    file: FormFile | None = None

    def discard(self) -> None:
        if self.file is not None:
            self.file.discard()


def boundary_of(content_type: str | None) -> bytes:
    """The boundary of a ``multipart/form-data`` content type, else 415."""
    media, options = parse_options_header(content_type or "")
    boundary = options.get(b"boundary", b"")
    if media.lower() != b"multipart/form-data" or not boundary:
        raise MultipartExpectedError()
    return boundary


async def read_multipart(
    receive: Receive,
    *,
    content_type: str | None,
    declared_length: int | None,
    temp_dir: Path,
    max_file_bytes: int,
    idle_timeout_s: float,
) -> StreamedForm:
    """Read a form with at most one file of at most ``max_file_bytes`` into ``temp_dir``.

    Raises:
        MultipartExpectedError: not a multipart body (415).
        PayloadTooLargeError: the file or the whole body is too large (413).
        MalformedMultipartError, OneFileError: a broken or over-full form (400).
        RequestTimeoutError: the client stopped sending (408).
    """
    boundary = boundary_of(content_type)
    limit = max_file_bytes + ENVELOPE_BYTES
    if declared_length is not None and declared_length > limit:
        raise PayloadTooLargeError(limit=max_file_bytes)
    collector = _Collector(temp_dir, max_file_bytes)
    parser = MultipartParser(
        boundary,
        {
            "on_part_begin": collector.part_begin,
            "on_header_field": collector.header_field,
            "on_header_value": collector.header_value,
            "on_header_end": collector.header_end,
            "on_headers_finished": collector.headers_finished,
            "on_part_data": collector.part_data,
            "on_part_end": collector.part_end,
        },
        max_size=limit,
    )
    received = 0
    try:
        while True:
            try:
                async with asyncio.timeout(idle_timeout_s):
                    message = await receive()
            except TimeoutError as exc:
                raise RequestTimeoutError() from exc
            if message["type"] == "http.disconnect":
                raise BadRequestError()
            chunk = message.get("body", b"")
            received += len(chunk)
            if received > limit:
                raise PayloadTooLargeError(limit=max_file_bytes)
            parser.write(chunk)
            if not message.get("more_body", False):
                break
        parser.finalize()
        return collector.finish()
    except MultipartParseError as exc:
        collector.abort()
        raise MalformedMultipartError() from exc
    except BaseException:
        collector.abort()
        raise


class _Collector:
    """The parser's callbacks: headers of each part, then its data to a field or the file."""

    def __init__(self, temp_dir: Path, max_file_bytes: int) -> None:
        self.temp_dir = temp_dir
        self.max_file_bytes = max_file_bytes
        self.form = StreamedForm()
        self._header_name = bytearray()
        self._header_value = bytearray()
        self._headers: dict[bytes, bytes] = {}
        self._field: str | None = None
        self._value = bytearray()
        self._sink: IO[bytes] | None = None

    def part_begin(self) -> None:
        self._headers = {}
        self._field = None
        self._value = bytearray()

    def header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def header_end(self) -> None:
        self._headers[bytes(self._header_name).lower()] = bytes(self._header_value)
        self._header_name = bytearray()
        self._header_value = bytearray()

    def headers_finished(self) -> None:
        disposition, options = parse_options_header(self._headers.get(b"content-disposition"))
        name = options.get(b"name")
        if disposition.lower() != b"form-data" or not name:
            raise MalformedMultipartError()
        field_name = name.decode("utf-8", "replace")
        if b"filename" not in options:
            if len(self.form.fields) >= MAX_FIELDS:
                raise MalformedMultipartError()
            self._field = field_name
            return
        if self.form.file is not None:
            raise OneFileError()
        self.temp_dir.mkdir(parents=True, exist_ok=True)
        handle, path = tempfile.mkstemp(prefix=".upload-", dir=self.temp_dir)
        self._sink = os.fdopen(handle, "wb")
        filename = options[b"filename"].decode("utf-8", "replace")
        self.form.file = FormFile(field=field_name, filename=filename, path=Path(path))

    def part_data(self, data: bytes, start: int, end: int) -> None:
        chunk = data[start:end]
        file = self.form.file
        if self._sink is not None and file is not None:
            file.size += len(chunk)
            if file.size > self.max_file_bytes:
                raise PayloadTooLargeError(limit=self.max_file_bytes)
            if len(file.head) < HEAD_BYTES:
                file.head += chunk[: HEAD_BYTES - len(file.head)]
            self._sink.write(chunk)
            return
        self._value += chunk
        if len(self._value) > MAX_FIELD_BYTES:
            raise MalformedMultipartError()

    def part_end(self) -> None:
        if self._sink is not None:
            self._sink.close()
            self._sink = None
        elif self._field is not None:
            try:
                value = self._value.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise MalformedMultipartError() from exc
            if "\x00" in value:  # no database stores it as text
                raise MalformedMultipartError()
            self.form.fields[self._field] = value

    def finish(self) -> StreamedForm:
        if self._sink is not None:  # the body ended inside the file part
            self.abort()
            raise MalformedMultipartError()
        return self.form

    def abort(self) -> None:
        if self._sink is not None:
            self._sink.close()
            self._sink = None
        self.form.discard()
