"""form edits: a finished form opened again keeps its answers as finished until the change is

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-04 17:00:00

- `form_session.finished_answers`: a finished form (a check-in in its window, a self-review before
  the meeting) opened again to change it keeps its answers as finished here; a change cancelled or
  left when the form closes restores them and the form stays "done" (it was marked "cancelled").
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("form_session", sa.Column("finished_answers", sa.JSON(), nullable=True))


def downgrade() -> None:
    # On SQLite the table is copied; resolve_fks=False, as in 0025: the tables its keys point to
    # (person) have expression indexes SQLAlchemy cannot reflect, and need not be.
    with op.batch_alter_table("form_session", reflect_kwargs={"resolve_fks": False}) as batch:
        batch.drop_column("finished_answers")
