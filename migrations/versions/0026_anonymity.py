"""anonymity: pulse answers released in batches, erased anonymous answers, when a manager took over

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-03 18:00:00

- `review_pulse.batch` / `released_week`: pulse answers are held until at least the threshold of a
  manager's new answers are in, then released together (`bot.anonymity.batches`). A manager whose
  answers were already shown (at least the threshold of them) gets them as a first batch, released
  in the week of the latest, so what people saw stays; fewer stay held, as they were never shown.
- `feedback_ask.status` "erased": an anonymous answer whose writer was erased before this revision
  is marked the way erasure marks it from now on.
- `person.manager_since`: when the person's current manager became their manager (set by the org
  import from now on); empty for relationships from before, which keep seeing everything.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import store.types

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MIN_THRESHOLD = 3  # bot.anonymity.MIN_THRESHOLD when this revision was written


def upgrade() -> None:
    with op.batch_alter_table("person") as batch:
        batch.add_column(sa.Column("manager_since", store.types.UTCDateTime(timezone=True), nullable=True))
    with op.batch_alter_table("review_pulse") as batch:
        batch.add_column(sa.Column("batch", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("released_week", sa.String(length=10), nullable=True))
    _release_what_was_shown()
    op.execute(
        "UPDATE feedback_ask SET status = 'erased' WHERE status = 'answered' AND respondent_id IN "
        "(SELECT id FROM person WHERE erased_at IS NOT NULL)"
    )


def _release_what_was_shown() -> None:
    bind = op.get_bind()
    managers = bind.execute(
        sa.text(
            "SELECT p.org_id, p.manager_id, count(*), max(p.week), o.feedback_anonymity_threshold "
            "FROM review_pulse p JOIN organisation o ON o.id = p.org_id "
            "GROUP BY p.org_id, p.manager_id, o.feedback_anonymity_threshold"
        )
    ).all()
    for org_id, manager_id, answers, latest, threshold in managers:
        if answers >= max(threshold or MIN_THRESHOLD, MIN_THRESHOLD):
            bind.execute(
                sa.text(
                    "UPDATE review_pulse SET batch = 1, released_week = :week "
                    "WHERE org_id = :org AND manager_id = :manager"
                ),
                {"week": latest, "org": org_id, "manager": manager_id},
            )


def downgrade() -> None:
    op.execute("UPDATE feedback_ask SET status = 'answered' WHERE status = 'erased'")
    with op.batch_alter_table("review_pulse") as batch:
        batch.drop_column("released_week")
        batch.drop_column("batch")
    if op.get_bind().dialect.name == "sqlite":
        # In place: a batch rebuild drops `person`, and the drop would cascade to every row about people.
        op.execute("ALTER TABLE person DROP COLUMN manager_since")
    else:
        op.drop_column("person", "manager_since")
