"""organisation.default_timezone: the time zone of people who have none of their own

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-04 18:00:00

Issues 19 and 20: DingTalk gives no user time zone and Feishu profiles may lack one; such people get
their organisation's default zone (`rapport org settings --timezone`), else UTC as before.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0029"
down_revision: str | None = "0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # In place on SQLite too (a plain ALTER TABLE ADD COLUMN): a batch rebuild drops `organisation`,
    # and the drop would cascade to every row.
    op.add_column(
        "organisation",
        sa.Column("default_timezone", sa.String(length=64), server_default=sa.text("NULL"), nullable=True),
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # In place: a batch rebuild drops `organisation`, and the drop would cascade to every row.
        op.execute("ALTER TABLE organisation DROP COLUMN default_timezone")
    else:
        op.drop_column("organisation", "default_timezone")
