"""outbox_message.parts_sent: how many of a message's parts a platform has taken

Revision ID: 0023
Revises: 0017
Create Date: 2026-11-25 10:00:00

A reply too long for one platform message (a manager's digest after a busy quarter) goes out as a
few messages, in order, from one outbox row. When a send fails part way (a 429 on the third of
three), the retry starts from the first part not yet taken instead of repeating those already shown.
Rows written before this revision were sent whole or not at all: none of their parts counts as sent.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox_message") as batch:
        batch.add_column(sa.Column("parts_sent", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("outbox_message") as batch:
        batch.drop_column("parts_sent")
