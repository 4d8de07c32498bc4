"""The committed clients/typescript/ matches the registry (CI fails on drift)."""

from pathlib import Path

from esensi.app import GEN, registry
from rlib.gen.check import generate, stale

ROOT = Path(__file__).resolve().parents[2]


def test_generated_client_is_up_to_date():
    differing = stale(ROOT / GEN.out_dir, generate(registry(), GEN))
    assert differing == [], f"stale generated files {differing}: run `make gen` and commit"
