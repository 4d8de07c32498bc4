"""auth_two_factor.last_step: the last accepted TOTP step (no replay)

Revision ID: 2f090233a9f9
Revises: ab6bf71827ff
Create Date: 2026-11-25 04:51:15.651955+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '2f090233a9f9'
down_revision: str | None = 'ab6bf71827ff'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Plain ALTER TABLE on both backends (SQLite 3.35+ drops columns): a batch copy would reflect
# expression indexes SQLite cannot describe.
def upgrade() -> None:
    op.add_column('auth_two_factor', sa.Column('last_step', sa.BigInteger(), nullable=True))


def downgrade() -> None:
    op.drop_column('auth_two_factor', 'last_step')
