"""The committed clients/typescript/ matches the registry (CI fails on drift), and esensi's own
document is valid OpenAPI 3.1."""

import json
from pathlib import Path

from openapi_spec_validator import validate

from esensi.app import GEN, registry
from rlib.gen.check import generate, stale

ROOT = Path(__file__).resolve().parents[2]


def test_generated_client_is_up_to_date():
    files = generate(registry(), GEN)
    differing = stale(ROOT / GEN.out_dir, files)
    assert differing == [], f"stale generated files {differing}: run `make gen` and commit"


def test_the_document_of_every_domain_is_valid():
    document = json.loads(generate(registry(), GEN)["openapi.json"])
    validate(document)
    tags = {tag["name"] for tag in document["tags"]}
    assert tags == {"auth", "chapter", "internal", "main", "publish", "root"}
