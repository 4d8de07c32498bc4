"""auth_verification: purpose oauth_state (Google sign-in state, PKCE verifier, nonce)

Revision ID: 3f9d2c71b8e4
Revises: 2f090233a9f9
Create Date: 2026-11-25 12:00:00.000000+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '3f9d2c71b8e4'
down_revision: str | None = '2f090233a9f9'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHECK = "ck_auth_verification_purpose"
BEFORE = (
    "email_verification",
    "password_reset",
    "email_otp",
    "change_email",
    "two_factor_otp",
    "delete_account",
    "handoff",
)
AFTER = (*BEFORE, "oauth_state")


def _purpose_in(values: tuple[str, ...]) -> str:
    return "purpose IN (" + ", ".join(f"'{value}'" for value in values) + ")"


def _replace_check(values: tuple[str, ...]) -> None:
    # Batch mode: SQLite rebuilds the table, PostgreSQL alters it in place. Reflecting
    # auth_user (the foreign key's target) is not needed and warns about its lower() indexes.
    with op.batch_alter_table(
        "auth_verification", reflect_kwargs={"resolve_fks": False}
    ) as batch:
        batch.drop_constraint(op.f(CHECK), type_="check")
        batch.create_check_constraint(op.f(CHECK), _purpose_in(values))


def upgrade() -> None:
    _replace_check(AFTER)


def downgrade() -> None:
    # Pending sign-in states are worthless once the route is gone; the old check refuses them.
    op.execute(sa.text("DELETE FROM auth_verification WHERE purpose = 'oauth_state'"))
    _replace_check(BEFORE)
