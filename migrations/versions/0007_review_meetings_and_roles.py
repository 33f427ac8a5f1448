"""review meetings and roles

Revision ID: 0007
Revises: 0003
Create Date: 2026-11-24 10:30:07.789175
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import store.types

revision: str = "0007"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "person_role",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("created_at", store.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organisation.id"],
            name=op.f("fk_person_role_org_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_person_role_person_id_person"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_role")),
        sa.UniqueConstraint("org_id", "person_id", "role", name=op.f("uq_person_role_org_id_person_id_role")),
    )
    with op.batch_alter_table("person_role", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_role_person_id"), ["person_id"], unique=False)

    op.create_table(
        "review_meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("manager_id", sa.Integer(), nullable=False),
        sa.Column("scheduled_by_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("scheduled_at", store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("cancel_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["person.id"],
            name=op.f("fk_review_meeting_employee_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["manager_id"],
            ["person.id"],
            name=op.f("fk_review_meeting_manager_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organisation.id"],
            name=op.f("fk_review_meeting_org_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["scheduled_by_id"],
            ["person.id"],
            name=op.f("fk_review_meeting_scheduled_by_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_meeting")),
    )
    with op.batch_alter_table("review_meeting", schema=None) as batch_op:
        batch_op.create_index(
            "ix_review_meeting_org_employee", ["org_id", "employee_id", "starts_at"], unique=False
        )
        batch_op.create_index(
            "ix_review_meeting_org_manager", ["org_id", "manager_id", "starts_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("review_meeting", schema=None) as batch_op:
        batch_op.drop_index("ix_review_meeting_org_manager")
        batch_op.drop_index("ix_review_meeting_org_employee")

    op.drop_table("review_meeting")
    with op.batch_alter_table("person_role", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_role_person_id"))

    op.drop_table("person_role")
