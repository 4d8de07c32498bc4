"""Write every generated file, or compare them with what is on disk (``gen --check``).

One function produces the whole output as (relative path -> text), so writing and checking can
never disagree; the text is deterministic (sorted, stable), so an unchanged registry gives
byte-identical files.
"""

from __future__ import annotations

import json
from pathlib import Path

from rlib.config import GenConfig
from rlib.gen.client_ts import client_ts, index_ts, operations_ts, runtime_ts, types_ts
from rlib.gen.model import operations
from rlib.gen.openapi import build_openapi
from rlib.gen.package import package_json, tsconfig_json
from rlib.gen.registry_ts import registry_ts
from rlib.gen.schemas import build_schemas
from rlib.registry import Registry


def document_text(document: object) -> str:
    """The JSON text of a document as gen writes and serves it."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def generate(registry: Registry, config: GenConfig) -> dict[str, str]:
    """Every generated file of the client folder: relative path -> text."""
    ops = operations(registry)
    schemas = build_schemas(ops)
    document = build_openapi(registry, title=config.title, version=config.version)
    return {
        "openapi.json": document_text(document),
        "registry.ts": registry_ts(ops),
        "package.json": package_json(config),
        "tsconfig.json": tsconfig_json(),
        "src/client.ts": client_ts(ops, schemas),
        "src/index.ts": index_ts(),
        "src/operations.ts": operations_ts(ops),
        "src/runtime.ts": runtime_ts(),
        "src/types.ts": types_ts(schemas),
    }


def write(root: Path, files: dict[str, str]) -> list[Path]:
    """Write ``files`` under ``root``; the paths that changed."""
    changed: list[Path] = []
    for name, text in sorted(files.items()):
        path = root / name
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        changed.append(path)
    return changed


def stale(root: Path, files: dict[str, str]) -> list[Path]:
    """The paths under ``root`` whose content differs from ``files`` (or that are missing)."""
    return [
        root / name
        for name, text in sorted(files.items())
        if not (root / name).exists() or (root / name).read_text(encoding="utf-8") != text
    ]
