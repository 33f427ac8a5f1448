"""slack_profile: the name and time zone Slack last gave for a user

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-24 20:50:00

A profile change on Slack (`user_change`) updates a field only where the person's value came from
Slack (it is what Slack said last) or is blank; what the org import set stands. Rows fetched before
this revision have neither column, and the first change fills them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("slack_profile") as batch:
        batch.add_column(sa.Column("display_name", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("timezone", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("slack_profile") as batch:
        batch.drop_column("timezone")
        batch.drop_column("display_name")
