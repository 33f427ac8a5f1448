"""outbox_message: a partial index of the rows a delivery worker may claim, by platform in id order,
in place of the index on status and due time

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-24 16:40:00

The claim (oldest due rows of one platform) read every pending row through the status index and
sorted them for each batch of 500, so a fan-out of 10,000 prompts read 100,000 rows to send them.
No other query reads the outbox by status and due time, so the status index goes: every claim and
every sent mark rewrote its entries for nothing.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CLAIMABLE = sa.text("status IN ('pending', 'sending')")


def upgrade() -> None:
    op.drop_index("ix_outbox_message_status_next_attempt", table_name="outbox_message")
    op.create_index(
        "ix_outbox_message_claimable",
        "outbox_message",
        ["platform", "id", "next_attempt_at"],
        sqlite_where=CLAIMABLE,
        postgresql_where=CLAIMABLE,
    )


def downgrade() -> None:
    op.drop_index("ix_outbox_message_claimable", table_name="outbox_message")
    op.create_index("ix_outbox_message_status_next_attempt", "outbox_message", ["status", "next_attempt_at"])
