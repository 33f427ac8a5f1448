"""checkin_schedule.set_by: whether the person chose their schedule, or an administrator set it

Revision ID: 0020
Revises: 0017
Create Date: 2026-12-08 10:00:00

`rapport checkin schedule` changes the schedules an administrator set and leaves those people chose
themselves (`/checkin schedule`), including "off", now kept as a row with cadence "off" instead of
no row. Rows from before this revision are marked "unknown": nobody recorded who set them, so a team
schedule keeps them as it did before (`--replace` changes them too), and says so.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("checkin_schedule") as batch:
        batch.add_column(sa.Column("set_by", sa.String(length=16), nullable=False, server_default="unknown"))
    with op.batch_alter_table("checkin_schedule") as batch:
        batch.alter_column("set_by", server_default=None)


def downgrade() -> None:
    op.execute("DELETE FROM checkin_schedule WHERE cadence = 'off'")
    with op.batch_alter_table("checkin_schedule") as batch:
        batch.drop_column("set_by")
