"""dashboard: sign-in links and sessions; indexes for the HR figures

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-24 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import store.types

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("dashboard_link", "dashboard_session")
INDEXES = (
    ("form_session", "ix_form_session_org_form_subject", ["org_id", "form_key", "subject"]),
    ("review_meeting", "ix_review_meeting_org_starts", ["org_id", "starts_at"]),
    ("action_item", "ix_action_item_org_due", ["org_id", "due_on"]),
    ("action_item", "ix_action_item_org_source_ref", ["org_id", "source", "source_ref"]),
    ("kudos", "ix_kudos_org_created", ["org_id", "created_at"]),
    ("person", "ix_person_org_department", ["org_id", "department"]),
)


def _token_table(name: str, *, used_at: bool) -> None:
    columns = [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", store.types.UTCDateTime(timezone=True), nullable=False),
    ]
    if used_at:
        columns.append(sa.Column("used_at", store.types.UTCDateTime(timezone=True), nullable=True))
    op.create_table(
        name,
        *columns,
        sa.ForeignKeyConstraint(
            ["org_id"], ["organisation.id"], name=op.f(f"fk_{name}_org_id_organisation"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f(f"fk_{name}_person_id_person"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
        sa.UniqueConstraint("token_hash", name=op.f(f"uq_{name}_token_hash")),
    )
    with op.batch_alter_table(name, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f"ix_{name}_person_id"), ["person_id"], unique=False)


def upgrade() -> None:
    _token_table("dashboard_link", used_at=True)
    _token_table("dashboard_session", used_at=False)
    for table, index, columns in INDEXES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(index, columns, unique=False)


def downgrade() -> None:
    for table, index, _ in reversed(INDEXES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(index)
    for name in reversed(TABLES):
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{name}_person_id"))
        op.drop_table(name)
