"""Site content: ``cfg``, ``banner``, ``landing``, ``landing_items``.

Rules (docs/adr: import content rules), each reported with the full source row:
- ``cfg``: a key longer than 128 characters, a value longer than 65 535, or a key that
  names a secret (``secret``, ``password``, ``token``, ``server_key``, …: ours never keeps
  secrets there, they belong in settings) is rejected. Only the keys the store serves
  (``page.*``, ``header``, ``footer``, ``featured``) import as public. A key already present
  in our database with another value keeps ours and the original's row is rejected (a rerun,
  finding its own value, adds nothing and reports nothing). Upload paths inside a value (a
  JSON object or list, or a value that is one path) are rewritten like file columns.
- ``banner``: ``ON``/``active`` → ``active``; ``OFF``/``inactive``/none → ``inactive``; any
  other value → ``inactive`` (reported). ``banner_file`` (JSON text) becomes a list of our
  paths. A title over 128 characters is cut; a link over 512 characters or that is not a
  site path or an http(s) URL (``javascript:``, ``data:``, ``//host``) is cleared (reported).
- ``landing``: ``published``/``publish``/``active``/``on`` → ``published``,
  ``draft``/``inactive``/``off`` → ``draft``, unknown → ``draft`` (reported). Slugs as for
  products (normalised, a later live duplicate suffixed). Negative views become 0.
- ``landing_items``: an item of a landing that was not imported is rejected; ``img_file``
  becomes a list of our paths; a tag over 64, a colour over 16 or a link over 512 characters
  (or not a web address, as banners) is cleared (reported); a non-empty ``desc`` (no such
  column in ours) is reported.
"""

from __future__ import annotations

import json
import re
from typing import Any

import asyncpg
from sqlalchemy import select

from esensi.importer.cleaning import SlugClaims, file_list, map_status
from esensi.importer.community import text_fits
from esensi.importer.identity import utc
from esensi.importer.links import imported_ids
from esensi.importer.report import Report
from esensi.importer.sink import Sink
from esensi.importer.uploads import web_link
from esensi.models import metadata
from esensi.services.config import decode
from rlib.db.types import DEFAULT_TEXT_CAP

PUBLIC_KEYS = frozenset({"header", "footer", "featured"})
_SECRET = re.compile(r"secret|passw|token|api[_.-]?key|server[_.-]?key|private", re.IGNORECASE)
BANNER_STATUS = {"on": "active", "active": "active", "off": "inactive", "inactive": "inactive"}
LANDING_STATUS = {
    "published": "published",
    "publish": "published",
    "active": "published",
    "on": "published",
    "draft": "draft",
    "inactive": "draft",
    "off": "draft",
}


def is_public_key(key: str) -> bool:
    return key.startswith("page.") or key in PUBLIC_KEYS


def cfg_value(report: Report, key: str, value: str) -> str:
    """``value`` with the upload paths in it rewritten (a JSON object or list is walked and
    written again only when something changed; text is rewritten when it is one path)."""
    decoded = decode(value)
    if isinstance(decoded, dict | list):
        rewritten = report.uploads.embedded("cfg", key, "value", decoded)
        return value if rewritten == decoded else json.dumps(rewritten, ensure_ascii=False)
    return str(report.uploads.embedded("cfg", key, "value", value))


async def _cfg_present(sink: Sink) -> dict[str, str]:
    cfg = metadata.tables["cfg"]
    async with sink.reading() as conn:
        return {row[0]: row[1] for row in await conn.execute(select(cfg.c.key, cfg.c.value))}


async def import_cfg(source: asyncpg.Connection, sink: Sink, report: Report) -> None:
    rows = await source.fetch('SELECT * FROM cfg ORDER BY "key"')
    table = report.table("cfg")
    table.source = len(rows)
    present = await _cfg_present(sink)
    batch: list[dict[str, Any]] = []
    for row in rows:
        key, value = row["key"], row["value"]
        if not text_fits(key, 128) or not key.strip():
            reason: str | None = "key empty or over 128 characters"
        elif _SECRET.search(key):
            reason = "looks like a secret: belongs in settings, not cfg"
        elif not text_fits(value, DEFAULT_TEXT_CAP):
            reason = f"value over {DEFAULT_TEXT_CAP} characters or with a NUL"
        else:
            reason = None
        if reason is None:
            value = cfg_value(report, key, value)
            if key in present and present[key] != value:
                reason = "key already set in our database with another value: ours kept"
        if reason is not None:
            report.reject("cfg", reason, dict(row))
            continue
        batch.append({"key": key, "value": value, "is_public": is_public_key(key)})
    await sink.write("cfg", batch)
    table.imported = len(batch)


async def import_banners(source: asyncpg.Connection, sink: Sink, report: Report) -> None:
    rows = await source.fetch("SELECT * FROM banner ORDER BY id")
    table = report.table("banner")
    table.source = len(rows)
    batch: list[dict[str, Any]] = []
    for row in rows:
        repairs: list[str] = []
        raw_status = (row["status"] or "off").strip().lower()
        status = BANNER_STATUS.get(raw_status, "inactive")
        if raw_status not in BANNER_STATUS:
            repairs.append(f"unknown status {row['status']!r}: imported as inactive")
        title = (row["title"] or "").replace("\x00", "")
        if len(title) > 128:
            title = title[:128]
            repairs.append("title cut to 128 characters")
        link = row["link"] or None
        if not text_fits(link, 512) or not web_link(link):
            link = None
            repairs.append("link over 512 characters or not a web address: cleared")
        if repairs:
            report.repair("banner", "; ".join(repairs), dict(row))
        files = report.uploads.many(
            "banner", row["id"], "banner_file", file_list(row["banner_file"])
        )
        batch.append(
            {
                "id": row["id"],
                "title": title,
                "banner_file": files,
                "link": link,
                "status": status,
                "deleted_at": utc(row["deleted_at"]),
            }
        )
    await sink.write("banner", batch)
    table.imported = len(batch)


async def import_landings(source: asyncpg.Connection, sink: Sink, report: Report) -> None:
    rows = await source.fetch("SELECT * FROM landing ORDER BY id")
    table = report.table("landing")
    table.source = len(rows)
    slugs = SlugClaims()
    batch: list[dict[str, Any]] = []
    for row in rows:
        live = row["deleted_at"] is None
        status, status_repair = map_status(row["status"], LANDING_STATUS, "draft")
        slug, slug_repair = slugs.claim(row["slug"], row["title"] or "", row["id"], live=live)
        repairs = [r for r in (status_repair, slug_repair) if r]
        views = row["views"]
        if views < 0:
            views = 0
            repairs.append("negative views: 0")
        title = (row["title"] or "").replace("\x00", "")[:255]
        if title != row["title"]:
            repairs.append("title cut to 255 characters")
        if repairs:
            report.repair("landing", "; ".join(repairs), dict(row))
        batch.append(
            {
                "id": row["id"],
                "slug": slug[:255],
                "title": title,
                "views": views,
                "status": status,
                "deleted_at": utc(row["deleted_at"]),
            }
        )
    await sink.write("landing", batch)
    table.imported = len(batch)


async def import_landing_items(source: asyncpg.Connection, sink: Sink, report: Report) -> None:
    landings = await imported_ids(source, report, "landing")
    rows = await source.fetch("SELECT * FROM landing_items ORDER BY landing_id, idx, id")
    table = report.table("landing_items")
    table.source = len(rows)
    batch: list[dict[str, Any]] = []
    for row in rows:
        if row["landing_id"] not in landings:
            report.reject("landing_items", "landing missing or not imported", dict(row))
            continue
        repairs: list[str] = []
        fields: dict[str, Any] = {}
        for column, ours, limit in (("tag", "tag", 64), ("color", "color", 16)):
            fields[ours] = row[column] or None
            if not text_fits(fields[ours], limit):
                fields[ours] = None
                repairs.append(f"{column} over {limit} characters: cleared")
        fields["link_to"] = row["link_to"] or None
        if not text_fits(fields["link_to"], 512) or not web_link(fields["link_to"]):
            fields["link_to"] = None
            repairs.append("link_to over 512 characters or not a web address: cleared")
        if (row["desc"] or "").strip():
            repairs.append("desc dropped (ours has no such column; the text stays here)")
        if repairs:
            report.repair("landing_items", "; ".join(repairs), dict(row))
        files = file_list(row["img_file"])
        batch.append(
            fields
            | {
                "id": row["id"],
                "id_landing": row["landing_id"],
                "img_file": report.uploads.many("landing_items", row["id"], "img_file", files),
                "idx": row["idx"],
            }
        )
    await sink.write("landing_items", batch)
    table.imported = len(batch)
