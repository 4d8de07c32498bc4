"""Message catalogue (Indonesian default, English on request) and error translation.

Every user-facing text has a key with an ``id`` and an ``en`` text. The framework's keys are in
:data:`FRAMEWORK_MESSAGES`; an app adds its own when it builds a :class:`Catalogue`.
Pydantic validation errors are translated through the same catalogue by their error type.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Literal

from pydantic_core import ErrorDetails

from rlib.errors import FieldError, RlibError

Lang = Literal["id", "en"]
LANGS: tuple[Lang, ...] = ("id", "en")
DEFAULT_LANG: Lang = "id"

Messages = Mapping[str, Mapping[Lang, str]]

FRAMEWORK_MESSAGES: Messages = {
    "error.internal": {
        "id": "Terjadi kesalahan pada server. Silakan coba lagi nanti.",
        "en": "Something went wrong on the server. Please try again later.",
    },
    "error.bad_request": {"id": "Permintaan tidak valid.", "en": "The request is malformed."},
    "error.bad_json": {
        "id": "Isi permintaan bukan JSON yang valid.",
        "en": "The request body is not valid JSON.",
    },
    "error.bad_utf8": {
        "id": "Isi permintaan bukan teks UTF-8 yang valid.",
        "en": "The request body is not valid UTF-8.",
    },
    "error.unauthenticated": {
        "id": "Anda harus login untuk mengakses fitur ini",
        "en": "You must sign in to use this feature",
    },
    "error.forbidden": {
        "id": "Anda tidak memiliki akses ke fitur ini",
        "en": "You do not have access to this feature",
    },
    "error.not_found": {"id": "{resource} tidak ditemukan", "en": "{resource} not found"},
    "error.route_not_found": {
        "id": "Alamat tidak ditemukan",
        "en": "No endpoint answers at this address",
    },
    "error.method_not_allowed": {
        "id": "Metode tidak diizinkan untuk alamat ini",
        "en": "Method not allowed for this address",
    },
    "error.conflict": {
        "id": "Permintaan bertentangan dengan data yang ada",
        "en": "The request conflicts with existing data",
    },
    "error.unique_violation": {
        "id": "{field} sudah digunakan",
        "en": "{field} is already in use",
    },
    "error.delete_blocked": {
        "id": "Data tidak dapat dihapus karena masih digunakan oleh {relation}",
        "en": "This record cannot be deleted because {relation} still refers to it",
    },
    "error.stale_version": {
        "id": "Data telah diubah oleh orang lain. Muat ulang lalu coba lagi.",
        "en": "The record was changed by someone else. Reload and try again.",
    },
    "error.payload_too_large": {
        "id": "Ukuran permintaan melebihi batas {limit} byte",
        "en": "The request exceeds the limit of {limit} bytes",
    },
    "error.query_too_large": {
        "id": "Parameter alamat terlalu panjang",
        "en": "The query string is too long",
    },
    "error.unsupported_media_type": {
        "id": "Jenis konten tidak didukung; gunakan application/json",
        "en": "Unsupported content type; use application/json",
    },
    "error.validation": {"id": "Data yang dikirim tidak valid", "en": "The data sent is invalid"},
    "error.multipart_expected": {
        "id": "Kirim berkas sebagai multipart/form-data",
        "en": "Send the file as multipart/form-data",
    },
    "error.multipart_malformed": {
        "id": "Formulir unggahan rusak atau melebihi batasnya",
        "en": "The upload form is malformed or exceeds its limits",
    },
    "error.multipart_one_file": {
        "id": "Unggah satu berkas per permintaan",
        "en": "Upload one file per request",
    },
    "error.upload_type": {
        "id": "Jenis berkas ini tidak diterima di sini",
        "en": "This type of file is not accepted here",
    },
    "error.upload_image_unreadable": {
        "id": "Gambar tidak dapat dibaca atau terlalu besar",
        "en": "The image cannot be read or is too large",
    },
    "error.resize_image_only": {
        "id": "Ukuran hanya dapat diubah untuk gambar",
        "en": "Only images can be resized",
    },
    "resource.file": {"id": "Berkas", "en": "File"},
    "error.rate_limited": {
        "id": "Terlalu banyak percobaan. Silakan coba lagi nanti.",
        "en": "Too many attempts. Please try again later.",
    },
    "error.service_unavailable": {
        "id": "Layanan sedang tidak tersedia. Silakan coba lagi sebentar lagi.",
        "en": "The service is unavailable. Please try again shortly.",
    },
    "error.db_foreign_key": {
        "id": "Data terkait tidak ditemukan",
        "en": "A referenced record does not exist",
    },
    "error.db_not_null": {"id": "{field} wajib diisi", "en": "{field} is required"},
    "error.db_check": {
        "id": "Nilai {field} tidak diizinkan",
        "en": "The value of {field} is not allowed",
    },
    "ok": {"id": "Berhasil", "en": "OK"},
    "error.request_timeout": {
        "id": "Permintaan tidak selesai dikirim tepat waktu",
        "en": "The request did not arrive in time",
    },
    "error.headers_too_large": {
        "id": "Header permintaan melebihi batas {limit} byte",
        "en": "The request headers exceed the limit of {limit} bytes",
    },
}

# Pydantic error types -> catalogue keys; several types share one text.
_PYDANTIC_KEYS: Mapping[str, str] = {
    "missing": "v.missing",
    "string_type": "v.string",
    "string_too_short": "v.string_too_short",
    "string_too_long": "v.string_too_long",
    "string_pattern_mismatch": "v.pattern",
    "int_type": "v.int",
    "int_parsing": "v.int",
    "int_from_float": "v.int",
    "int_parsing_size": "v.out_of_range",
    "out_of_range": "v.out_of_range",
    "nul_byte": "v.nul_byte",
    "naive_datetime": "v.naive_datetime",
    "float_type": "v.number",
    "float_parsing": "v.number",
    "finite_number": "v.number",
    "decimal_type": "v.number",
    "decimal_parsing": "v.number",
    "decimal_max_digits": "v.decimal_digits",
    "decimal_max_places": "v.decimal_places",
    "decimal_whole_digits": "v.decimal_digits",
    "bool_type": "v.bool",
    "bool_parsing": "v.bool",
    "greater_than": "v.gt",
    "greater_than_equal": "v.ge",
    "less_than": "v.lt",
    "less_than_equal": "v.le",
    "multiple_of": "v.invalid",
    "uuid_type": "v.uuid",
    "uuid_parsing": "v.uuid",
    "uuid_version": "v.uuid",
    "enum": "v.choice",
    "literal_error": "v.choice",
    "extra_forbidden": "v.extra",
    "list_type": "v.list",
    "tuple_type": "v.list",
    "set_type": "v.list",
    "dict_type": "v.object",
    "model_type": "v.object",
    "model_attributes_type": "v.object",
    "too_short": "v.too_short",
    "too_long": "v.too_long",
    "datetime_type": "v.datetime",
    "datetime_parsing": "v.datetime",
    "datetime_from_date_parsing": "v.datetime",
    "datetime_object_invalid": "v.datetime",
    "date_type": "v.date",
    "date_parsing": "v.date",
    "date_from_datetime_parsing": "v.date",
    "timezone_aware": "v.timezone",
    "url_type": "v.url",
    "url_parsing": "v.url",
    "url_scheme": "v.url",
    "json_invalid": "v.json",
    "union_tag_invalid": "v.choice",
    "union_tag_not_found": "v.missing",
}

VALIDATION_MESSAGES: Messages = {
    "v.missing": {"id": "Wajib diisi", "en": "Field required"},
    "v.string": {"id": "Harus berupa teks", "en": "Must be a string"},
    "v.string_too_short": {
        "id": "Minimal {min_length} karakter",
        "en": "At least {min_length} characters",
    },
    "v.string_too_long": {
        "id": "Maksimal {max_length} karakter",
        "en": "At most {max_length} characters",
    },
    "v.pattern": {"id": "Format tidak valid", "en": "Invalid format"},
    "v.int": {"id": "Harus berupa bilangan bulat", "en": "Must be an integer"},
    "v.number": {"id": "Harus berupa angka", "en": "Must be a number"},
    "v.decimal_digits": {"id": "Angka terlalu panjang", "en": "Too many digits"},
    "v.decimal_places": {
        "id": "Maksimal {decimal_places} angka di belakang koma",
        "en": "At most {decimal_places} decimal places",
    },
    "v.bool": {"id": "Harus berupa true atau false", "en": "Must be true or false"},
    "v.gt": {"id": "Harus lebih dari {gt}", "en": "Must be greater than {gt}"},
    "v.ge": {"id": "Minimal {ge}", "en": "Must be at least {ge}"},
    "v.lt": {"id": "Harus kurang dari {lt}", "en": "Must be less than {lt}"},
    "v.le": {"id": "Maksimal {le}", "en": "Must be at most {le}"},
    "v.uuid": {"id": "Harus berupa UUID yang valid", "en": "Must be a valid UUID"},
    "v.choice": {"id": "Harus salah satu dari: {expected}", "en": "Must be one of: {expected}"},
    "v.extra": {"id": "Field ini tidak dikenal", "en": "Unknown field"},
    "v.list": {"id": "Harus berupa daftar", "en": "Must be a list"},
    "v.object": {"id": "Harus berupa objek", "en": "Must be an object"},
    "v.too_short": {"id": "Minimal {min_length} item", "en": "At least {min_length} items"},
    "v.too_long": {"id": "Maksimal {max_length} item", "en": "At most {max_length} items"},
    "v.datetime": {
        "id": "Harus berupa tanggal dan waktu yang valid",
        "en": "Must be a valid date and time",
    },
    "v.date": {"id": "Harus berupa tanggal yang valid", "en": "Must be a valid date"},
    "v.timezone": {"id": "Harus menyertakan zona waktu", "en": "Must include a time zone"},
    "v.url": {"id": "Harus berupa URL yang valid", "en": "Must be a valid URL"},
    "v.json": {"id": "JSON tidak valid", "en": "Invalid JSON"},
    "v.nul_byte": {
        "id": "Tidak boleh mengandung karakter NUL",
        "en": "Must not contain NUL characters",
    },
    "v.out_of_range": {
        "id": "Angka di luar rentang yang diizinkan",
        "en": "Number out of the allowed range",
    },
    "v.too_deep": {
        "id": "Struktur JSON terlalu dalam (maksimal {limit} tingkat)",
        "en": "JSON nested too deeply (at most {limit} levels)",
    },
    "v.naive_datetime": {"id": "Harus menyertakan zona waktu", "en": "Must include a time zone"},
    "v.repeated_param": {
        "id": "Parameter tidak boleh diulang",
        "en": "Parameter must not be repeated",
    },
    "v.unknown_filter": {
        "id": "Filter tidak diizinkan: {name}",
        "en": "Filter not allowed: {name}",
    },
    "v.unknown_sort": {
        "id": "Tidak dapat diurutkan menurut: {name}",
        "en": "Cannot sort by: {name}",
    },
    "v.owner": {
        "id": "Pilih pemilik yang Anda kelola",
        "en": "Choose an owner you manage",
    },
    "v.unknown_action": {"id": "Aksi tidak dikenal: {name}", "en": "Unknown action: {name}"},
    "v.hard_delete": {
        "id": "Data ini tidak dapat dihapus permanen",
        "en": "This record cannot be deleted permanently",
    },
    "v.invalid": {"id": "Nilai tidak valid", "en": "Invalid value"},
    "v.path_conflict": {
        "id": "Berbeda dengan nilai pada alamat (URL)",
        "en": "Differs from the value in the URL",
    },
}


def pick_lang(accept_language: str | None) -> Lang:
    """Choose ``en`` or ``id`` from an Accept-Language header; Indonesian by default.

    The first supported language in the caller's quality order wins.
    """
    if not accept_language:
        return DEFAULT_LANG
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(accept_language.split(",")):
        tag, _, q = part.strip().partition(";q=")
        try:
            quality = float(q) if q else 1.0
        except ValueError:
            quality = 0.0
        ranked.append((-quality, position, tag.strip().lower()[:2]))
    for quality, _, primary in sorted(ranked):
        if quality < 0 and primary in LANGS:
            return "en" if primary == "en" else "id"
    return DEFAULT_LANG


class Catalogue:
    """Messages by key and language; built once per app from the framework's and the app's."""

    def __init__(self, *sources: Messages) -> None:
        self._messages: dict[str, Mapping[Lang, str]] = {}
        for source in (FRAMEWORK_MESSAGES, VALIDATION_MESSAGES, *sources):
            self._messages.update(source)

    def keys(self) -> Iterable[str]:
        """Every key known to this catalogue."""
        return self._messages.keys()

    def __contains__(self, key: object) -> bool:
        return key in self._messages

    def text(self, key: str, lang: Lang, params: Mapping[str, object] | None = None) -> str:
        """The text of ``key`` in ``lang`` with ``params`` filled in; the key itself if unknown."""
        entry = self._messages.get(key)
        if entry is None:
            return key
        template = entry.get(lang) or entry[DEFAULT_LANG]
        if not params:
            return template
        # A parameter may itself be a key ("resource.book"), translated in the same language.
        values = {
            name: self.text(value, lang)
            if isinstance(value, str) and value in self._messages
            else value
            for name, value in params.items()
        }
        try:
            return template.format_map(values)
        except (KeyError, IndexError, ValueError):
            return template


def translate_error_message(catalogue: Catalogue, error: RlibError, lang: Lang) -> str:
    """The person-facing message of ``error`` in ``lang``."""
    return catalogue.text(error.message_key, lang, error.params)


def field_error_from_pydantic(
    detail: ErrorDetails, prefix: tuple[str | int, ...] = ()
) -> FieldError:
    """Convert one pydantic error into a :class:`FieldError` keyed into the catalogue."""
    key = _PYDANTIC_KEYS.get(detail["type"], "v.invalid")
    params = dict(detail.get("ctx") or {})
    params.pop("error", None)
    return FieldError(loc=(*prefix, *detail["loc"]), key=key, params=params, fallback=detail["msg"])


def render_field_error(catalogue: Catalogue, error: FieldError, lang: Lang) -> dict[str, object]:
    """A field error as the envelope shows it: ``{field, loc, message, type}``."""
    if error.key == "v.invalid" and error.fallback and lang == "en":
        message = error.fallback
    else:
        message = catalogue.text(error.key, lang, error.params)
    loc = [part for part in error.loc if part not in ("body", "query", "path")]
    return {
        "field": ".".join(str(part) for part in loc),
        "loc": list(error.loc),
        "message": message,
        "type": error.key.removeprefix("v."),
    }
