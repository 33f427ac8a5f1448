"""form_session: at most one open form a person; the others they have in progress wait their turn

Revision ID: 0024
Revises: 0023
Create Date: 2026-11-25 10:00:00

A person answered every open form at once: a line they typed went to whichever was touched last, so
a pulse answer could land in a check-in. Now one session a person is "open" (its question was shown
last) and the rest are "waiting" (`bot.forms.queue`), in the order of the new column `queued`; a
partial unique index keeps one open. Of the sessions open today, each person's most recently
touched one stays open and the others wait.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACTIVE = sa.text("status = 'open'")


def upgrade() -> None:
    with op.batch_alter_table("form_session") as batch:
        batch.add_column(sa.Column("queued", sa.Integer(), server_default="0", nullable=False))
    op.execute(
        """
        UPDATE form_session SET status = 'waiting'
        WHERE status = 'open' AND id <> (
            SELECT latest.id FROM form_session AS latest
            WHERE latest.org_id = form_session.org_id
              AND latest.person_id = form_session.person_id
              AND latest.status = 'open'
            ORDER BY latest.updated_at DESC, latest.id DESC
            LIMIT 1
        )
        """
    )
    op.create_index(
        "ix_form_session_one_open",
        "form_session",
        ["org_id", "person_id"],
        unique=True,
        sqlite_where=ACTIVE,
        postgresql_where=ACTIVE,
    )


def downgrade() -> None:
    op.drop_index("ix_form_session_one_open", table_name="form_session")
    op.execute("UPDATE form_session SET status = 'open' WHERE status = 'waiting'")
    with op.batch_alter_table("form_session") as batch:
        batch.drop_column("queued")
