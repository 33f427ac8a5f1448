"""goals: objectives, key results, their updates, development goals; the organisation's goal settings

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-04 16:30:00

Issue 18. `organisation.goal_visibility` "private" makes goals private to the person, their manager chain and HR
(visible to the whole organisation by default); `organisation.goal_cycle` is quarter, half or year.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import store.types

revision: str = "0028"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _org() -> sa.Column:
    return sa.Column(
        "org_id", sa.Integer(), sa.ForeignKey("organisation.id", ondelete="CASCADE"), nullable=False
    )


def _person(name: str, *, nullable: bool = False, ondelete: str = "CASCADE") -> sa.Column:
    return sa.Column(name, sa.Integer(), sa.ForeignKey("person.id", ondelete=ondelete), nullable=nullable)


def _at(name: str, *, nullable: bool = False) -> sa.Column:
    return sa.Column(name, store.types.UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    with op.batch_alter_table("organisation") as batch:
        batch.add_column(
            sa.Column("goal_visibility", sa.String(length=16), server_default="organisation", nullable=False)
        )
        batch.add_column(
            sa.Column("goal_cycle", sa.String(length=16), server_default="quarter", nullable=False)
        )
    op.create_table(
        "goal_objective",
        sa.Column("id", sa.Integer(), primary_key=True),
        _org(),
        _person("owner_id"),
        _person("creator_id"),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column(
            "parent_id", sa.Integer(), sa.ForeignKey("goal_objective.id", ondelete="SET NULL"), nullable=True
        ),
        sa.Column("cycle_start", sa.Date(), nullable=False),
        sa.Column("cycle_end", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("override", sa.String(length=16), nullable=True),
        sa.Column("override_reason", sa.Text(), nullable=True),
        sa.Column("drop_reason", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("source_ref", sa.String(length=64), nullable=True),
        _at("created_at"),
        _at("updated_at"),
        _at("closed_at", nullable=True),
    )
    op.create_index("ix_goal_objective_org_owner_status", "goal_objective", ["org_id", "owner_id", "status"])
    op.create_index("ix_goal_objective_org_level", "goal_objective", ["org_id", "level"])
    op.create_table(
        "goal_key_result",
        sa.Column("id", sa.Integer(), primary_key=True),
        _org(),
        sa.Column(
            "objective_id",
            sa.Integer(),
            sa.ForeignKey("goal_objective.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("start_value", sa.Float(), nullable=False),
        sa.Column("target_value", sa.Float(), nullable=False),
        sa.Column("current_value", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(length=40), nullable=True),
        sa.Column("confidence", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("told", sa.String(length=32), nullable=True),
        _at("created_at"),
        _at("updated_at"),
    )
    op.create_index("ix_goal_key_result_org_objective", "goal_key_result", ["org_id", "objective_id"])
    op.create_table(
        "goal_update",
        sa.Column("id", sa.Integer(), primary_key=True),
        _org(),
        sa.Column(
            "key_result_id",
            sa.Integer(),
            sa.ForeignKey("goal_key_result.id", ondelete="CASCADE"),
            nullable=False,
        ),
        _person("actor_id", nullable=True, ondelete="SET NULL"),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("confidence", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("done", sa.Boolean(), nullable=False),
        _at("created_at"),
    )
    op.create_index("ix_goal_update_org_key_result", "goal_update", ["org_id", "key_result_id"])
    op.create_table(
        "development_goal",
        sa.Column("id", sa.Integer(), primary_key=True),
        _org(),
        _person("person_id"),
        _person("creator_id"),
        sa.Column("skill", sa.Text(), nullable=False),
        sa.Column("activity", sa.Text(), nullable=True),
        sa.Column("support", sa.Text(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("source_ref", sa.String(length=64), nullable=True),
        _at("created_at"),
        _at("updated_at"),
        _at("closed_at", nullable=True),
    )
    op.create_index(
        "ix_development_goal_org_person_status", "development_goal", ["org_id", "person_id", "status"]
    )


def downgrade() -> None:
    op.drop_table("development_goal")
    op.drop_table("goal_update")
    op.drop_table("goal_key_result")
    op.drop_table("goal_objective")
    if op.get_bind().dialect.name == "sqlite":
        # In place: a batch rebuild drops `organisation`, and the drop would cascade to every row.
        op.execute("ALTER TABLE organisation DROP COLUMN goal_cycle")
        op.execute("ALTER TABLE organisation DROP COLUMN goal_visibility")
    else:
        op.drop_column("organisation", "goal_cycle")
        op.drop_column("organisation", "goal_visibility")
