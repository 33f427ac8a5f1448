"""goal_conversation: the monthly goal conversation offered to a manager per report, and whether it was held

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-04 19:45:00

Issue 18. One row per manager, report and month (unique: the DM that offers it goes once however often
the job runs); HR figures count the conversations held of those offered.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import store.types

revision: str = "0030"
down_revision: str | None = "0029"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _person(name: str) -> sa.Column:
    return sa.Column(name, sa.Integer(), sa.ForeignKey("person.id", ondelete="CASCADE"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "goal_conversation",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "org_id", sa.Integer(), sa.ForeignKey("organisation.id", ondelete="CASCADE"), nullable=False
        ),
        _person("manager_id"),
        _person("report_id"),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("sent_at", store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("held_at", store.types.UTCDateTime(timezone=True), nullable=True),
        sa.UniqueConstraint(
            "org_id",
            "manager_id",
            "report_id",
            "month",
            name=op.f("uq_goal_conversation_org_id_manager_id_report_id_month"),
        ),
    )
    op.create_index("ix_goal_conversation_org_month", "goal_conversation", ["org_id", "month"])


def downgrade() -> None:
    op.drop_table("goal_conversation")
