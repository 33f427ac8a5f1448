"""outbox_message: how long a message is worth sending (`expires_at`), and which worker holds its lease
(`leased_by`)

Revision ID: 0025
Revises: 0024
Create Date: 2026-11-25 10:00:00

A message is retried until it is no longer useful instead of failing after a fixed number of
attempts: 24 hours after it was queued unless its kind says otherwise (a check-in prompt until its
window closes, a sign-in link until it expires). Rows from before this revision get the default.

A worker renews the short lease of the rows it holds while it lives; `leased_by` names it, so that a
worker renews (or hands back) its own rows only, never those another worker claimed after its lease
ran out.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# created_at + 24 hours, as each database computes it (SQLite keeps "YYYY-MM-DD HH:MM:SS.ffffff")
DEFAULT_EXPIRY = {
    "postgresql": "created_at + interval '24 hours'",
    "sqlite": "strftime('%Y-%m-%d %H:%M:%f', created_at, '+24 hours')",
}


def upgrade() -> None:
    with op.batch_alter_table("outbox_message") as batch:
        batch.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("leased_by", sa.String(length=64), nullable=True))
    expiry = DEFAULT_EXPIRY[op.get_bind().dialect.name]
    op.execute(f"UPDATE outbox_message SET expires_at = {expiry}")
    # On SQLite the table is copied; resolve_fks=False: reflecting the tables its keys point to (person)
    # only warned about person's expression indexes, which SQLAlchemy cannot reflect.
    with op.batch_alter_table("outbox_message", reflect_kwargs={"resolve_fks": False}) as batch:
        batch.alter_column("expires_at", existing_type=sa.DateTime(timezone=True), nullable=False)


def downgrade() -> None:
    op.execute("UPDATE outbox_message SET status = 'failed' WHERE status = 'dropped'")
    with op.batch_alter_table("outbox_message", reflect_kwargs={"resolve_fks": False}) as batch:
        batch.drop_column("leased_by")
        batch.drop_column("expires_at")
