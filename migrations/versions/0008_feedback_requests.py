"""feedback requests: requests, asks, and the organisation's anonymity threshold

Revision ID: 0008
Revises: 0010
Create Date: 2026-11-24 10:42:52.428619
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import store.types

revision: str = "0008"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "feedback_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("requester_id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.Text(), nullable=True),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("threshold", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("closes_at", store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("batches", sa.Integer(), nullable=False),
        sa.Column("created_at", store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("closed_at", store.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organisation.id"],
            name=op.f("fk_feedback_request_org_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["requester_id"],
            ["person.id"],
            name=op.f("fk_feedback_request_requester_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_request")),
    )
    with op.batch_alter_table("feedback_request", schema=None) as batch_op:
        batch_op.create_index("ix_feedback_request_org_requester", ["org_id", "requester_id"], unique=False)

    op.create_table(
        "feedback_ask",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("respondent_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("responded_at", store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("batch", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organisation.id"],
            name=op.f("fk_feedback_ask_org_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["feedback_request.id"],
            name=op.f("fk_feedback_ask_request_id_feedback_request"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["respondent_id"],
            ["person.id"],
            name=op.f("fk_feedback_ask_respondent_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["form_session.id"],
            name=op.f("fk_feedback_ask_session_id_form_session"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_ask")),
        sa.UniqueConstraint(
            "request_id", "respondent_id", name=op.f("uq_feedback_ask_request_id_respondent_id")
        ),
    )
    with op.batch_alter_table("feedback_ask", schema=None) as batch_op:
        batch_op.create_index("ix_feedback_ask_org_respondent", ["org_id", "respondent_id"], unique=False)

    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("feedback_anonymity_threshold", sa.Integer(), server_default="3", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_column("feedback_anonymity_threshold")

    with op.batch_alter_table("feedback_ask", schema=None) as batch_op:
        batch_op.drop_index("ix_feedback_ask_org_respondent")

    op.drop_table("feedback_ask")
    with op.batch_alter_table("feedback_request", schema=None) as batch_op:
        batch_op.drop_index("ix_feedback_request_org_requester")

    op.drop_table("feedback_request")
