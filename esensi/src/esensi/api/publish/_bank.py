"""The fresh-sign-in rule for bank details (design/security.md S7), shared by both profiles."""

from __future__ import annotations

from collections.abc import Mapping

from esensi.services import profiles
from rlib import Ctx
from rlib.auth.flows import kit_of
from rlib.auth.rules import require_fresh


def guard_bank_change(ctx: Ctx, changes: Mapping[str, object]) -> None:
    """403 ``reauth_required`` when ``changes`` touches a bank field and the caller's last
    password (or second-factor) entry is older than the fresh window."""
    if profiles.touches_bank(changes):
        require_fresh(ctx, kit_of(ctx))
