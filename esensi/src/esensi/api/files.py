"""The root group's ``upload`` and ``files`` (spec/endpoints.md section 1; security.md
section 10): uploads streamed to disk and checked by content, files served safely."""

from __future__ import annotations

import datetime as dt
from typing import cast

import pydantic
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from esensi.services.uploads import Roots, UploadKind, UploadTypeError, keep, largest_allowed
from esensi.settings import Settings
from rlib.auth.flows import kit_of
from rlib.config import RateRule
from rlib.context import Ctx
from rlib.endpoint import ANY_USER, PUBLIC, Endpoint, define_api
from rlib.errors import AuthenticationError, FieldError, PayloadTooLargeError, ValidationError
from rlib.files import FileResponder, read_multipart
from rlib.files.multipart import MalformedMultipartError, MultipartExpectedError, OneFileError
from rlib.i18n import field_error_from_pydantic
from rlib.limits import RequestTimeoutError

RESIZE_MAX = 2048


class UploadForm(BaseModel):
    """The multipart form: the file and what it is for."""

    model_config = ConfigDict(extra="forbid")

    kind: UploadKind
    file: bytes = Field(description="the file itself (one file part)")


class UploadRead(BaseModel):
    """Where the file now is: save ``name`` in the row that refers to it."""

    name: str
    size: int


class FileQuery(BaseModel):
    """A stored public file, optionally fitted into ``w`` x ``h`` (images only)."""

    model_config = ConfigDict(extra="forbid")

    path: str = Field(max_length=200)
    w: int | None = Field(default=None, ge=1, le=RESIZE_MAX)
    h: int | None = Field(default=None, ge=1, le=RESIZE_MAX)


def _settings(ctx: Ctx) -> Settings:
    return cast(Settings, ctx.settings)


def _kind_of(fields: dict[str, str], has_file: bool) -> UploadKind:
    try:
        form = UploadForm.model_validate({**fields, "file": b"" if has_file else None})
    except pydantic.ValidationError as exc:
        raise ValidationError(
            [field_error_from_pydantic(detail, ("body",)) for detail in exc.errors()]
        ) from exc
    return form.kind


async def upload(ctx: Ctx) -> UploadRead:
    """Upload one file (multipart: ``kind`` and ``file``); returns its stored name."""
    user = ctx.user
    if user is None:  # the route admits signed-in users only; this keeps mypy honest
        raise AuthenticationError()
    settings = _settings(ctx).files
    rule = RateRule(settings.uploads_per_minute, 60)
    await kit_of(ctx).throttle.take(ctx.unit, f"upload:{user.id}", rule)
    roots = Roots.of(settings)
    form = await read_multipart(
        ctx.req.receive,
        content_type=ctx.req.headers.get("content-type"),
        declared_length=_declared(ctx),
        temp_dir=roots.incoming,
        max_file_bytes=largest_allowed(user.user_types),
        idle_timeout_s=settings.idle_timeout_s,
    )
    try:
        kind = _kind_of(form.fields, form.file is not None)
        if form.file is None:
            raise ValidationError([FieldError(loc=("body", "file"), key="v.missing")])
        name = await keep(roots, kind, form.file, user.user_types, dt.datetime.now(dt.UTC))
        return UploadRead(name=name, size=form.file.size)
    finally:
        form.discard()  # a kept file was moved away already; this removes only a refused one


def _declared(ctx: Ctx) -> int | None:
    value = ctx.req.headers.get("content-length")
    return int(value) if value is not None and value.isdigit() else None


async def files(ctx: Ctx, query: FileQuery) -> Response:
    """A public uploaded file; images resized with ``?w=&h=`` (never upscaled)."""
    responder = FileResponder(Roots.of(_settings(ctx).files).public)
    return await responder.respond(
        query.path,
        width=query.w,
        height=query.h,
        if_none_match=ctx.req.headers.get("if-none-match"),
    )


FILE_ENDPOINTS: list[Endpoint] = [
    define_api(
        name="upload",
        url="/api/upload",
        handler=upload,
        auth=ANY_USER,
        body="multipart",
        form=UploadForm,
        output=UploadRead,
        errors=(
            MultipartExpectedError,
            MalformedMultipartError,
            OneFileError,
            UploadTypeError,
            PayloadTooLargeError,
            RequestTimeoutError,
        ),
    ),
    define_api(
        name="files",
        url="/_file/upload/{path:path}",
        handler=files,
        methods=("GET",),
        auth=PUBLIC,
        documented=False,  # bytes, not the envelope: the browser fetches these by URL
    ),
]
