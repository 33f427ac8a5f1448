"""review_record: amendments kept as history, and the reason for fewer than two agreed actions

Revision ID: 0021
Revises: 0017
Create Date: 2026-12-03 18:00:00

A manager may amend a meeting record: the version it replaces (parts, support, actions, the
employee's answer) goes into `history`, and the employee is asked to confirm again. A record may have
fewer than two agreed actions when the manager says why (`actions_reason`).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import store.types

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("review_record", schema=None) as batch_op:
        batch_op.add_column(sa.Column("actions_reason", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("history", sa.JSON(), server_default=sa.text("'[]'"), nullable=False))
        batch_op.add_column(sa.Column("amended_at", store.types.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("review_record", schema=None) as batch_op:
        batch_op.drop_column("amended_at")
        batch_op.drop_column("history")
        batch_op.drop_column("actions_reason")
